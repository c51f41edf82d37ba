package io.verigate.server.supply;

import io.verigate.server.account.Mode;
import io.verigate.server.wallet.Money;
import java.util.List;

/** One number wanted for a purchase: who buys, for which service where, and what the buyer pays for it. */
public record SupplyRequest(long customerId, Mode mode, String service, String country, String operator,
    List<String> excludedPrefixes, Money price) {

  public SupplyRequest {
    excludedPrefixes = List.copyOf(excludedPrefixes);
  }
}
