package io.verigate.server.upstream;

import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.wallet.Money;
import java.util.Optional;

/**
 * What a number bought upstream may cost there, given the price this node sells it at: with a markup, the sale price
 * must cover the upstream price plus that percentage (a 25 % markup on a 1.00 sale buys up to 0.80); with a fixed
 * price, up to that amount whatever the sale. The customer always pays this node's own price; the rule only keeps a
 * resale from losing money.
 */
public record PriceRule(Integer markupPercent, Money fixedPrice) {

  public PriceRule {
    if ((markupPercent == null) == (fixedPrice == null)) {
      throw new Failure(ErrorCode.BAD_REQUEST, "an upstream needs exactly one price rule: markupPercent (e.g. 25) "
          + "or fixedPrice (e.g. \"0.40\")");
    }
    if (markupPercent != null && (markupPercent < 0 || markupPercent > 1000)) {
      throw new Failure(ErrorCode.BAD_REQUEST, "markupPercent must be between 0 and 1000");
    }
  }

  public static PriceRule markup(int percent) {
    return new PriceRule(percent, null);
  }

  /** The most the upstream may charge for a number this node sells at {@code salePrice}, rounded down. */
  public Money ceiling(Money salePrice) {
    return Optional.ofNullable(fixedPrice)
        .orElseGet(() -> Money.ofUnits(Math.multiplyExact(salePrice.units(), 100L) / (100L + markupPercent)));
  }
}
