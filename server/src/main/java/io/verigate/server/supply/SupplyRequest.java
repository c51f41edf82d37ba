package io.verigate.server.supply;

import io.verigate.server.account.Mode;
import io.verigate.server.inventory.PhoneNumbers;
import io.verigate.server.wallet.Money;
import java.util.List;
import java.util.Optional;

/**
 * One number wanted for a purchase: who buys, for which service where, what the buyer pays for it, and the resellers
 * it passed through on its way here.
 */
public record SupplyRequest(long customerId, Mode mode, String service, String country, String operator,
    List<String> excludedPrefixes, Money price, ResalePath resalePath) {

  public SupplyRequest {
    excludedPrefixes = List.copyOf(excludedPrefixes);
  }

  /**
   * Why a number a remote supplier handed out ({@code raw}, {@code parsed} when it is one) cannot serve this request:
   * the supplier broke the request it was given. Empty when it can.
   */
  public Optional<String> refusal(String raw, Optional<PhoneNumbers.Parsed> parsed) {
    if (parsed.isEmpty()) {
      return Optional.of("'" + raw + "' is not a phone number with its country code");
    }
    String e164 = parsed.get().e164();
    if (!parsed.get().countryIso().equals(country)) {
      return Optional.of(e164 + " is in " + parsed.get().countryIso() + ", not " + country);
    }
    return excludedPrefixes.stream().filter(prefix -> e164.startsWith("+" + prefix)).findFirst()
        .map(prefix -> e164 + " starts with the excluded prefix " + prefix);
  }
}
