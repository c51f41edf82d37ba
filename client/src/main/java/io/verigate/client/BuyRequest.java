package io.verigate.client;

import java.math.BigDecimal;
import java.util.List;

/**
 * What to buy: a service ({@code wa} or {@code whatsapp}) and either one country ({@code us}, {@code 187},
 * {@code usa}) or a ranked list of countries, of which the first with a number at or under {@code maxPrice}
 * wins. {@code operator} and {@code maxPrice} are optional; an {@code idempotencyKey} makes a retry of the
 * same request return the first activation instead of buying twice.
 */
public record BuyRequest(String serviceCode, String countryIso, List<String> countries, String operator,
    BigDecimal maxPrice, String idempotencyKey) {

  public BuyRequest {
    countries = countries == null ? null : List.copyOf(countries);
  }

  public static BuyRequest of(String service, String country) {
    return new BuyRequest(service, country, null, null, null, null);
  }

  public static BuyRequest ranked(String service, List<String> countries) {
    return new BuyRequest(service, null, countries, null, null, null);
  }

  public BuyRequest withOperator(String value) {
    return new BuyRequest(serviceCode, countryIso, countries, value, maxPrice, idempotencyKey);
  }

  public BuyRequest withMaxPrice(BigDecimal value) {
    return new BuyRequest(serviceCode, countryIso, countries, operator, value, idempotencyKey);
  }

  public BuyRequest withIdempotencyKey(String value) {
    return new BuyRequest(serviceCode, countryIso, countries, operator, maxPrice, value);
  }
}
