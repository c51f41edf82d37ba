package io.verigate.client.provider;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * What to buy: a service (sms-activate's short code such as {@code wa}, which every implementation translates
 * into its own dialect), countries as ISO 3166 alpha-2 codes in order of preference (the first with a number at
 * or under {@code maxPrice} wins), an optional maximum price in the provider's currency and an optional operator.
 */
public record Order(String service, List<String> countries, BigDecimal maxPrice, String operator) {
  public Order {
    Objects.requireNonNull(service, "service");
    countries = List.copyOf(countries);
    if (countries.isEmpty()) {
      throw new IllegalArgumentException("an order needs at least one country");
    }
    if (maxPrice != null && maxPrice.signum() < 0) {
      throw new IllegalArgumentException("maxPrice must not be negative: " + maxPrice);
    }
  }

  public static Order of(String service, String... countries) {
    return new Order(service, List.of(countries), null, null);
  }

  public Order withMaxPrice(BigDecimal value) {
    return new Order(service, countries, value, operator);
  }

  public Order withOperator(String value) {
    return new Order(service, countries, maxPrice, value);
  }

  /** The same order for one country only, as a failover tries them one by one. */
  public Order inCountry(String country) {
    return new Order(service, List.of(country), maxPrice, operator);
  }
}
