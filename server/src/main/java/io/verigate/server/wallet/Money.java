package io.verigate.server.wallet;

import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * An exact amount of the deployment's single currency, in units of 1/10,000 so that sub-cent prices such
 * as 0.035 are representable. Never a double.
 */
public record Money(long units) implements Comparable<Money> {
  public static final int SCALE = 4;
  public static final Money ZERO = new Money(0);
  private static final long UNITS_PER_WHOLE = 10_000;

  /** Parses a decimal string such as {@code "0.50"}; more than four decimals or a sign is refused. */
  public static Money parse(String text) {
    if (text == null || !text.trim().matches("\\d{1,12}(\\.\\d{1,4})?")) {
      throw new Failure(ErrorCode.BAD_REQUEST,
          "amount must be a non-negative decimal with at most 4 decimals, got '" + text + "'");
    }
    return new Money(new BigDecimal(text.trim()).movePointRight(SCALE).longValueExact());
  }

  public static Money ofUnits(long units) {
    return new Money(units);
  }

  public Money plus(Money other) {
    return new Money(Math.addExact(units, other.units));
  }

  public Money minus(Money other) {
    return new Money(Math.subtractExact(units, other.units));
  }

  /** The price of {@code count} of something at this price each. */
  public Money times(int count) {
    return new Money(Math.multiplyExact(units, count));
  }

  public boolean isNegative() {
    return units < 0;
  }

  public boolean exceeds(Money other) {
    return units > other.units;
  }

  public BigDecimal toBigDecimal() {
    return BigDecimal.valueOf(units, SCALE);
  }

  /** At least two decimals, more only when needed: {@code "10.00"}, {@code "0.035"}. */
  public String toDecimalString() {
    BigDecimal value = toBigDecimal().stripTrailingZeros();
    return value.scale() < 2 ? value.setScale(2, RoundingMode.UNNECESSARY).toPlainString() : value.toPlainString();
  }

  @Override
  public int compareTo(Money other) {
    return Long.compare(units, other.units);
  }

  @Override
  public String toString() {
    return toDecimalString();
  }

  static long unitsPerWhole() {
    return UNITS_PER_WHOLE;
  }
}
