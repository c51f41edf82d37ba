package io.verigate.client.provider;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A provider could not do what was asked, for one of a few {@link Reason}s that a caller (or
 * {@link FailoverProvider}) acts on: try another country or provider, back off, top up, or give up.
 * Every implementation translates its own dialect's refusals into these, so callers never parse tokens.
 */
public final class ProviderException extends RuntimeException {
  /** Why the provider refused or failed. */
  public enum Reason {
    /** No number for this service in the countries asked (sms-activate {@code NO_NUMBERS}, 5sim "no free phones"). */
    NO_NUMBERS,
    /** The account cannot pay for the number. */
    NO_BALANCE,
    /** Numbers exist, but not at or under the maximum price. */
    PRICE_ABOVE_MAX,
    /** Too many requests: wait {@link #retryAfter()} (when the provider said) before asking again. */
    RATE_LIMITED,
    /** No code arrived before the caller's deadline. */
    TIMEOUT,
    /** The number ended on the provider's side (cancelled, expired, banned) before a code arrived. */
    ENDED,
    /** The provider is unreachable or failing (connection refused, reset, 5xx, a garbled answer). */
    PROVIDER_DOWN,
    /**
     * Too soon after the purchase to cancel: sms-activate and its clones refuse cancels for the first minutes
     * ({@code EARLY_CANCEL_DENIED}, about 2 minutes). Cancel again later, after {@link #retryAfter()} when the
     * provider said; the number is refunded then.
     */
    TOO_EARLY,
    /** The provider does not offer this operation (5sim has no resend). */
    UNSUPPORTED,
    /** Any other refusal: a bad key, an unknown service or country, a state that forbids the action. */
    REFUSED
  }

  private final Reason reason;
  private final Duration retryAfter;

  public ProviderException(Reason reason, String message) {
    this(reason, message, null, null);
  }

  public ProviderException(Reason reason, String message, Duration retryAfter, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.retryAfter = retryAfter;
  }

  public static ProviderException rateLimited(String message, Duration retryAfter) {
    return new ProviderException(Reason.RATE_LIMITED, message, retryAfter, null);
  }

  public static ProviderException down(String message, Throwable cause) {
    return new ProviderException(Reason.PROVIDER_DOWN, message, null, cause);
  }

  public Reason reason() {
    return reason;
  }

  /** How long the provider asked the caller to wait; empty when it did not say. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
