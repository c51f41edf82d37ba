package io.verigate.server.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {

  @ParameterizedTest(name = "{0} is {1} units")
  @CsvSource({
      "0.035, 350",
      "0.50, 5000",
      "10, 100000",
      "0.0001, 1",
      "1234.5678, 12345678",
      "0, 0",
      "999999999999.9999, 9999999999999999"})
  void parsesDecimalStringsExactly(String text, long units) {
    assertThat(Money.parse(text).units()).isEqualTo(units);
  }

  @ParameterizedTest(name = "{0} shows as {1}")
  @CsvSource({
      "350, 0.035",
      "5000, 0.50",
      "100000, 10.00",
      "1, 0.0001",
      "0, 0.00",
      "12345678, 1234.5678",
      "-5000, -0.50"})
  void formatsWithTwoDecimalsAndMoreOnlyWhenNeeded(long units, String text) {
    assertThat(Money.ofUnits(units).toDecimalString()).isEqualTo(text);
  }

  @Test
  void subCentPricesAddUpWithoutRounding() {
    Money total = Money.ZERO;
    for (int i = 0; i < 1000; i++) {
      total = total.plus(Money.parse("0.035"));
    }

    assertThat(total).isEqualTo(Money.parse("35"));
    assertThat(total.toBigDecimal()).isEqualByComparingTo(new BigDecimal("35.000"));
  }

  @ParameterizedTest(name = "refuses \"{0}\"")
  @ValueSource(strings = {"0.00001", "1.23456", "-1", "-0.50", "+1", "abc", "", " ", "1.", ".5", "1,50", "1e3",
      "0x10", "NaN", "1 000", "1234567890123"})
  void refusesAnythingButANonNegativeDecimalWithAtMostFourPlaces(String text) {
    assertThatThrownBy(() -> Money.parse(text))
        .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.code()).isEqualTo(ErrorCode.BAD_REQUEST));
  }

  @ParameterizedTest
  @NullSource
  void refusesAMissingAmount(String text) {
    assertThatThrownBy(() -> Money.parse(text)).isInstanceOf(Failure.class);
  }

  @Test
  void roundTripsThroughItsDecimalString() {
    for (long units : new long[] {0, 1, 10, 100, 350, 5000, 10_000, 123_456_789}) {
      Money money = Money.ofUnits(units);
      assertThat(Money.parse(money.toDecimalString())).isEqualTo(money);
    }
  }

  @Test
  void comparesAndSubtractsExactly() {
    Money price = Money.parse("0.035");
    Money balance = Money.parse("0.03");

    assertThat(price.exceeds(balance)).isTrue();
    assertThat(balance.minus(price).isNegative()).isTrue();
    assertThat(balance.minus(price).toDecimalString()).isEqualTo("-0.005");
    assertThat(price.compareTo(balance)).isPositive();
  }
}
