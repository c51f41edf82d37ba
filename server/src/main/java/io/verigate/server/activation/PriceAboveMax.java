package io.verigate.server.activation;

import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.wallet.Money;

/** Numbers exist, but none at or under the customer's maximum price; carries the cheapest price seen. */
public final class PriceAboveMax extends Failure {
  private final Money cheapest;

  public PriceAboveMax(Money cheapest, Money maxPrice) {
    super(ErrorCode.PRICE_ABOVE_MAX, "the cheapest matching number costs " + cheapest + ", above maxPrice " + maxPrice);
    this.cheapest = cheapest;
  }

  public Money cheapest() {
    return cheapest;
  }
}
