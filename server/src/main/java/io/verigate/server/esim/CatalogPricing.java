package io.verigate.server.esim;

import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.wallet.Money;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator's rule for the sale price of a supplier's package in the catalog, from what the supplier charges for
 * it (its net price): a markup percentage on that price, rounded up to the cent, or one fixed price for every package,
 * where packages that cost more than it are left out rather than sold at a loss. The same two shapes as the resale
 * rule for SMS upstreams, here deciding a sale price instead of capping a purchase.
 */
public record CatalogPricing(Integer markupPercent, Money fixedPrice) {
  private static final Pattern TEXT = Pattern.compile("markup:(\\d{1,4})|fixed:(\\d{1,9}(?:\\.\\d{1,4})?)");
  /** One cent in ledger units: sale prices are whole cents. */
  private static final long CENT = 100;

  public CatalogPricing {
    if ((markupPercent == null) == (fixedPrice == null)) {
      throw new Failure(ErrorCode.BAD_REQUEST, "a catalog price rule is a markup percentage or a fixed price");
    }
    if (markupPercent != null && (markupPercent < 0 || markupPercent > 1000)) {
      throw new Failure(ErrorCode.BAD_REQUEST, "the catalog markup must be between 0 and 1000 percent");
    }
    if (fixedPrice != null && !fixedPrice.exceeds(Money.ZERO)) {
      throw new Failure(ErrorCode.BAD_REQUEST, "the catalog's fixed price must be above zero");
    }
  }

  /** The rule written as {@code markup:25} (percent) or {@code fixed:9.00}, as the configuration gives it. */
  public static CatalogPricing parse(String text) {
    Matcher m = TEXT.matcher(text == null ? "" : text.strip());
    if (!m.matches()) {
      throw new Failure(ErrorCode.BAD_REQUEST, "a catalog price rule is markup:<percent> or fixed:<price>, got '"
          + text + "'");
    }
    return m.group(1) != null ? new CatalogPricing(Integer.valueOf(m.group(1)), null)
        : new CatalogPricing(null, Money.parse(m.group(2)));
  }

  /** What a package the supplier sells at {@code netPrice} sells for here; empty when the rule leaves it out. */
  public Optional<Money> salePrice(Money netPrice) {
    if (fixedPrice != null) {
      return netPrice.exceeds(fixedPrice) ? Optional.empty() : Optional.of(fixedPrice);
    }
    long marked = Math.multiplyExact(netPrice.units(), 100L + markupPercent);
    long cents = Math.floorDiv(marked + 100 * CENT - 1, 100 * CENT);
    return Optional.of(Money.ofUnits(cents * CENT));
  }

  @Override
  public String toString() {
    return fixedPrice != null ? "fixed:" + fixedPrice.toDecimalString() : "markup:" + markupPercent;
  }
}
