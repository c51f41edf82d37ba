package io.verigate.server.activation;

import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.system.RetryLater;
import java.time.Duration;
import java.time.Instant;

/** Purchases refused by the success-rate guard until {@link #until}, when the rate recovers if nothing else changes. */
public final class LowSuccessRate extends Failure implements RetryLater {
  private final Instant until;
  private final long retryAfterSeconds;

  LowSuccessRate(String message, Instant until, Instant now) {
    super(ErrorCode.LOW_SUCCESS_RATE, message);
    this.until = until;
    long millis = Duration.between(now, until).toMillis();
    this.retryAfterSeconds = Math.max(1, (millis + 999) / 1000);
  }

  public Instant until() {
    return until;
  }

  @Override
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
