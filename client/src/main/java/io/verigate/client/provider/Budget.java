package io.verigate.client.provider;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/**
 * What one verification job may use: at most {@code money} held or spent at any time (a cancelled number's price
 * comes back), at most {@code numbers} numbers bought, everything done within {@code deadline} of the start, and at
 * most {@code codeWait} spent waiting on any one number before it is cancelled and the next is tried.
 */
public record Budget(BigDecimal money, int numbers, Duration deadline, Duration codeWait) {
  public Budget {
    Objects.requireNonNull(money, "money");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(codeWait, "codeWait");
    if (money.signum() < 0 || numbers < 1 || deadline.isNegative() || deadline.isZero()
        || codeWait.isNegative() || codeWait.isZero()) {
      throw new IllegalArgumentException("a budget needs money >= 0, numbers >= 1 and positive durations: " + money
          + ", " + numbers + ", " + deadline + ", " + codeWait);
    }
  }

  /** A budget whose numbers may each use the whole deadline. */
  public static Budget of(BigDecimal money, int numbers, Duration deadline) {
    return new Budget(money, numbers, deadline, deadline);
  }

  public Budget withCodeWait(Duration value) {
    return new Budget(money, numbers, deadline, value);
  }
}
