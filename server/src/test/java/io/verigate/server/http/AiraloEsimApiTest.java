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
import io.verigate.server.system.EventLog;
import io.verigate.server.testing.TestApp;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * eSIMs bought from Airalo (a fake of its API on loopback) after the sale: top-ups bought there and charged like our
 * own (refunded at once when Airalo refuses), usage read from Airalo at most once a minute, the catalog synced from its
 * packages with the operator's price rule, its signed webhooks, and every profile's secrets sealed in the database.
 */
class AiraloEsimApiTest {
  private static final String HOOK = "/hooks/airalo-test";
  private static final String MASTER_KEY = Base64.getEncoder()
      .encodeToString("airalo-tests-use-this-master-key".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  private static FakeAiralo airalo;
  private static TestApp app;
  private static RawHttp http;

  @BeforeAll
  static void start() throws Exception {
    airalo = new FakeAiralo();
    app = TestApp.start(config());
    http = new RawHttp(app.baseUrl());
  }

  private static Map<String, String> config() {
    return Map.of("esim-airalo-url", airalo.url(), "esim-airalo-client-id", FakeAiralo.CLIENT_ID,
        "esim-airalo-client-secret", FakeAiralo.CLIENT_SECRET, "esim-airalo-webhook-path", HOOK,
        "esim-airalo-price-rule", "markup:25", "master-key", MASTER_KEY);
  }

  @AfterAll
  static void stop() {
    app.close();
    airalo.close();
  }

  @Test
  void anAiraloEsimIsToppedUpThereAndChargedLikeAnyTopUp() {
    TestApp.Customer customer = app.liveCustomer("20.00");
    JsonNode esim = airaloEsim(customer, 1024L);
    String topUp = airaloTopUp();

    RawHttp.Reply reply = http.post("/api/v1/esims/" + esim.get("id").asLong() + "/topups",
        Json.write(Map.of("planId", topUp)), "x-api-key", customer.key());

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("usage").get("totalMb").asLong()).isEqualTo(2048);
    JsonNode sent = airalo.topUps().get(airalo.topUps().size() - 1);
    assertThat(sent.get("iccid").asText()).isEqualTo(esim.get("iccid").asText());
    assertThat(sent.get("package_id").asText()).isEqualTo("pkg-" + topUp);
    assertThat(balance(customer.key())).isEqualTo("12.50"); // 20.00 - 4.50 - 3.00
  }

  @Test
  void aTopUpAiraloRefusesIsRefundedAtOnce() {
    TestApp.Customer customer = app.liveCustomer("20.00");
    long id = airaloEsim(customer, 1024L).get("id").asLong();
    String topUp = airaloTopUp();

    airalo.refuseNextOrder(new FakeAiralo.Refusal(422, "{\"code\":23,\"reason\":\"Top-up disabled\"}", Map.of()));
    assertProblem(http.post("/api/v1/esims/" + id + "/topups", Json.write(Map.of("planId", topUp)), "x-api-key",
        customer.key()), 409, "TOPUP_REFUSED");
    airalo.refuseNextOrder(new FakeAiralo.Refusal(422, "{\"code\":13,\"reason\":\"Maintenance\"}", Map.of()));
    assertProblem(http.allowingServerErrors().post("/api/v1/esims/" + id + "/topups",
        Json.write(Map.of("planId", topUp)), "x-api-key", customer.key()), 503, "SUPPLIER_UNAVAILABLE");

    assertThat(balance(customer.key())).isEqualTo("15.50");
    assertThat(http.get("/api/v1/esims/" + id, "x-api-key", customer.key()).json().get("usage").get("totalMb")
        .asLong()).isEqualTo(1024);
    assertThat(http.get("/api/v1/wallet/transactions", "x-api-key", customer.key()).body())
        .contains("eSIM top-up refused by airalo");
  }

  @Test
  void anOwnTopUpPlanDoesNotExtendAnAiraloEsimNorAnAiraloOneAnOwnEsim() {
    TestApp.Customer customer = app.liveCustomer("20.00");
    long fromAiralo = airaloEsim(customer, 1024L).get("id").asLong();
    String own = planId("gr-own-topup");
    Map<String, Object> ownTopUp = new HashMap<>(plan("Greece +1 GB", "GR", 1024L, 7, "3.00"));
    ownTopUp.put("type", "topup");
    planWithStock(app, own, ownTopUp, 0);
    String ownPlan = planId("gr-own");
    planWithStock(app, ownPlan, plan("Greece 1 GB", "GR", 1024L, 7, "4.50"), 1);
    long ownEsim = http.post("/api/v1/esims/orders", Json.write(Map.of("planId", ownPlan)), "x-api-key",
        customer.key()).json().get("esims").get(0).get("id").asLong();

    assertProblem(http.post("/api/v1/esims/" + fromAiralo + "/topups", Json.write(Map.of("planId", own)), "x-api-key",
        customer.key()), 409, "TOPUP_REFUSED");
    assertProblem(http.post("/api/v1/esims/" + ownEsim + "/topups", Json.write(Map.of("planId", airaloTopUp())),
        "x-api-key", customer.key()), 409, "TOPUP_REFUSED");
    assertThat(balance(customer.key())).isEqualTo("11.00");
  }

  @Test
  void usageComesFromAiraloAndIsAskedAtMostOnceAMinute() {
    TestApp.Customer customer = app.liveCustomer("20.00");
    JsonNode esim = airaloEsim(customer, 2048L);
    String iccid = esim.get("iccid").asText();
    airalo.usage(iccid, "ACTIVE", 400, 2048, false);

    JsonNode usage = http.get("/api/v1/esims/" + esim.get("id").asLong() + "/usage", "x-api-key", customer.key())
        .json();
    JsonNode again = http.get("/api/v1/esims/" + esim.get("id").asLong(), "x-api-key", customer.key()).json();

    assertThat(usage.get("status").asText()).isEqualTo("ACTIVE");
    assertThat(usage.get("remainingMb").asLong()).isEqualTo(400);
    assertThat(usage.get("totalMb").asLong()).isEqualTo(2048);
    assertThat(usage.get("unlimited").asBoolean()).isFalse();
    assertThat(usage.get("activatedAt").isNull()).isFalse();
    assertThat(again.get("usage").get("remainingMb").asLong()).isEqualTo(400);
    assertThat(airalo.usageRequests(iccid)).isEqualTo(1);
    // 1648 of 2048 MB used crosses 75 %, not 90 %
    List<EventLog.Event> lowData = within(Duration.ofSeconds(10), "the low-data event", () -> lowData(customer),
        e -> !e.isEmpty());
    assertThat(lowData).hasSize(1);
    assertThat(lowData.get(0).data()).contains("\"usedPercent\":75");
  }

  @Test
  void anUnlimitedAiraloEsimShowsNoTotals() {
    TestApp.Customer customer = app.liveCustomer("20.00");
    JsonNode esim = airaloEsim(customer, null);
    airalo.usage(esim.get("iccid").asText(), "ACTIVE", 0, 0, true);

    JsonNode usage = http.get("/api/v1/esims/" + esim.get("id").asLong() + "/usage", "x-api-key", customer.key())
        .json();

    assertThat(usage.get("status").asText()).isEqualTo("ACTIVE");
    assertThat(usage.get("unlimited").asBoolean()).isTrue();
    assertThat(usage.get("remainingMb").isNull()).isTrue();
    assertThat(usage.get("totalMb").isNull()).isTrue();
  }

  @Test
  void theCatalogIsSyncedWithThePriceRuleAndAPackageThatDisappearsIsWithdrawnNotDeleted() {
    String suffix = planId("sync");
    FakeAiralo.Offer greece = new FakeAiralo.Offer("greece", "Greece", "GR", List.of("GR"),
        FakeAiralo.pack("gr-" + suffix, "sim", "3.60", 1024, 7, false));
    FakeAiralo.Offer europe = new FakeAiralo.Offer("europe", "Europe", "", List.of("FR", "GR"),
        FakeAiralo.pack("eu-" + suffix, "sim", "20.00", 0, 30, true));
    airalo.offer(List.of(greece, europe));

    JsonNode first = app.admin("POST", "/admin/v1/esims/catalog/sync", Map.of());
    TestApp.Customer customer = app.liveCustomer("20.00");
    JsonNode listed = plans(customer, "GR").get("airalo-gr-" + suffix);

    assertThat(first.get("added").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(listed.get("price").asText()).isEqualTo("4.50");
    assertThat(plans(customer, "FR").get("airalo-eu-" + suffix).get("unlimited").asBoolean()).isTrue();
    JsonNode order = http.post("/api/v1/esims/orders", Json.write(Map.of("planId", "airalo-gr-" + suffix)),
        "x-api-key", customer.key()).json();
    assertThat(order.get("esims").get(0).get("smdpAddress").asText()).isEqualTo(FakeAiralo.SMDP);
    assertThat(airalo.orders().get(airalo.orders().size() - 1).get("package_id").asText()).isEqualTo("gr-" + suffix);

    airalo.offer(List.of(europe));
    app.admin("POST", "/admin/v1/esims/catalog/sync", Map.of());

    assertThat(plans(customer, "GR")).doesNotContainKey("airalo-gr-" + suffix);
    assertThat(adminPlan("airalo-gr-" + suffix).get("withdrawn").asBoolean()).isTrue();
    long sold = order.get("esims").get(0).get("id").asLong();
    assertThat(http.get("/api/v1/esims/" + sold, "x-api-key", customer.key()).status()).isEqualTo(200);

    airalo.offer(List.of(greece, europe));
    app.admin("POST", "/admin/v1/esims/catalog/sync", Map.of());
    assertThat(plans(customer, "GR")).containsKey("airalo-gr-" + suffix);
  }

  @Test
  void aCatalogAiraloCannotListChangesNothing() {
    airalo.offer(List.of());
    RawHttp.Reply reply = http.allowingServerErrors().post("/admin/v1/esims/catalog/sync", "{}", "Authorization",
        "Bearer " + app.adminToken());
    assertProblem(reply, 503, "SUPPLIER_UNAVAILABLE");
  }

  @Test
  void airalosHeadProbeIsAnsweredAndOnlySignedWebhooksCount() {
    TestApp.Customer customer = app.liveCustomer("20.00");
    JsonNode esim = airaloEsim(customer, 1024L);
    String body = Json.write(Map.of("level", "90%", "package_name", "pkg", "remaining_percentage", 10, "iccid",
        esim.get("iccid").asText()));

    assertThat(http.send("HEAD", HOOK, null).status()).isEqualTo(200);
    assertProblem(http.post(HOOK, body, "airalo-signature", FakeAiralo.signature(body + " ")), 401, "BAD_KEY");
    assertProblem(http.post(HOOK, body), 401, "BAD_KEY");
    assertThat(lowData(customer)).isEmpty();

    assertThat(http.post(HOOK, body, "airalo-signature", FakeAiralo.signature(body)).status()).isEqualTo(200);
    assertThat(http.post(HOOK, body, "airalo-signature", FakeAiralo.signature(body)).status()).isEqualTo(200);
    String unknown = Json.write(Map.of("level", "75%", "iccid", "8944465400000000000"));
    assertThat(http.post(HOOK, unknown, "airalo-signature", FakeAiralo.signature(unknown)).status()).isEqualTo(200);
    String credit = Json.write(Map.of("message", "Surpassed 80% of the credit limit balance", "remaining", 225.35));
    assertThat(http.post(HOOK, credit, "airalo-signature", FakeAiralo.signature(credit)).status()).isEqualTo(200);

    List<EventLog.Event> events = within(Duration.ofSeconds(10), "the low-data event", () -> lowData(customer),
        e -> !e.isEmpty());
    assertThat(events).hasSize(1);
    assertThat(events.get(0).data()).contains("\"level\":\"90%\"").contains("\"remainingPercent\":10")
        .contains(esim.get("iccid").asText());
  }

  @Test
  void profileSecretsAreSealedInTheDatabaseAndReadBackForTheCustomer() {
    String planId = planId("gr-sealed");
    app.admin("PUT", "/admin/v1/esims/plans/" + planId, plan("Greece 1 GB", "GR", 1024L, 7, "4.50"));
    String iccid = io.verigate.server.esim.EsimTestSupport.freshIccid();
    app.admin("POST", "/admin/v1/esims/plans/" + planId + "/profiles", Map.of("profiles", List.of(Map.of("iccid", iccid,
        "activationCode", "LPA:1$smdp.example.com$04386-AGYFT-A74Y8-3F815", "confirmationCode", "7731"))));
    assertThat(stored("esim_profile", iccid)).allSatisfy(value -> assertThat(value).startsWith("v1:")
        .doesNotContain("04386-AGYFT").doesNotContain("7731"));
    TestApp.Customer customer = app.liveCustomer("20.00");

    JsonNode sold = http.post("/api/v1/esims/orders", Json.write(Map.of("planId", planId)), "x-api-key",
        customer.key()).json().get("esims").get(0);

    assertThat(stored("esim", iccid)).allSatisfy(value -> assertThat(value).startsWith("v1:")
        .doesNotContain("04386-AGYFT").doesNotContain("7731"));
    JsonNode read = http.get("/api/v1/esims/" + sold.get("id").asLong(), "x-api-key", customer.key()).json();
    assertThat(read.get("activationCode").asText()).isEqualTo("LPA:1$smdp.example.com$04386-AGYFT-A74Y8-3F815");
    assertThat(read.get("confirmationCode").asText()).isEqualTo("7731");
  }

  @Test
  void profileSecretsStoredInClearAreSealedWhenANodeStarts() {
    TestApp.Customer customer = app.liveCustomer("20.00");
    JsonNode esim = airaloEsim(customer, 1024L);
    String iccid = esim.get("iccid").asText();
    String matchingId = esim.get("matchingId").asText();
    app.app().database().withHandle(h -> h.createUpdate("UPDATE esim SET matching_id = :m WHERE iccid = :i")
        .bind("m", matchingId).bind("i", iccid).execute());

    try (TestApp restarted = app.anotherNode(config())) {
      assertThat(stored("esim", iccid).get(0)).startsWith("v1:").doesNotContain(matchingId);
      assertThat(new RawHttp(restarted.baseUrl()).get("/api/v1/esims/" + esim.get("id").asLong(), "x-api-key",
          customer.key()).json().get("matchingId").asText()).isEqualTo(matchingId);
    }
  }

  /** An eSIM bought from Airalo: a live Greek plan at 4.50 with no own stock, naming an Airalo package. */
  private static JsonNode airaloEsim(TestApp.Customer customer, Long dataMb) {
    String plan = planId("gr-airalo");
    Map<String, Object> body = new HashMap<>(plan("Greece", "GR", dataMb, 7, "4.50"));
    body.put("supplierPackageId", "pkg-" + plan);
    planWithStock(app, plan, body, 0);
    RawHttp.Reply reply = http.post("/api/v1/esims/orders", Json.write(Map.of("planId", plan)), "x-api-key",
        customer.key());
    assertThat(reply.status()).isEqualTo(201);
    return reply.json().get("esims").get(0);
  }

  /** A live Greek top-up plan at 3.00 that buys the Airalo top-up package "pkg-<plan id>". */
  private static String airaloTopUp() {
    String topUp = planId("gr-airalo-topup");
    Map<String, Object> body = new HashMap<>(plan("Greece +1 GB", "GR", 1024L, 7, "3.00"));
    body.put("type", "topup");
    body.put("supplierPackageId", "pkg-" + topUp);
    planWithStock(app, topUp, body, 0);
    return topUp;
  }

  private static Map<String, JsonNode> plans(TestApp.Customer customer, String country) {
    Map<String, JsonNode> byId = new HashMap<>();
    http.get("/api/v1/esims/plans?country=" + country, "x-api-key", customer.key()).json()
        .forEach(p -> byId.put(p.get("id").asText(), p));
    return byId;
  }

  private static JsonNode adminPlan(String id) {
    return StreamSupport.stream(app.admin("GET", "/admin/v1/esims/plans", null).spliterator(), false)
        .filter(p -> p.get("id").asText().equals(id)).findFirst().orElseThrow();
  }

  /** The matching id and confirmation code columns of the rows with this ICCID, as stored. */
  private static List<String> stored(String table, String iccid) {
    return app.app().database().withHandle(h -> h.createQuery("SELECT matching_id, confirmation_code FROM " + table
            + " WHERE iccid = :i").bind("i", iccid)
        .map((rs, ctx) -> java.util.stream.Stream.of(rs.getString(1), rs.getString(2))
            .filter(java.util.Objects::nonNull).toList())
        .list().stream().flatMap(List::stream).toList());
  }

  private static List<EventLog.Event> lowData(TestApp.Customer customer) {
    return app.app().events().after(customer.id(), false, 0, Set.of("esim.low_data"), null, 10);
  }

  private static String balance(String key) {
    return http.get("/api/v1/wallet/balance", "x-api-key", key).json().get("balance").asText();
  }
}
