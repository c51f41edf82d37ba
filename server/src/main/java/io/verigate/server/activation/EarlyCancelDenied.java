package io.verigate.server.activation;

import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.time.Duration;
import java.time.Instant;

/**
 * A cancel inside the early-cancel guard; carries when the guard ends, so the REST answer can say when to cancel
 * again. Not a {@link io.verigate.server.system.RetryLater}: the dialects word that as a temporary block (sms-activate's
 * {@code BANNED:}), while each has its own word for this refusal, which their clients know.
 */
public final class EarlyCancelDenied extends Failure {
  private final long retryAfterSeconds;

  EarlyCancelDenied(long activationId, Instant now, Instant allowedFrom) {
    super(ErrorCode.EARLY_CANCEL_DENIED, "activation " + activationId + " can be cancelled from " + allowedFrom
        + " (" + secondsUntil(now, allowedFrom) + " s from now)");
    this.retryAfterSeconds = secondsUntil(now, allowedFrom);
  }

  /** Rounded up: a client that waits the whole seconds is never refused again for a fraction of one. */
  private static long secondsUntil(Instant now, Instant then) {
    Duration left = Duration.between(now, then);
    return Math.max(1, left.toSeconds() + (left.toNanosPart() > 0 ? 1 : 0));
  }

  /** Whole seconds until the guard ends; at least 1. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
