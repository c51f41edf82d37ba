package io.verigate.server.http.fivesim;

import static io.verigate.server.http.fivesim.FiveSimHttp.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.catalog.Catalog;
import io.verigate.server.testing.TestApp;
import java.math.BigDecimal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The 5sim guest endpoints: countries, products and prices, with live stock or a test key's sandbox. */
class FiveSimGuestTest {
  private static TestApp app;
  private static FiveSimHttp http;
  private static LiveSetup live;

  @BeforeAll
  static void start() {
    app = TestApp.start();
    http = new FiveSimHttp(app.baseUrl());
    live = new LiveSetup(app);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void listsEveryCatalogCountryUnderIts5simSlugWithIsoAndPrefix() {
    JsonNode countries = http.json("/v1/guest/countries", null);

    assertThat(countries.size()).isEqualTo(Catalog.load().countries().size());
    JsonNode usa = countries.get("usa");
    assertThat(usa.get("iso").get("us").asInt()).isEqualTo(1);
    assertThat(usa.get("prefix").get("+1").asInt()).isEqualTo(1);
    assertThat(usa.get("text_en").asText()).isEqualTo("United States");
    assertThat(usa.get("text_ru").asText()).isNotBlank();
    assertThat(usa.get("any").get("activation").asInt()).isEqualTo(1);
    assertThat(countries.get("england").get("iso").get("gb").asInt()).isEqualTo(1);
  }

  @Test
  void showsAGuestTheLiveStockAndPriceOfEveryProductInACountry() {
    live.stock("DE", "vodafone", 3);
    live.setPrice("tg", "DE", "0.035");

    JsonNode products = http.json("/v1/guest/products/germany/any", null);

    JsonNode telegram = products.get("telegram");
    assertThat(telegram.get("Category").asText()).isEqualTo("activation");
    assertThat(telegram.get("Qty").asInt()).isEqualTo(3);
    assertThat(telegram.get("Price").decimalValue()).isEqualByComparingTo("0.035");
    assertThat(products.get("whatsapp").get("Price").decimalValue()).isEqualByComparingTo("0.5");
    assertThat(products.size()).isEqualTo(Catalog.load().services().size());
    assertThat(http.json("/v1/guest/products/france/any", null).get("telegram").get("Qty").asInt()).isZero();
  }

  @Test
  void writesPricesAsExactJsonNumbers() {
    live.setPrice("ds", "NL", "0.0125");

    String body = http.guest("/v1/guest/products/netherlands/any").body();

    assertThat(body).contains("\"discord\":{\"Category\":\"activation\",\"Qty\":0,\"Price\":0.0125}");
  }

  @Test
  void showsATestKeyThePlentifulSandboxStock() {
    JsonNode products = http.json("/v1/guest/products/usa/any", app.sandboxKey());

    assertThat(products.get("whatsapp").get("Qty").asInt()).isEqualTo(9999);
  }

  @Test
  void ignoresABadKeyOnAGuestEndpoint() {
    JsonNode products = http.json("/v1/guest/products/usa/any", "vg_test_not-a-key");

    assertThat(products.get("whatsapp").get("Qty").asInt()).isZero();
  }

  @Test
  void sumsTheStockOfEveryCountryAndQuotesTheCheapestForTheAnyCountry() {
    live.stock("PL", "any", 2);
    live.stock("CZ", "any", 1);
    live.setPrice("vi", "PL", "0.70");
    live.setPrice("vi", "CZ", "0.40");

    JsonNode viber = http.json("/v1/guest/products/any/any", null).get("viber");

    assertThat(viber.get("Qty").asInt()).isGreaterThanOrEqualTo(3);
    assertThat(viber.get("Price").decimalValue()).isEqualByComparingTo("0.40");
  }

  @Test
  void refusesAnUnknownCountryOrAMalformedOperatorInTheProductList() {
    assertRefused(http.guest("/v1/guest/products/atlantis/any"), 400, "bad country");
    assertRefused(http.guest("/v1/guest/products/usa/bad!operator"), 400, "bad operator");
  }

  @Test
  void listsThePriceAndCountOfOneProductInOneCountry() {
    live.stock("SE", "telia", 2);
    live.setPrice("fb", "SE", "1.25");

    JsonNode prices = http.json("/v1/guest/prices?country=sweden&product=facebook", null);

    assertThat(prices.size()).isEqualTo(1);
    assertThat(prices.get("sweden").size()).isEqualTo(1);
    JsonNode offer = prices.get("sweden").get("facebook").get("any");
    assertThat(offer.get("cost").decimalValue()).isEqualByComparingTo(new BigDecimal("1.25"));
    assertThat(offer.get("count").asInt()).isEqualTo(2);
  }

  @Test
  void listsPricesOfEveryProductForACountryAndOfEveryCountryForAProduct() {
    JsonNode byCountry = http.json("/v1/guest/prices?country=usa", null);
    JsonNode byProduct = http.json("/v1/guest/prices?product=whatsapp", null);
    JsonNode all = http.json("/v1/guest/prices", null);

    assertThat(byCountry.get("usa").size()).isEqualTo(Catalog.load().services().size());
    assertThat(byProduct.size()).isEqualTo(Catalog.load().countries().size());
    assertThat(byProduct.get("usa").get("whatsapp").get("any").get("cost").decimalValue()).isEqualByComparingTo("0.5");
    assertThat(all.size()).isEqualTo(Catalog.load().countries().size());
    assertThat(all.get("england").size()).isEqualTo(Catalog.load().services().size());
  }

  @Test
  void treatsEmptyFiltersAsAbsentAsFivesimClientsSendThem() {
    assertThat(http.json("/v1/guest/prices?country=&product=whatsapp", null).size())
        .isEqualTo(Catalog.load().countries().size());
  }

  @Test
  void refusesAnUnknownCountryOrProductInThePriceList() {
    assertRefused(http.guest("/v1/guest/prices?country=atlantis"), 400, "country is incorrect");
    assertRefused(http.guest("/v1/guest/prices?product=nosuchproduct"), 400, "product is incorrect");
  }
}
