package io.verigate.server.http;

import static io.verigate.server.http.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.client.Activation;
import io.verigate.client.Balance;
import io.verigate.client.BuyRequest;
import io.verigate.client.VerigateClient;
import io.verigate.client.VerigateException;
import io.verigate.server.testing.TestApp;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Live keys buying the operator's own numbers: money moves only as the lifecycle says, numbers are never
 * sold twice for one service, and ranked countries respect the maximum price. The early-cancel guard is off
 * so cancellations can be shown; inventory is shared by the node, so each test works in its own country.
 */
class LiveInventoryApiTest {
  private static TestApp app;
  private static AdminSetup admin;
  private static AdminSetup.Gateway gateway;

  @BeforeAll
  static void start() {
    app = TestApp.start(Map.of("early-cancel-guard", "0s"));
    admin = new AdminSetup(app);
    gateway = admin.gateway();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void answersNoNumbersWhenTheCountryHasNoFreeNumber() {
    VerigateClient customer = admin.liveCustomer("10.00").client();

    refused(() -> customer.buy(BuyRequest.of("wa", "jp")), 409, "NO_NUMBERS");
    assertBalance(customer, "10.00", "0.00");
  }

  @Test
  void answersNoBalanceWhenTheWalletCannotPayAndLeavesTheNumberFree() {
    List<String> numbers = admin.stock(gateway, "be", 1);
    AdminSetup.Customer customer = admin.liveCustomer("0");

    refused(() -> customer.client().buy(BuyRequest.of("wa", "be")), 402, "NO_BALANCE");

    admin.credit(customer.id(), "0.50");
    assertThat(customer.client().buy(BuyRequest.of("wa", "be")).phoneNumber()).isEqualTo(numbers.get(0));
    assertBalance(customer.client(), "0.00", "0.50");
  }

  @Test
  void holdsThePriceWhileWaitingAndChargesItWhenTheActivationFinishes() {
    List<String> numbers = admin.stock(gateway, "de", 1);
    VerigateClient customer = admin.liveCustomer("10.00").client();

    Activation bought = customer.buy(BuyRequest.of("wa", "de"));
    assertThat(bought.phoneNumber()).isEqualTo(numbers.get(0));
    assertThat(bought.userCost()).isEqualByComparingTo("0.50");
    assertBalance(customer, "9.50", "0.50");

    deliverCode(bought, "Your WhatsApp code: 482-913");
    assertThat(customer.activation(bought.id()).code()).isEqualTo("482913");

    assertThat(customer.finish(bought.id()).status()).isEqualTo("FINISHED");
    assertBalance(customer, "9.50", "0.00");
  }

  @Test
  void refundsACancelledActivationInFull() {
    admin.stock(gateway, "fr", 1);
    VerigateClient customer = admin.liveCustomer("10.00").client();
    Activation bought = customer.buy(BuyRequest.of("wa", "fr"));
    assertBalance(customer, "9.50", "0.50");

    Activation cancelled = customer.cancel(bought.id());

    assertThat(cancelled.status()).isEqualTo("CANCELED");
    assertThat(cancelled.endedAt()).isNotNull();
    assertBalance(customer, "10.00", "0.00");
  }

  @Test
  void banRefundsAndTheNumberIsNeverSoldForThatServiceAgain() {
    List<String> numbers = admin.stock(gateway, "nl", 1);
    VerigateClient customer = admin.liveCustomer("10.00").client();
    Activation bought = customer.buy(BuyRequest.of("wa", "nl"));

    assertThat(customer.ban(bought.id()).status()).isEqualTo("BANNED");
    assertBalance(customer, "10.00", "0.00");

    refused(() -> customer.buy(BuyRequest.of("wa", "nl")), 409, "NO_NUMBERS");
    assertThat(customer.buy(BuyRequest.of("tg", "nl")).phoneNumber()).isEqualTo(numbers.get(0));
  }

  @Test
  void aNumberServesEachServiceOnceAndOneActivationAtATime() {
    List<String> numbers = admin.stock(gateway, "es", 1);
    VerigateClient customer = admin.liveCustomer("10.00").client();
    VerigateClient another = admin.liveCustomer("10.00").client();

    Activation first = customer.buy(BuyRequest.of("wa", "es"));
    refused(() -> another.buy(BuyRequest.of("tg", "es")), 409, "NO_NUMBERS");
    deliverCode(first, "Your WhatsApp code: 111-222");
    customer.finish(first.id());

    refused(() -> another.buy(BuyRequest.of("wa", "es")), 409, "NO_NUMBERS");
    assertThat(another.buy(BuyRequest.of("tg", "es")).phoneNumber()).isEqualTo(numbers.get(0));
  }

  @Test
  void theFirstRankedCountryWithinMaxPriceThatHasANumberWins() {
    admin.stock(gateway, "it", 1);
    List<String> inPortugal = admin.stock(gateway, "pt", 1);
    admin.setPrice("wa", "it", "0.90");
    admin.setPrice("wa", "pl", "0.40");
    admin.setPrice("wa", "pt", "0.55");
    VerigateClient customer = admin.liveCustomer("10.00").client();

    // Italy is too expensive, Poland has no numbers, Portugal fits.
    Activation bought = customer.buy(BuyRequest.ranked("wa", List.of("it", "pl", "pt")).withMaxPrice(new BigDecimal("0.60")));

    assertThat(bought.countryIso()).isEqualTo("PT");
    assertThat(bought.phoneNumber()).isEqualTo(inPortugal.get(0));
    assertThat(bought.userCost()).isEqualByComparingTo("0.55");
    assertBalance(customer, "9.45", "0.55");

    // Without a ceiling the first country that has a number wins, whatever it costs.
    assertThat(customer.buy(BuyRequest.ranked("wa", List.of("pl", "it"))).userCost()).isEqualByComparingTo("0.90");
  }

  @Test
  void refusesWithTheCheapestPriceWhenEveryRankedCountryCostsMoreThanMaxPrice() {
    admin.stock(gateway, "se", 1);
    admin.stock(gateway, "at", 1);
    admin.setPrice("whatsapp", "se", "0.80");
    admin.setPrice("wa", "austria", "0.95");
    VerigateClient customer = admin.liveCustomer("10.00").client();

    VerigateException refusal = refused(
        () -> customer.buy(BuyRequest.ranked("wa", List.of("at", "se")).withMaxPrice(new BigDecimal("0.60"))), 409, "PRICE_ABOVE_MAX");

    assertThat(refusal.problem()).containsEntry("minPrice", "0.80");
    assertBalance(customer, "10.00", "0.00");
  }

  @Test
  void refusesSandboxDeliveriesToALiveActivation() {
    admin.stock(gateway, "ch", 1);
    VerigateClient customer = admin.liveCustomer("10.00").client();
    Activation bought = customer.buy(BuyRequest.of("wa", "ch"));

    refused(() -> customer.sandboxSms(bought.id(), "WhatsApp", "Your WhatsApp code: 123-456"), 403, "FORBIDDEN");
    assertThat(customer.activation(bought.id()).status()).isEqualTo("WAITING");
  }

  private static void deliverCode(Activation activation, String text) {
    RawHttp.Reply pushed = gateway.push(activation.phoneNumber(), "WhatsApp", text, UUID.randomUUID().toString());
    assertThat(pushed.json().get("activationId").asInt()).isEqualTo(activation.id());
  }

  private static void assertBalance(VerigateClient customer, String available, String held) {
    Balance balance = customer.balance();
    assertThat(balance.balance()).as("available").isEqualByComparingTo(available);
    assertThat(balance.held()).as("held").isEqualByComparingTo(held);
    assertThat(balance.currency()).isEqualTo("USD");
  }
}
