package io.verigate.server.http;

import static io.verigate.server.esim.EsimTestSupport.plan;
import static io.verigate.server.esim.EsimTestSupport.planId;
import static io.verigate.server.esim.EsimTestSupport.planWithStock;
import static io.verigate.server.http.Refusals.assertProblem;
import static io.verigate.server.testing.Eventually.within;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.esim.ActivationCode;
import io.verigate.server.esim.EsimTestSupport;
import io.verigate.server.esim.Iccid;
import io.verigate.server.esim.InstallQrDecoder;
import io.verigate.server.http.support.Json;
import io.verigate.server.notify.EventTypes;
import io.verigate.server.system.EventLog;
import io.verigate.server.testing.MutableClock;
import io.verigate.server.testing.TestApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Travel eSIMs over REST on the embedded database, through a real node: the catalog and its filters, orders charged
 * once and answered with everything needed to install, idempotent repeats, refusals that charge nothing, refunds
 * before use, usage and top-ups, the sandbox's magic plans, and the events webhooks carry.
 */
class EsimApiTest {
  private static final String BASE = "/api/v1/esims";
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static MutableClock clock;
  private static TestApp app;
  private static RawHttp http;

  @BeforeAll
  static void start() {
    clock = new MutableClock(Instant.now());
    app = TestApp.start(false, Map.of(), clock);
    http = new RawHttp(app.baseUrl());
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void listsThePlansTheKeysModeSeesNarrowedByCountryRegionDataAndPrice() {
    String greece = planId("gr-3gb");
    String europe = planId("eu-10gb");
    String unlimited = planId("gr-unlimited");
    planWithStock(app, greece, plan("Greece 3 GB", "GR", 3072L, 30, "7.00"), 0);
    Map<String, Object> region = new HashMap<>(plan("Europe 10 GB", "FR", 10240L, 30, "19.00"));
    region.put("countries", List.of("fr", "GR", "de"));
    region.put("region", "Europe");
    planWithStock(app, europe, region, 0);
    planWithStock(app, unlimited, plan("Greece unlimited", "GR", null, 7, "12.50"), 0);
    String key = app.liveCustomer("0").key();

    List<String> inGreece = ids(http.get(BASE + "/plans?country=gr", "x-api-key", key));
    List<String> inEurope = ids(http.get(BASE + "/plans?region=europe", "x-api-key", key));
    List<String> fiveGb = ids(http.get(BASE + "/plans?country=GR&minDataMb=5000", "x-api-key", key));
    List<String> cheap = ids(http.get(BASE + "/plans?country=GR&maxPrice=12.50", "x-api-key", key));
    RawHttp.Reply all = http.get(BASE + "/plans", "x-api-key", key);

    assertThat(inGreece).contains(greece, europe, unlimited).doesNotContain("sandbox-gr-1gb-7d");
    assertThat(inEurope).contains(europe).doesNotContain(greece, unlimited);
    assertThat(fiveGb).contains(europe, unlimited).doesNotContain(greece);
    assertThat(cheap).contains(greece, unlimited).doesNotContain(europe);
    JsonNode shown = find(all.json(), europe);
    assertThat(shown.get("countries")).extracting(JsonNode::asText).containsExactly("DE", "FR", "GR");
    assertThat(shown.get("region").asText()).isEqualTo("europe");
    assertThat(shown.get("price").asText()).isEqualTo("19.00");
    assertThat(shown.get("type").asText()).isEqualTo("esim");
    assertThat(find(all.json(), unlimited).get("dataMb").isNull()).isTrue();
    assertThat(find(all.json(), unlimited).get("unlimited").asBoolean()).isTrue();
    assertThat(ids(http.get(BASE + "/plans", "x-api-key", app.sandboxKey()))).contains("sandbox-gr-1gb-7d")
        .doesNotContain(greece);
    assertProblem(http.get(BASE + "/plans?maxPrice=cheap", "x-api-key", key), 400, "BAD_REQUEST");
    assertProblem(http.get(BASE + "/plans?type=sim", "x-api-key", key), 400, "BAD_REQUEST");
  }

  @Test
  void anOrderIsChargedOnceAndCarriesEverythingToInstallIdempotently() throws Exception {
    String plan = planId("gr-1gb");
    List<String> stock = planWithStock(app, plan, plan("Greece 1 GB", "GR", 1024L, 7, "4.50"), 3);
    TestApp.Customer customer = app.liveCustomer("10.00");
    String body = Json.write(Map.of("planId", plan, "quantity", 2));

    RawHttp.Reply ordered = http.post(BASE + "/orders", body, "x-api-key", customer.key(), "Idempotency-Key", "trip-1");
    RawHttp.Reply repeated = http.post(BASE + "/orders", body, "x-api-key", customer.key(), "Idempotency-Key", "trip-1");

    assertThat(ordered.status()).as(ordered.body()).isEqualTo(201);
    JsonNode order = ordered.json();
    assertThat(ordered.header("Location")).isEqualTo(BASE + "/orders/" + order.get("id").asLong());
    assertThat(order.get("price").asText()).isEqualTo("9.00");
    assertThat(order.get("quantity").asInt()).isEqualTo(2);
    assertThat(order.get("esims")).hasSize(2);
    JsonNode esim = order.get("esims").get(0);
    assertThat(stock).contains(esim.get("iccid").asText(), order.get("esims").get(1).get("iccid").asText());
    String code = "LPA:1$" + EsimTestSupport.SMDP + "$" + esim.get("matchingId").asText();
    assertThat(esim.get("activationCode").asText()).isEqualTo(code);
    assertThat(esim.get("smdpAddress").asText()).isEqualTo(EsimTestSupport.SMDP);
    assertThat(esim.get("confirmationCode").isNull()).isTrue();
    assertThat(esim.get("appleInstallUrl").asText())
        .isEqualTo("https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=" + code);
    assertThat(esim.get("installInstructions").size()).isGreaterThan(3);
    assertThat(esim.get("usage").get("status").asText()).isEqualTo("NOT_ACTIVE");
    assertThat(esim.get("usage").get("totalMb").asLong()).isEqualTo(1024);
    assertThat(esim.get("usage").get("remainingMb").asLong()).isEqualTo(1024);
    assertThat(repeated.status()).isEqualTo(201);
    assertThat(repeated.json().get("id")).isEqualTo(order.get("id"));
    assertThat(repeated.json().get("esims").get(0).get("iccid")).isEqualTo(esim.get("iccid"));
    assertThat(balance(customer.key())).containsExactly("1.00", "0.00");
    assertProblem(http.post(BASE + "/orders", Json.write(Map.of("planId", plan, "quantity", 1)), "x-api-key",
        customer.key(), "Idempotency-Key", "trip-1"), 422, "IDEMPOTENCY_KEY_REUSED");
    assertThat(stockOf(plan)).isEqualTo(1);

    JsonNode history = http.get("/api/v1/wallet/transactions", "x-api-key", customer.key()).json();
    assertThat(history.toString()).contains("eSIM order " + order.get("id").asLong() + ": 2 x Greece 1 GB");
    assertThat(http.get(BASE + "/orders/" + order.get("id").asLong(), "x-api-key", customer.key()).json().get("esims"))
        .hasSize(2);
    long id = esim.get("id").asLong();
    assertThat(http.get(BASE + "/" + id, "x-api-key", customer.key()).json().get("iccid")).isEqualTo(esim.get("iccid"));
    assertThat(ids(http.get(BASE + "?limit=5", "x-api-key", customer.key()).json().get("items")))
        .containsExactlyInAnyOrder(String.valueOf(id), order.get("esims").get(1).get("id").asText());

    HttpResponse<byte[]> qr = CLIENT.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + BASE + "/" + id + "/qr.png"))
        .header("x-api-key", customer.key()).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(qr.statusCode()).isEqualTo(200);
    assertThat(qr.headers().firstValue("Content-Type")).hasValue("image/png");
    assertThat(InstallQrDecoder.decode(qr.body())).isEqualTo(code);

    String stranger = app.liveCustomer("0").key();
    assertProblem(http.get(BASE + "/" + id, "x-api-key", stranger), 404, "NOT_FOUND");
    assertProblem(http.get(BASE + "/" + id + "/qr.png", "x-api-key", stranger), 404, "NOT_FOUND");
    assertProblem(http.get(BASE + "/orders/" + order.get("id").asLong(), "x-api-key", stranger), 404, "NOT_FOUND");
  }

  @Test
  void aRefusedOrderChargesNothingAndTakesNoProfile() {
    String plan = planId("gr-refused");
    planWithStock(app, plan, plan("Greece 1 GB", "GR", 1024L, 7, "4.50"), 2);
    TestApp.Customer poor = app.liveCustomer("4.00");
    TestApp.Customer rich = app.liveCustomer("100.00");

    assertProblem(order(poor.key(), plan, 1), 402, "NO_BALANCE");
    assertProblem(order(rich.key(), plan, 3), 409, "ESIM_OUT_OF_STOCK");
    assertProblem(order(rich.key(), plan, 0), 400, "BAD_REQUEST");
    assertProblem(order(rich.key(), plan, 51), 400, "BAD_REQUEST");
    assertProblem(order(rich.key(), "no-such-plan", 1), 404, "NOT_FOUND");
    assertProblem(order(rich.key(), "sandbox-gr-1gb-7d", 1), 404, "NOT_FOUND");
    assertProblem(http.post(BASE + "/orders", "{\"planId\":", "x-api-key", rich.key()), 400, "MALFORMED_JSON");

    assertThat(balance(poor.key())).containsExactly("4.00", "0.00");
    assertThat(balance(rich.key())).containsExactly("100.00", "0.00");
    assertThat(stockOf(plan)).isEqualTo(2);
    assertThat(order(rich.key(), plan, 2).status()).isEqualTo(201);
    assertProblem(order(rich.key(), plan, 1), 409, "ESIM_OUT_OF_STOCK");
    assertThat(balance(rich.key())).containsExactly("91.00", "0.00");
  }

  @Test
  void aKeyWithoutTheBuyScopeMayListButNotOrder() {
    String plan = planId("gr-scoped");
    planWithStock(app, plan, plan("Greece 1 GB", "GR", 1024L, 7, "4.50"), 1);
    TestApp.Customer customer = app.liveCustomer("10.00");
    String readOnly = app.admin("POST", "/admin/v1/customers/" + customer.id() + "/keys",
        Map.of("mode", "live", "scopes", List.of("read"))).get("key").asText();

    assertThat(http.get(BASE + "/plans", "x-api-key", readOnly).status()).isEqualTo(200);
    assertProblem(order(readOnly, plan, 1), 403, "SCOPE_REQUIRED");
    assertProblem(http.get(BASE + "/plans"), 401, "BAD_KEY");
  }

  @Test
  void aRefundIsPossibleOnlyBeforeTheEsimIsInUse() {
    String plan = planId("gr-refund");
    planWithStock(app, plan, plan("Greece 1 GB", "GR", 1024L, 7, "4.50"), 2);
    TestApp.Customer customer = app.liveCustomer("9.00");
    JsonNode esims = order(customer.key(), plan, 2).json().get("esims");
    long unused = esims.get(0).get("id").asLong();
    long used = esims.get(1).get("id").asLong();
    app.admin("PUT", "/admin/v1/esims/" + used + "/usage", Map.of("status", "ACTIVE", "usedMb", 10));

    RawHttp.Reply refunded = http.post(BASE + "/" + unused + "/refund", null, "x-api-key", customer.key());

    assertThat(refunded.status()).isEqualTo(200);
    assertThat(refunded.json().get("usage").get("status").asText()).isEqualTo("REFUNDED");
    assertThat(refunded.json().get("refundedAt").isNull()).isFalse();
    assertThat(balance(customer.key())).containsExactly("4.50", "0.00");
    assertProblem(http.post(BASE + "/" + unused + "/refund", null, "x-api-key", customer.key()), 409, "INVALID_STATE");
    assertProblem(http.post(BASE + "/" + used + "/refund", null, "x-api-key", customer.key()), 409, "INVALID_STATE");
    assertThat(balance(customer.key())).containsExactly("4.50", "0.00");
    assertThat(http.get("/api/v1/wallet/transactions", "x-api-key", customer.key()).body()).contains("eSIM refund: "
        + esims.get(0).get("iccid").asText());
  }

  @Test
  void usageCountsDownTopUpsAddDataAndDaysAndTheDaysRunOut() {
    String plan = planId("gr-usage");
    String topUp = planId("gr-topup");
    String elsewhere = planId("fr-topup");
    planWithStock(app, plan, plan("Greece 1 GB", "GR", 1024L, 7, "4.50"), 1);
    Map<String, Object> topUpPlan = new HashMap<>(plan("Greece +2 GB", "GR", 2048L, 7, "3.00"));
    topUpPlan.put("type", "topup");
    planWithStock(app, topUp, topUpPlan, 0);
    Map<String, Object> otherPlan = new HashMap<>(plan("France +2 GB", "FR", 2048L, 7, "3.00"));
    otherPlan.put("type", "topup");
    planWithStock(app, elsewhere, otherPlan, 0);
    TestApp.Customer customer = app.liveCustomer("10.00");
    long id = order(customer.key(), plan, 1).json().get("esims").get(0).get("id").asLong();

    JsonNode active = app.admin("PUT", "/admin/v1/esims/" + id + "/usage", Map.of("status", "ACTIVE", "usedMb", 300))
        .get("usage");
    JsonNode finished = app.admin("PUT", "/admin/v1/esims/" + id + "/usage", Map.of("status", "ACTIVE", "usedMb", 1024))
        .get("usage");
    RawHttp.Reply toppedUp = http.post(BASE + "/" + id + "/topups", Json.write(Map.of("planId", topUp)),
        "x-api-key", customer.key());

    assertThat(active.get("status").asText()).isEqualTo("ACTIVE");
    assertThat(active.get("remainingMb").asLong()).isEqualTo(724);
    assertThat(active.get("expiresAt").isNull()).isFalse();
    assertThat(finished.get("status").asText()).isEqualTo("FINISHED");
    assertThat(finished.get("remainingMb").asLong()).isZero();
    assertThat(toppedUp.status()).as(toppedUp.body()).isEqualTo(200);
    JsonNode usage = toppedUp.json().get("usage");
    assertThat(usage.get("status").asText()).isEqualTo("ACTIVE");
    assertThat(usage.get("totalMb").asLong()).isEqualTo(3072);
    assertThat(usage.get("remainingMb").asLong()).isEqualTo(2048);
    assertThat(usage.get("validityDays").asInt()).isEqualTo(14);
    assertThat(balance(customer.key())).containsExactly("2.50", "0.00");
    assertProblem(http.post(BASE + "/" + id + "/topups", Json.write(Map.of("planId", elsewhere)), "x-api-key",
        customer.key()), 409, "TOPUP_REFUSED");
    assertProblem(http.post(BASE + "/" + id + "/topups", Json.write(Map.of("planId", plan)), "x-api-key",
        customer.key()), 400, "BAD_REQUEST");

    clock.advance(Duration.ofDays(15));
    try {
      assertThat(http.get(BASE + "/" + id, "x-api-key", customer.key()).json().get("usage").get("status").asText())
          .isEqualTo("EXPIRED");
      assertProblem(http.post(BASE + "/" + id + "/topups", Json.write(Map.of("planId", topUp)), "x-api-key",
          customer.key()), 409, "TOPUP_REFUSED");
    } finally {
      clock.advance(Duration.ofDays(-15));
    }
    assertThat(balance(customer.key())).containsExactly("2.50", "0.00");
  }

  @Test
  void anUnlimitedPlanShowsNoTotals() {
    String plan = planId("gr-unlimited-usage");
    planWithStock(app, plan, plan("Greece unlimited", "GR", null, 7, "9.00"), 1);
    TestApp.Customer customer = app.liveCustomer("9.00");
    long id = order(customer.key(), plan, 1).json().get("esims").get(0).get("id").asLong();

    JsonNode usage = app.admin("PUT", "/admin/v1/esims/" + id + "/usage", Map.of("status", "ACTIVE", "usedMb", 5000))
        .get("usage");

    assertThat(usage.get("status").asText()).isEqualTo("ACTIVE");
    assertThat(usage.get("unlimited").asBoolean()).isTrue();
    assertThat(usage.get("totalMb").isNull()).isTrue();
    assertThat(usage.get("remainingMb").isNull()).isTrue();
  }

  @Test
  void theSandboxSellsSyntheticEsimsOfTheRealShapeAndItsMagicPlansRefuse() throws Exception {
    TestApp.Customer tester = app.sandboxCustomer();
    RawHttp.Reply ordered = order(tester.key(), "sandbox-gr-1gb-7d", 2);

    assertThat(ordered.status()).as(ordered.body()).isEqualTo(201);
    JsonNode esim = ordered.json().get("esims").get(0);
    assertThat(Iccid.luhnValid(esim.get("iccid").asText())).isTrue();
    assertThat(esim.get("iccid").asText()).matches("89999\\d{14}");
    assertThat(esim.get("matchingId").asText()).matches("[0-9A-Z]{5}(-[0-9A-Z]{5}){3}");
    ActivationCode code = ActivationCode.parse(esim.get("activationCode").asText());
    assertThat(code.smdpAddress()).isEqualTo("smdp.sandbox.verigate.test");
    assertThat(ordered.json().get("esims").get(1).get("iccid")).isNotEqualTo(esim.get("iccid"));
    HttpResponse<byte[]> qr = CLIENT.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + BASE + "/"
        + esim.get("id").asLong() + "/qr.png")).header("x-api-key", tester.key()).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(InstallQrDecoder.decode(qr.body())).isEqualTo(esim.get("activationCode").asText());

    List<String> before = balance(tester.key());
    assertProblem(order(tester.key(), "sandbox-out-of-stock", 1), 409, "ESIM_OUT_OF_STOCK");
    assertProblem(http.allowingServerErrors().post(BASE + "/orders",
        Json.write(Map.of("planId", "sandbox-supplier-failure")), "x-api-key", tester.key()), 503, "SUPPLIER_UNAVAILABLE");
    long id = esim.get("id").asLong();
    assertProblem(http.post(BASE + "/" + id + "/topups", Json.write(Map.of("planId", "sandbox-topup-refused")),
        "x-api-key", tester.key()), 409, "TOPUP_REFUSED");
    assertThat(balance(tester.key())).isEqualTo(before);
    RawHttp.Reply toppedUp = http.post(BASE + "/" + id + "/topups",
        Json.write(Map.of("planId", "sandbox-gr-topup-1gb-7d")), "x-api-key", tester.key());
    assertThat(toppedUp.json().get("usage").get("totalMb").asLong()).isEqualTo(2048);

    RawHttp.Reply played = http.post("/api/v1/sandbox/esims/" + id + "/usage",
        Json.write(Map.of("status", "ACTIVE", "usedMb", 2048)), "x-api-key", tester.key());
    assertThat(played.json().get("usage").get("status").asText()).isEqualTo("FINISHED");
    assertProblem(http.post("/api/v1/sandbox/esims/" + id + "/usage", Json.write(Map.of("status", "EXPIRED")),
        "x-api-key", tester.key()), 400, "BAD_REQUEST");
    assertProblem(http.post("/api/v1/sandbox/esims/" + id + "/usage", Json.write(Map.of("status", "ACTIVE")),
        "x-api-key", app.sandboxKey()), 404, "NOT_FOUND");
  }

  @Test
  void ordersTopUpsRefundsAndLowDataAreEventsInTheLogThatWebhooksMayAskFor() {
    String plan = planId("gr-events");
    String topUp = planId("gr-events-topup");
    planWithStock(app, plan, plan("Greece 1 GB", "GR", 1024L, 7, "4.50"), 2);
    Map<String, Object> topUpPlan = new HashMap<>(plan("Greece +1 GB", "GR", 1024L, 7, "3.00"));
    topUpPlan.put("type", "topup");
    planWithStock(app, topUp, topUpPlan, 0);
    TestApp.Customer customer = app.liveCustomer("20.00");
    JsonNode order = order(customer.key(), plan, 2).json();
    long first = order.get("esims").get(0).get("id").asLong();
    http.post(BASE + "/" + first + "/topups", Json.write(Map.of("planId", topUp)), "x-api-key", customer.key());
    http.post(BASE + "/" + order.get("esims").get(1).get("id").asLong() + "/refund", null, "x-api-key", customer.key());
    for (int usedMb : new int[] {1000, 1600, 1900, 1950}) {
      app.admin("PUT", "/admin/v1/esims/" + first + "/usage", Map.of("status", "ACTIVE", "usedMb", usedMb));
    }

    Set<String> types = Set.of("esim.ordered", "esim.topped_up", "esim.refunded", "esim.low_data");
    List<EventLog.Event> events = within(Duration.ofSeconds(10), "five events",
        () -> app.app().events().after(customer.id(), false, 0, types, null, 10), e -> e.size() >= 5);

    assertThat(events).extracting(EventLog.Event::type).containsExactly("esim.ordered", "esim.topped_up", "esim.refunded",
        "esim.low_data", "esim.low_data");
    assertThat(events.get(3).data()).contains("\"usedPercent\":75").contains("\"remainingMb\":448")
        .contains("\"totalMb\":2048");
    assertThat(events.get(4).data()).contains("\"usedPercent\":90").contains("\"remainingMb\":148");
    assertThat(events.get(0).data()).contains("\"orderId\":" + order.get("id").asLong()).contains("\"price\":\"9.00\"")
        .doesNotContain("LPA:");
    assertThat(events.get(1).data()).contains("\"esimId\":" + first);
    assertThat(EventTypes.filter(types)).isEqualTo(types);
  }

  @Test
  void theOperatorImportsCheckedProfilesAndSeesTheStock() {
    String plan = planId("gr-import");
    planWithStock(app, plan, plan("Greece 1 GB", "GR", 1024L, 7, "4.50"), 0);
    String admin = "Bearer " + app.adminToken();
    String good = EsimTestSupport.freshIccid();
    String path = "/admin/v1/esims/plans/" + plan + "/profiles";

    JsonNode imported = app.admin("POST", path, Map.of("profiles", List.of(
        Map.of("iccid", good, "activationCode", "LPA:1$rsp.example.com$ABCDE-12345", "confirmationCode", "1234"),
        Map.of("iccid", good, "smdpAddress", "rsp.example.com", "matchingId", "ABCDE-12345"))));

    assertThat(imported.get("imported").asInt()).isEqualTo(1);
    assertThat(imported.get("duplicates").asInt()).isEqualTo(1);
    assertThat(imported.get("stock").asInt()).isEqualTo(1);
    String badLuhn = good.substring(0, good.length() - 1) + ((good.charAt(good.length() - 1) - '0' + 1) % 10);
    RawHttp.Reply refused = http.post(path, Json.write(Map.of("profiles", List.of(Map.of("iccid", EsimTestSupport.freshIccid(),
        "activationCode", "LPA:1$rsp.example.com$OK-1"), Map.of("iccid", badLuhn, "activationCode",
        "LPA:1$rsp.example.com$OK-2")))), "Authorization", admin);
    assertProblem(refused, 400, "BAD_REQUEST");
    assertThat(refused.text("detail")).startsWith("profiles[1]:").contains("Luhn");
    assertProblem(http.post(path, Json.write(Map.of("profiles", List.of(Map.of("iccid", EsimTestSupport.freshIccid(),
        "activationCode", "1$rsp.example.com")))), "Authorization", admin), 400, "BAD_REQUEST");
    assertProblem(http.post("/admin/v1/esims/plans/no-such-plan/profiles", Json.write(Map.of("profiles",
        List.of(Map.of("iccid", EsimTestSupport.freshIccid(), "activationCode", "LPA:1$rsp.example.com$X")))),
        "Authorization", admin), 404, "NOT_FOUND");
    assertProblem(http.put("/admin/v1/esims/plans/" + planId("bad"), Json.write(plan("Nowhere", "XX", 1L, 1, "1.00")),
        "Authorization", admin), 400, "UNKNOWN_COUNTRY");
    assertProblem(http.put("/admin/v1/esims/plans/Bad_Id", Json.write(plan("Greece", "GR", 1L, 1, "1.00")),
        "Authorization", admin), 400, "BAD_REQUEST");
    assertThat(stockOf(plan)).isEqualTo(1);

    TestApp.Customer customer = app.liveCustomer("10.00");
    JsonNode esim = order(customer.key(), plan, 1).json().get("esims").get(0);
    assertThat(esim.get("confirmationCode").asText()).isEqualTo("1234");
    assertThat(esim.get("activationCode").asText()).isEqualTo("LPA:1$rsp.example.com$ABCDE-12345");
  }

  private static RawHttp.Reply order(String key, String plan, int quantity) {
    return http.post(BASE + "/orders", Json.write(Map.of("planId", plan, "quantity", quantity)), "x-api-key", key);
  }

  private static int stockOf(String plan) {
    return find(app.admin("GET", "/admin/v1/esims/plans", null), plan).get("stock").asInt();
  }

  private static List<String> balance(String key) {
    JsonNode balance = http.get("/api/v1/wallet/balance", "x-api-key", key).json();
    return List.of(balance.get("balance").asText(), balance.get("held").asText());
  }

  private static List<String> ids(RawHttp.Reply reply) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return ids(reply.json());
  }

  private static List<String> ids(JsonNode items) {
    List<String> ids = new ArrayList<>();
    items.forEach(item -> ids.add(item.get("id").asText()));
    return ids;
  }

  private static JsonNode find(JsonNode plans, String id) {
    for (JsonNode plan : plans) {
      if (plan.get("id").asText().equals(id)) {
        return plan;
      }
    }
    throw new AssertionError("no plan " + id + " in " + plans);
  }
}
