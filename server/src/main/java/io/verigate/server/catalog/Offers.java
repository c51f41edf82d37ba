package io.verigate.server.catalog;

import io.verigate.server.wallet.Money;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The one rule that ranks offered countries and operators, for every dialect. Places the customer named (a ranked
 * list of countries, sms-activate's list of operators) keep the customer's order. Where the customer left the choice
 * open (5sim's {@code any} country) the cheapest place comes first, and equal prices go by country and then operator,
 * so that the same stock always ranks the same way. A place dearer than the customer's maximum is never offered; the
 * cheapest of those is what a refusal names, because that is the maximum that would have bought a number.
 */
public final class Offers {
  private static final Comparator<Offer> BEST_FIRST = Comparator.comparingInt(Offer::preference)
      .thenComparing(Offer::price)
      .thenComparing(Offer::country)
      .thenComparing(Offer::operator);

  private Offers() {}

  /**
   * One place a number may be bought: a country (ISO) and operator, what a number costs there, and where the place
   * stands among the customer's preferences; places the customer left open share one standing.
   */
  public record Offer(int preference, String country, String operator, Money price) {}

  /** The places to try, best first, and the cheapest price that was above the customer's maximum, if any was. */
  public record Ranking(List<Offer> affordable, Optional<Money> cheapestRefused) {}

  /** The places a customer named: each country in the customer's order, and within it each operator in order. */
  public static List<Offer> named(String service, List<String> countries, List<String> operators,
      Prices.PriceTable prices) {
    List<Offer> offers = new ArrayList<>();
    for (String country : countries) {
      for (String operator : operators) {
        offers.add(new Offer(offers.size(), country, operator, prices.priceFor(service, country, operator)));
      }
    }
    return offers;
  }

  /** One operator in every one of these countries, the customer having left the country open. */
  public static List<Offer> anyOf(String service, Collection<String> countries, String operator,
      Prices.PriceTable prices) {
    return countries.stream()
        .map(country -> new Offer(0, country, operator, prices.priceFor(service, country, operator)))
        .toList();
  }

  /** Ranks the offers; with no {@code maxPrice} (null) every one is affordable. */
  public static Ranking rank(Collection<Offer> offers, Money maxPrice) {
    List<Offer> affordable = offers.stream()
        .filter(o -> maxPrice == null || !o.price().exceeds(maxPrice))
        .sorted(BEST_FIRST)
        .toList();
    Optional<Money> cheapestRefused = offers.stream()
        .map(Offer::price)
        .filter(price -> maxPrice != null && price.exceeds(maxPrice))
        .min(Comparator.naturalOrder());
    return new Ranking(affordable, cheapestRefused);
  }
}
