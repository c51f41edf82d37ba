package io.verigate.server.system;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * The success-rate guard's rule, written {@code 7%/24h/10}: purchases are refused while fewer than
 * {@code basisPoints} (1/100 of a percent) of a customer's activations in the last {@code window} got a code, once at
 * least {@code minimum} of them have an outcome.
 */
public record SuccessRateRule(int basisPoints, Duration window, int minimum) {
  /** Whether {@code succeeded} of {@code counted} outcomes fall below the rule (and there are enough to judge). */
  public boolean fails(long succeeded, long counted) {
    return counted >= minimum && succeeded * 10_000 < (long) basisPoints * counted;
  }

  /** The rate as written, e.g. {@code 7%} or {@code 7.5%}. */
  public String percent() {
    return BigDecimal.valueOf(basisPoints, 2).stripTrailingZeros().toPlainString() + "%";
  }

  @Override
  public String toString() {
    return percent() + "/" + window + "/" + minimum;
  }
}
