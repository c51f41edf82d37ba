package io.verigate.server.http;

import static io.verigate.server.http.Refusals.assertProblem;
import static io.verigate.server.http.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.client.Activation;
import io.verigate.client.Balance;
import io.verigate.client.BuyRequest;
import io.verigate.client.Country;
import io.verigate.client.Price;
import io.verigate.client.Service;
import io.verigate.client.VerigateClient;
import io.verigate.server.testing.TestApp;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The wallet, catalog and price routes: balances and history, services, countries, prices with availability. */
class WalletAndCatalogApiTest {
  private static TestApp app;
  private static AdminSetup admin;
  private static RawHttp http;

  @BeforeAll
  static void start() {
    app = TestApp.start();
    admin = new AdminSetup(app);
    http = new RawHttp(app.baseUrl());
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void showsTheCreditedBalanceAsDecimalStrings() {
    AdminSetup.Customer customer = admin.liveCustomer("12.50");

    Balance balance = customer.client().balance();

    assertThat(balance.balance()).isEqualByComparingTo("12.50");
    assertThat(balance.held()).isEqualByComparingTo("0");
    assertThat(balance.currency()).isEqualTo("USD");
    JsonNode raw = http.get("/api/v1/wallet/balance", "x-api-key", customer.key()).json();
    assertThat(raw.get("balance").isTextual()).isTrue();
    assertThat(raw.get("balance").asText()).isEqualTo("12.50");
  }

  @Test
  void listsWalletTransactionsNewestFirstWithPaging() {
    AdminSetup.Customer customer = admin.liveCustomer("10.00");
    admin.credit(customer.id(), "2.00");
    String key = customer.key();

    JsonNode items = http.get("/api/v1/wallet/transactions", "x-api-key", key).json().get("items");

    assertThat(items).hasSize(2);
    assertThat(items.get(0).get("type").asText()).isEqualTo("CREDIT");
    assertThat(items.get(0).get("amount").asText()).isEqualTo("2.00");
    assertThat(items.get(1).get("amount").asText()).isEqualTo("10.00");
    long newest = items.get(0).get("id").asLong();
    JsonNode older = http.get("/api/v1/wallet/transactions?limit=1&before=" + newest, "x-api-key", key).json().get("items");
    assertThat(older).hasSize(1);
    assertThat(older.get(0).get("amount").asText()).isEqualTo("10.00");
    assertProblem(http.get("/api/v1/wallet/transactions?limit=0", "x-api-key", key), 400, "BAD_REQUEST");
    assertProblem(http.get("/api/v1/wallet/transactions?before=yesterday", "x-api-key", key), 400, "BAD_REQUEST");
  }

  @Test
  void listsTheCatalogOfServices() {
    List<Service> services = admin.sandboxCustomer().client().services();

    assertThat(services).hasSizeGreaterThanOrEqualTo(40)
        .contains(new Service("wa", "WhatsApp", "whatsapp"), new Service("tg", "Telegram", "telegram"));
  }

  @Test
  void listsTheCatalogOfCountriesWithEveryIdentifier() {
    List<Country> countries = admin.sandboxCustomer().client().countries();

    assertThat(countries).hasSizeGreaterThan(200)
        .contains(new Country("US", "United States", "1", 187, "usa"), new Country("GB", "United Kingdom", "44", 16, "england"));
  }

  @Test
  void pricesShowLiveAvailabilityThatFollowsPurchasesAndUse() {
    AdminSetup.Gateway gateway = admin.gateway();
    admin.stock(gateway, "ch", 2);
    admin.setPrice("wa", "ch", "0.70");
    VerigateClient customer = admin.liveCustomer("5.00").client();
    assertThat(customer.prices("whatsapp", "switzerland"))
        .containsExactly(new Price("wa", "CH", "any", new java.math.BigDecimal("0.70"), "USD", 2));
    assertThat(customer.prices("wa", null)).filteredOn(p -> p.countryIso().equals("CH"))
        .extracting(Price::available).containsExactly(2);

    Activation bought = customer.buy(BuyRequest.of("wa", "ch"));
    // A leased number is free for no service.
    assertThat(available(customer, "wa")).isEqualTo(1);
    assertThat(available(customer, "tg")).isEqualTo(1);

    gateway.push(bought.phoneNumber(), "WhatsApp", "Your WhatsApp code: 222-333", UUID.randomUUID().toString());
    customer.finish(bought.id());
    // Used once for WhatsApp, the number is free again for everything else.
    assertThat(available(customer, "wa")).isEqualTo(1);
    assertThat(available(customer, "tg")).isEqualTo(2);
  }

  private static int available(VerigateClient customer, String service) {
    return customer.prices(service, "ch").get(0).available();
  }

  @Test
  void sandboxPricesOfferEveryCountryAtTheDefaultPrice() {
    List<Price> prices = admin.sandboxCustomer().client().prices("tg", null);

    assertThat(prices).hasSizeGreaterThan(200);
    assertThat(prices).filteredOn(p -> p.countryIso().equals("US")).singleElement()
        .satisfies(p -> {
          assertThat(p.price()).isEqualByComparingTo("0.50");
          assertThat(p.available()).isPositive();
        });
  }

  @Test
  void refusesPricesForAMissingOrUnknownServiceOrCountry() {
    VerigateClient customer = admin.sandboxCustomer().client();

    refused(() -> customer.prices(null, "us"), 400, "UNKNOWN_SERVICE");
    refused(() -> customer.prices("nosuchservice", "us"), 400, "UNKNOWN_SERVICE");
    refused(() -> customer.prices("wa", "zz"), 400, "UNKNOWN_COUNTRY");
    assertProblem(http.get("/api/v1/prices?service=wa&operator=no%20spaces", "x-api-key", app.sandboxKey()), 400, "BAD_REQUEST");
  }
}
