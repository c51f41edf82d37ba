package io.verigate.client.provider;

import io.verigate.client.VerigateClient;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * What to buy: a service (sms-activate's short code such as {@code wa}, which every implementation translates
 * into its own dialect), countries as ISO 3166 alpha-2 codes in order of preference (the first with a number at
 * or under {@code maxPrice} wins), an optional maximum price in the provider's currency and an optional operator.
 *
 * <p>{@code via} names the Verigate nodes a resold purchase has passed through, oldest first (empty for a
 * customer's own order). The HTTP providers send it as {@value #VIA_HEADER}, so a Verigate node that would resell
 * the purchase back to a node on the path sells from its own stock only instead of buying in a loop.
 */
public record Order(String service, List<String> countries, BigDecimal maxPrice, String operator, List<String> via) {
  /** The request header that carries {@link #via}: node ids separated by commas. */
  public static final String VIA_HEADER = VerigateClient.VIA_HEADER;

  public Order {
    Objects.requireNonNull(service, "service");
    countries = List.copyOf(countries);
    via = List.copyOf(via);
    if (countries.isEmpty()) {
      throw new IllegalArgumentException("an order needs at least one country");
    }
    if (maxPrice != null && maxPrice.signum() < 0) {
      throw new IllegalArgumentException("maxPrice must not be negative: " + maxPrice);
    }
  }

  /** A customer's own order, not resold. */
  public Order(String service, List<String> countries, BigDecimal maxPrice, String operator) {
    this(service, countries, maxPrice, operator, List.of());
  }

  public static Order of(String service, String... countries) {
    return new Order(service, List.of(countries), null, null);
  }

  public Order withMaxPrice(BigDecimal value) {
    return new Order(service, countries, value, operator, via);
  }

  public Order withOperator(String value) {
    return new Order(service, countries, maxPrice, value, via);
  }

  /** The same order resold along {@code nodes}. */
  public Order withVia(List<String> nodes) {
    return new Order(service, countries, maxPrice, operator, nodes);
  }

  /** The same order for one country only, as a failover tries them one by one. */
  public Order inCountry(String country) {
    return new Order(service, List.of(country), maxPrice, operator, via);
  }
}
