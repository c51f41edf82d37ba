package io.verigate.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.verigate.server.system.Failure;
import io.verigate.server.wallet.Money;
import org.junit.jupiter.api.Test;

class PriceRuleTest {

  @Test
  void aMarkupLeavesItsShareOfTheSalePriceRoundedDownToTheSmallestUnit() {
    assertThat(PriceRule.markup(25).ceiling(Money.parse("0.50"))).isEqualTo(Money.parse("0.40"));
    // 1.00 / 1.30 = 0.769230...: rounding up would sell below the markup.
    assertThat(PriceRule.markup(30).ceiling(Money.parse("1.00"))).isEqualTo(Money.parse("0.7692"));
    assertThat(PriceRule.markup(0).ceiling(Money.parse("0.35"))).isEqualTo(Money.parse("0.35"));
  }

  @Test
  void aFixedPriceIsTheCeilingWhateverTheSale() {
    PriceRule rule = new PriceRule(null, Money.parse("0.40"));

    assertThat(rule.ceiling(Money.parse("0.10"))).isEqualTo(Money.parse("0.40"));
    assertThat(rule.ceiling(Money.parse("9.00"))).isEqualTo(Money.parse("0.40"));
  }

  @Test
  void exactlyOneRuleIsTaken() {
    assertThatThrownBy(() -> new PriceRule(null, null)).isInstanceOf(Failure.class);
    assertThatThrownBy(() -> new PriceRule(10, Money.parse("0.40"))).isInstanceOf(Failure.class);
    assertThatThrownBy(() -> PriceRule.markup(-1)).isInstanceOf(Failure.class).hasMessageContaining("markupPercent");
  }
}
