package io.verigate.server.activation;

import io.verigate.server.supply.ResalePath;
import io.verigate.server.wallet.Money;
import java.util.List;

/**
 * A customer's order as every dialect expresses it: a service, a ranked list of countries and one of operators
 * (empty for no preference), ranked by {@link io.verigate.server.catalog.Offers}, whose first place with a number
 * at or under {@code maxPrice} wins; number prefixes to avoid, an optional idempotency key with the
 * fingerprint of the request body it came with, an optional URL the activation's events are also posted to
 * (checked by the dialect before the purchase: it resolves a name, which no purchase transaction may wait for), and
 * the Verigate nodes that resold it on its way here.
 */
public record PurchaseRequest(
    String service,
    List<String> countries,
    List<String> operators,
    Money maxPrice,
    List<String> excludedPrefixes,
    String idempotencyKey,
    String fingerprint,
    String callbackUrl,
    ResalePath resalePath) {

  /** An order without a callback URL. */
  public PurchaseRequest(String service, List<String> countries, List<String> operators, Money maxPrice,
      List<String> excludedPrefixes, String idempotencyKey, String fingerprint) {
    this(service, countries, operators, maxPrice, excludedPrefixes, idempotencyKey, fingerprint, null,
        ResalePath.NONE);
  }

  /** An order naming one operator, or none ({@code null}) for no preference. */
  public PurchaseRequest(String service, List<String> countries, String operator, Money maxPrice,
      List<String> excludedPrefixes, String idempotencyKey, String fingerprint) {
    this(service, countries, operator == null ? List.of() : List.of(operator), maxPrice, excludedPrefixes,
        idempotencyKey, fingerprint);
  }

  public PurchaseRequest withCallbackUrl(String url) {
    return new PurchaseRequest(service, countries, operators, maxPrice, excludedPrefixes, idempotencyKey, fingerprint,
        url, resalePath);
  }

  public PurchaseRequest withResalePath(ResalePath path) {
    return new PurchaseRequest(service, countries, operators, maxPrice, excludedPrefixes, idempotencyKey, fingerprint,
        callbackUrl, path);
  }

  public static PurchaseRequest of(String service, String country) {
    return new PurchaseRequest(service, country == null ? List.of() : List.of(country), (String) null, null, List.of(),
        null, null);
  }
}
