package io.verigate.server.http;

import static io.verigate.server.esim.EsimTestSupport.plan;
import static io.verigate.server.esim.EsimTestSupport.planId;
import static io.verigate.server.esim.EsimTestSupport.planWithStock;
import static io.verigate.server.http.Refusals.assertProblem;
import static io.verigate.server.testing.Eventually.within;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.esim.FakeAiralo;
import io.verigate.server.http.support.Json;
import io.verigate.server.testing.TestApp;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node whose live plans fall back to Airalo (a fake of its API on loopback) once the operator's own stock is out:
 * the own stock is sold first, then Airalo's eSIMs, charged the same way; an Airalo refusal charges nothing, and eSIMs
 * bought there but not sold after all are kept as own stock.
 */
class AiraloSupplyApiTest {
  private static FakeAiralo airalo;
  private static TestApp app;
  private static RawHttp http;

  @BeforeAll
  static void start() throws Exception {
    airalo = new FakeAiralo();
    app = TestApp.start(Map.of("esim-airalo-url", airalo.url(), "esim-airalo-client-id", FakeAiralo.CLIENT_ID,
        "esim-airalo-client-secret", FakeAiralo.CLIENT_SECRET));
    http = new RawHttp(app.baseUrl());
  }

  @AfterAll
  static void stop() {
    app.close();
    airalo.close();
  }

  @Test
  void sellsTheOwnStockFirstThenBuysFromAiraloAndChargesBothTheSameWay() {
    String plan = airaloPlan(1);
    TestApp.Customer customer = app.liveCustomer("20.00");
    int ordersBefore = airalo.orders().size();

    JsonNode fromStock = order(customer.key(), plan, 1).json();
    JsonNode fromAiralo = order(customer.key(), plan, 2).json();

    assertThat(fromStock.get("esims").get(0).get("smdpAddress").asText()).isNotEqualTo(FakeAiralo.SMDP);
    assertThat(fromAiralo.get("esims")).hasSize(2);
    assertThat(fromAiralo.get("esims").get(0).get("activationCode").asText())
        .startsWith("LPA:1$" + FakeAiralo.SMDP + "$TEST-");
    assertThat(airalo.orders()).hasSize(ordersBefore + 1);
    assertThat(airalo.orders().get(ordersBefore).get("package_id").asText()).isEqualTo("airalo-" + plan);
    assertThat(airalo.orders().get(ordersBefore).get("quantity").asInt()).isEqualTo(2);
    assertThat(balance(customer.key())).containsExactly("6.50", "0.00");
    long fromAiraloId = fromAiralo.get("esims").get(0).get("id").asLong();
    assertThat(http.get("/api/v1/esims/" + fromAiraloId, "x-api-key", customer.key()).json().get("iccid"))
        .isEqualTo(fromAiralo.get("esims").get(0).get("iccid"));
  }

  @Test
  void anAiraloRefusalChargesNothing() {
    String plan = airaloPlan(0);
    TestApp.Customer customer = app.liveCustomer("20.00");

    airalo.refuseNextOrder(new FakeAiralo.Refusal(422, "{\"code\":34,\"reason\":\"Out of stock\"}", Map.of()));
    assertProblem(order(customer.key(), plan, 1), 409, "ESIM_OUT_OF_STOCK");
    airalo.refuseNextOrder(new FakeAiralo.Refusal(422, "{\"code\":13,\"reason\":\"Maintenance\"}", Map.of()));
    assertProblem(http.allowingServerErrors().post("/api/v1/esims/orders",
        Json.write(Map.of("planId", plan, "quantity", 1)), "x-api-key", customer.key()), 503, "SUPPLIER_UNAVAILABLE");
    assertProblem(order(app.liveCustomer("1.00").key(), plan, 1), 402, "NO_BALANCE");

    assertThat(balance(customer.key())).containsExactly("20.00", "0.00");
  }

  @Test
  void anEsimFromAiraloIsNotToppedUpFromTheOwnCatalog() {
    String plan = airaloPlan(0);
    String topUp = planId("gr-airalo-topup");
    Map<String, Object> topUpPlan = new HashMap<>(plan("Greece +1 GB", "GR", 1024L, 7, "3.00"));
    topUpPlan.put("type", "topup");
    planWithStock(app, topUp, topUpPlan, 0);
    TestApp.Customer customer = app.liveCustomer("20.00");
    long id = order(customer.key(), plan, 1).json().get("esims").get(0).get("id").asLong();

    assertProblem(http.post("/api/v1/esims/" + id + "/topups", Json.write(Map.of("planId", topUp)), "x-api-key",
        customer.key()), 409, "TOPUP_REFUSED");
    assertThat(balance(customer.key())).containsExactly("15.50", "0.00");
  }

  @Test
  void eSimsBoughtFromAiraloButNotSoldAfterAllJoinTheOwnStock() throws Exception {
    String plan = airaloPlan(0);
    String other = planId("gr-own");
    planWithStock(app, other, plan("Greece 1 GB", "GR", 1024L, 7, "4.50"), 1);
    TestApp.Customer customer = app.liveCustomer("4.50");
    CountDownLatch gate = new CountDownLatch(1);
    airalo.holdOrdersUntil(gate);
    int ordersBefore = airalo.orders().size();
    try {
      CompletableFuture<RawHttp.Reply> slow = CompletableFuture.supplyAsync(() -> order(customer.key(), plan, 1));
      within(Duration.ofSeconds(10), "the order at Airalo", () -> airalo.orders().size(), n -> n > ordersBefore);
      assertThat(order(customer.key(), other, 1).status()).isEqualTo(201);
      gate.countDown();

      assertProblem(slow.get(30, TimeUnit.SECONDS), 402, "NO_BALANCE");
    } finally {
      gate.countDown();
      airalo.holdOrdersUntil(new CountDownLatch(0));
    }
    assertThat(balance(customer.key())).containsExactly("0.00", "0.00");
    JsonNode kept = StreamSupport.stream(app.admin("GET", "/admin/v1/esims/plans", null).spliterator(), false)
        .filter(p -> p.get("id").asText().equals(plan)).findFirst().orElseThrow();
    assertThat(kept.get("stock").asInt()).isEqualTo(1);
  }

  /** A live Greek plan at 4.50 that falls back to the Airalo package "airalo-<plan id>", with this much own stock. */
  private static String airaloPlan(int ownStock) {
    String plan = planId("gr-airalo");
    Map<String, Object> body = new HashMap<>(plan("Greece 1 GB", "GR", 1024L, 7, "4.50"));
    body.put("supplierPackageId", "airalo-" + plan);
    planWithStock(app, plan, body, ownStock);
    return plan;
  }

  private static RawHttp.Reply order(String key, String plan, int quantity) {
    return http.post("/api/v1/esims/orders", Json.write(Map.of("planId", plan, "quantity", quantity)), "x-api-key", key);
  }

  private static List<String> balance(String key) {
    JsonNode balance = http.get("/api/v1/wallet/balance", "x-api-key", key).json();
    return List.of(balance.get("balance").asText(), balance.get("held").asText());
  }
}
