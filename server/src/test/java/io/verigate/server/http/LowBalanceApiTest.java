package io.verigate.server.http;

import static io.verigate.server.http.Refusals.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.client.BuyRequest;
import io.verigate.server.http.support.Json;
import io.verigate.server.testing.TestApp;
import io.verigate.server.testing.WebhookReceiver;
import io.verigate.server.testing.WebhookReceiver.Received;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code wallet.low_balance}: a customer's live wallet sends it with the purchase that takes the available balance
 * below the threshold the customer chose, once per crossing, to webhooks and event streams like every event.
 */
class LowBalanceApiTest {
  private static final Duration PATIENCE = Duration.ofSeconds(15);
  private static TestApp app;
  private static AdminSetup setup;
  private static RawHttp http;

  @BeforeAll
  static void start() {
    app = TestApp.start(Map.of("webhook-allow-private", "true"));
    setup = new AdminSetup(app);
    http = new RawHttp(app.baseUrl());
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void thePurchaseThatCrossesBelowTheThresholdSendsTheEventOnceUntilACreditLiftsTheBalance() throws Exception {
    setup.setPrice("wa", "FI", "0.30");
    setup.stock(setup.gateway(), "FI", 6);
    AdminSetup.Customer customer = setup.liveCustomer("1.00");
    RawHttp.Reply set = http.put("/api/v1/wallet/low-balance-threshold", "{\"threshold\":\"0.50\"}",
        "x-api-key", customer.key());
    assertThat(set.status()).as(set.body()).isEqualTo(200);
    assertThat(set.text("lowBalanceThreshold")).isEqualTo("0.50");
    assertThat(http.get("/api/v1/wallet/balance", "x-api-key", customer.key()).text("lowBalanceThreshold"))
        .isEqualTo("0.50");
    try (WebhookReceiver receiver = new WebhookReceiver();
        EventStreamClient stream = EventStreamClient.open(app.baseUrl() + "/api/v1/events?types=wallet.low_balance",
            "x-api-key", customer.key())) {
      String secret = http.post("/api/v1/webhooks", Json.write(Map.of("url", receiver.url("/low"),
          "eventTypes", List.of("wallet.low_balance"))), "x-api-key", customer.key()).text("secret");

      buy(customer); // 0.70 left: above
      buy(customer); // 0.40: below, the event
      buy(customer); // 0.10: still below, no second event
      EventStreamClient.Message first = stream.next(PATIENCE);
      assertThat(first.event()).isEqualTo("wallet.low_balance");
      assertThat(first.text("balance")).isEqualTo("0.40");
      assertThat(first.text("threshold")).isEqualTo("0.50");
      Received posted = receiver.await(1, r -> true).get(0);
      assertThat(posted.signedBy(secret)).isTrue();
      JsonNode body = Json.MAPPER.readTree(posted.body());
      assertThat(body.get("type").asText()).isEqualTo("wallet.low_balance");
      assertThat(body.at("/data/balance").asText()).isEqualTo("0.40");
      assertThat(body.at("/data/currency").asText()).isNotBlank();

      setup.credit(customer.id(), "1.00"); // 1.10: armed again
      buy(customer); // 0.80
      buy(customer); // 0.50: at the threshold is not below it
      buy(customer); // 0.20: the second crossing
      EventStreamClient.Message second = stream.next(PATIENCE);
      assertThat(second.text("balance")).isEqualTo("0.20");
      assertThat(second.id()).isGreaterThan(first.id());
      assertThat(receiver.await(2, r -> true)).hasSize(2);
      stream.expectNothing(Duration.ofMillis(500));
      assertThat(receiver.received()).hasSize(2);
    }
  }

  @Test
  void theOperatorSetsOrTurnsOffTheThresholdAndTheAuditLogSaysWho() {
    AdminSetup.Customer customer = setup.liveCustomer("2.00");
    String path = "/admin/v1/customers/" + customer.id() + "/wallet/low-balance-threshold";
    String admin = "Bearer " + app.adminToken();

    RawHttp.Reply set = http.put(path, "{\"threshold\":\"1.25\"}", "Authorization", admin);
    assertThat(set.status()).as(set.body()).isEqualTo(200);
    assertThat(set.text("lowBalanceThreshold")).isEqualTo("1.25");
    RawHttp.Reply off = http.put(path, "{\"threshold\":null}", "Authorization", admin);
    assertThat(off.json().get("lowBalanceThreshold").isNull()).isTrue();
    assertThat(http.get("/admin/v1/customers/" + customer.id() + "/wallet", "Authorization", admin)
        .json().get("lowBalanceThreshold").isNull()).isTrue();
    JsonNode audit = http.get("/admin/v1/audit?action=wallet.low_balance_set&limit=2", "Authorization", admin).json();
    assertThat(audit.at("/items/0/subject").asText()).isEqualTo("customer:" + customer.id());
    assertThat(audit.at("/items/1/detail/threshold").asText()).isEqualTo("1.25");
  }

  @Test
  void badThresholdsAreRefusedInTheDialectsOwnWords() {
    AdminSetup.Customer customer = setup.liveCustomer("0");
    String path = "/api/v1/wallet/low-balance-threshold";
    assertProblem(http.put(path, "{}", "x-api-key", customer.key()), 400, "BAD_REQUEST");
    assertProblem(http.put(path, "{\"threshold\":\"-1\"}", "x-api-key", customer.key()), 400, "BAD_REQUEST");
    assertProblem(http.put(path, "{\"threshold\":\"0\"}", "x-api-key", customer.key()), 400, "BAD_REQUEST");
    assertProblem(http.put(path, "{\"threshold\":\"lots\"}", "x-api-key", customer.key()), 400, "BAD_REQUEST");
    assertProblem(http.put(path, "{\"threshold\":\"1.00\"}", "x-api-key", app.sandboxKey()), 400, "BAD_REQUEST");
    assertProblem(http.put(path, "{\"threshold\":\"1.00\"}"), 401, "BAD_KEY");
    assertProblem(http.put("/admin/v1/customers/999999/wallet/low-balance-threshold", "{\"threshold\":\"1.00\"}",
        "Authorization", "Bearer " + app.adminToken()), 404, "NOT_FOUND");
  }

  private static void buy(AdminSetup.Customer customer) {
    customer.client().buy(BuyRequest.of("wa", "fi"));
  }
}
