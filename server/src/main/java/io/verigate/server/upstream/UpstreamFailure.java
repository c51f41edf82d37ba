package io.verigate.server.upstream;

import java.time.Instant;

/**
 * One failed call to an upstream, for the operator: when, which call ({@code buy}, {@code awaitCode}, {@code finish},
 * {@code cancel}, {@code resend}, {@code balance}, {@code price}), the SDK's reason ({@code PROVIDER_DOWN},
 * {@code RATE_LIMITED}, {@code NO_BALANCE}, ...) and its message.
 */
public record UpstreamFailure(Instant at, String operation, String reason, String message) {}
