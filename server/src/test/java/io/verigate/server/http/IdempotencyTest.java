package io.verigate.server.http;

import static io.verigate.server.http.Refusals.assertProblem;
import static io.verigate.server.http.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.client.Activation;
import io.verigate.client.BuyRequest;
import io.verigate.client.ListFilter;
import io.verigate.client.VerigateClient;
import io.verigate.server.account.ApiKeys;
import io.verigate.server.account.Actor;
import io.verigate.server.account.Mode;
import io.verigate.server.testing.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code Idempotency-Key} on {@code POST /api/v1/activations}: a retry never buys twice. */
class IdempotencyTest {
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

  private static BuyRequest whatsAppInUs(String key) {
    return BuyRequest.of("wa", "us").withOperator("nocode").withIdempotencyKey(key);
  }

  @Test
  void theSameKeyAndBodyReturnTheFirstActivationAndHoldOnce() {
    VerigateClient customer = admin.sandboxCustomer().client();

    Activation first = customer.buy(whatsAppInUs("order-1"));
    Activation retry = customer.buy(whatsAppInUs("order-1"));

    assertThat(retry.id()).isEqualTo(first.id());
    assertThat(retry.phoneNumber()).isEqualTo(first.phoneNumber());
    assertThat(customer.balance().held()).isEqualByComparingTo("0.50");
    assertThat(customer.activations(ListFilter.all()).items()).hasSize(1);
  }

  @Test
  void theSameKeyWithAnotherBodyIsRefusedAndBuysNothing() {
    VerigateClient customer = admin.sandboxCustomer().client();
    customer.buy(whatsAppInUs("order-2"));

    refused(() -> customer.buy(BuyRequest.of("tg", "us").withOperator("nocode").withIdempotencyKey("order-2")),
        422, "IDEMPOTENCY_KEY_REUSED");

    assertThat(customer.balance().held()).isEqualByComparingTo("0.50");
    assertThat(customer.activations(ListFilter.all()).items()).hasSize(1);
  }

  @Test
  void onlyTheBodysContentCountsNotItsKeyOrderOrSpacing() {
    String key = admin.sandboxCustomer().key();
    String[] headers = {"x-api-key", key, "Idempotency-Key", "order-3"};

    RawHttp.Reply first = http.post("/api/v1/activations", "{\"serviceCode\":\"wa\",\"countryIso\":\"us\",\"operator\":\"nocode\"}", headers);
    RawHttp.Reply retry = http.post("/api/v1/activations", "{ \"operator\": \"nocode\",\n  \"countryIso\": \"us\", \"serviceCode\": \"wa\" }", headers);

    assertThat(first.status()).isEqualTo(201);
    assertThat(retry.status()).isEqualTo(201);
    assertThat(retry.json().get("id").asInt()).isEqualTo(first.json().get("id").asInt());
  }

  @Test
  void aKeyUsedInTheSandboxDoesNotAnswerForTheSameCustomersLivePurchase() {
    AdminSetup.Customer live = admin.liveCustomer("5.00");
    VerigateClient sandbox = admin.client(
        app.app().keys().issue(Actor.SYSTEM, live.id(), ApiKeys.NewKey.unrestricted(Mode.TEST, "sandbox")).secret());
    admin.stock(admin.gateway(), "FI", 1);

    Activation rehearsal = sandbox.buy(BuyRequest.of("wa", "fi").withIdempotencyKey("order-modes"));
    Activation real = live.client().buy(BuyRequest.of("wa", "fi").withIdempotencyKey("order-modes"));

    assertThat(real.id()).isNotEqualTo(rehearsal.id());
    assertThat(live.client().balance().held()).isEqualByComparingTo("0.50");
  }

  @Test
  void keysBelongToOneCustomer() {
    VerigateClient one = admin.sandboxCustomer().client();
    VerigateClient other = admin.sandboxCustomer().client();

    assertThat(one.buy(whatsAppInUs("shared-key")).id()).isNotEqualTo(other.buy(whatsAppInUs("shared-key")).id());
  }

  @Test
  void aFailedPurchaseLeavesTheKeyFreeForTheRetry() {
    VerigateClient customer = admin.sandboxCustomer().client();
    BuyRequest nothingLeft = BuyRequest.of("wa", "us").withOperator("nonumbers").withIdempotencyKey("order-4");

    refused(() -> customer.buy(nothingLeft), 409, "NO_NUMBERS");
    refused(() -> customer.buy(nothingLeft), 409, "NO_NUMBERS");

    assertThat(customer.buy(whatsAppInUs("order-4")).status()).isEqualTo("WAITING");
  }

  @Test
  void refusesAKeyLongerThan255Characters() {
    assertProblem(http.post("/api/v1/activations", "{\"serviceCode\":\"wa\",\"countryIso\":\"us\"}",
        "x-api-key", app.sandboxKey(), "Idempotency-Key", "k".repeat(256)), 400, "BAD_REQUEST");
  }
}
