package io.verigate.server.notify;

import java.util.Set;

/**
 * What a client asked to follow: one customer's events of one mode, of the given {@code types} (all when empty), of
 * one activation when {@code activationId} is not null. {@code resumeAfter} is the last event id the client has
 * ({@code Last-Event-ID}); null starts with new events only. {@code untilCaughtUp} ends the stream once it has sent
 * everything there is: for an activation that is already over, whose log will not grow.
 */
public record StreamRequest(long customerId, boolean test, Set<String> types, Long activationId, Long resumeAfter,
    boolean untilCaughtUp) {
  public StreamRequest {
    types = Set.copyOf(types);
  }
}
