package io.verigate.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.wallet.Money;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OffersTest {
  /** wa costs 0.50 by default; Spain and Portugal are cheaper, and Vodafone anywhere dearer. */
  private static final Prices.PriceTable PRICES = (service, country, operator) -> Money.parse(
      operator.equals("vodafone") ? "0.90" : Map.of("ES", "0.30", "PT", "0.30", "GB", "0.40").getOrDefault(country, "0.50"));

  @Test
  void namedPlacesKeepTheCustomersOrderEvenWhenALaterOneIsCheaper() {
    List<Offers.Offer> named = Offers.named("wa", List.of("US", "ES"), List.of("vodafone", "any"), PRICES);

    assertThat(places(Offers.rank(named, null))).containsExactly("US/vodafone", "US/any", "ES/vodafone", "ES/any");
  }

  @Test
  void anOpenChoiceGoesCheapestFirstThenByCountry() {
    List<Offers.Offer> open = Offers.anyOf("wa", List.of("US", "PT", "GB", "ES"), "any", PRICES);

    assertThat(places(Offers.rank(open, null))).containsExactly("ES/any", "PT/any", "GB/any", "US/any");
  }

  @Test
  void neverOffersAPlaceAboveTheMaximumAndNamesTheCheapestRefusedPrice() {
    List<Offers.Offer> named = Offers.named("wa", List.of("US", "GB", "ES"), List.of("vodafone", "any"), PRICES);

    Offers.Ranking ranking = Offers.rank(named, Money.parse("0.40"));

    assertThat(places(ranking)).as("a price equal to the maximum is within it").containsExactly("GB/any", "ES/any");
    assertThat(ranking.cheapestRefused()).contains(Money.parse("0.50"));
  }

  @Test
  void refusesNothingWithinTheMaximumOrWithoutOne() {
    List<Offers.Offer> open = Offers.anyOf("wa", List.of("US", "ES"), "any", PRICES);

    assertThat(Offers.rank(open, Money.parse("0.50")).cheapestRefused()).isEmpty();
    assertThat(Offers.rank(open, null).cheapestRefused()).isEmpty();
    assertThat(Offers.rank(List.of(), Money.parse("0.50")).affordable()).isEmpty();
  }

  private static List<String> places(Offers.Ranking ranking) {
    return ranking.affordable().stream().map(o -> o.country() + "/" + o.operator()).toList();
  }
}
