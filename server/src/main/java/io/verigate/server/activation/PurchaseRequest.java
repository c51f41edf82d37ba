package io.verigate.server.activation;

import io.verigate.server.wallet.Money;
import java.util.List;

/**
 * A customer's order as every dialect expresses it: a service, a ranked list of countries (first with a
 * number at or under {@code maxPrice} wins), an operator ({@code any} for no preference), number prefixes
 * to avoid, and an optional idempotency key with the fingerprint of the request body it came with.
 */
public record PurchaseRequest(
    String service,
    List<String> countries,
    String operator,
    Money maxPrice,
    List<String> excludedPrefixes,
    String idempotencyKey,
    String fingerprint) {

  public static PurchaseRequest of(String service, String country) {
    return new PurchaseRequest(service, country == null ? List.of() : List.of(country), null, null, List.of(), null, null);
  }
}
