package io.verigate.server.http;

import static io.verigate.server.http.Refusals.assertProblem;
import static io.verigate.server.testing.Eventually.within;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.client.Activation;
import io.verigate.client.BuyRequest;
import io.verigate.server.http.support.Json;
import io.verigate.server.testing.TestApp;
import io.verigate.server.testing.WebhookReceiver;
import io.verigate.server.testing.WebhookReceiver.Answer;
import io.verigate.server.testing.WebhookReceiver.Received;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Signed webhooks end to end: a real node posts to a real receiver on loopback (allowed here with
 * {@code webhook-allow-private}), which checks every signature with a verifier written from the spec.
 */
class WebhooksApiTest {
  private static TestApp app;
  private static AdminSetup setup;
  private static RawHttp http;

  private WebhookReceiver receiver;

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

  @BeforeEach
  void openReceiver() {
    receiver = new WebhookReceiver();
  }

  @AfterEach
  void closeReceiver() {
    receiver.close();
  }

  @Test
  void signsEveryEventOfThePurchaseAndShowsTheSecretOnlyAtCreation() {
    AdminSetup.Customer customer = setup.sandboxCustomer();
    RawHttp.Reply created = create(customer.key(), Map.of("url", receiver.url("/hooks")));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.header("Cache-Control")).isEqualTo("no-store");
    String secret = created.text("secret");
    assertThat(secret).startsWith("whsec_");
    assertThat(created.text("mode")).isEqualTo("TEST");
    assertThat(created.json().get("eventTypes")).isEmpty();
    assertThat(created.json().get("enabled").asBoolean()).isTrue();

    Activation bought = customer.client().buy(BuyRequest.of("wa", "us"));

    List<Received> events = receiver.await(2, r -> true);
    assertThat(events).allSatisfy(r -> {
      assertThat(r.path()).isEqualTo("/hooks");
      assertThat(r.signedBy(secret)).as(r.toString()).isTrue();
      assertThat(r.header("Webhook-id")).matches("evt_\\d+");
      assertThat(Long.parseLong(r.header("Webhook-timestamp")))
          .isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(60L));
    });
    JsonNode first = json(events.get(0).body());
    assertThat(first.get("type").asText()).isEqualTo("activation.created");
    assertThat(first.get("timestamp").asText()).isNotBlank();
    assertThat(first.get("data").get("activationId").asLong()).isEqualTo(bought.id());
    JsonNode received = json(events.get(1).body());
    assertThat(received.get("type").asText()).isEqualTo("activation.received");
    assertThat(received.get("data").get("code").asText()).isNotBlank();

    RawHttp.Reply listed = http.get("/api/v1/webhooks", "x-api-key", customer.key());
    assertThat(listed.json().get("items")).hasSize(1);
    assertThat(listed.body()).doesNotContain(secret.substring(6)).doesNotContain("secret\"");
  }

  @Test
  void sendsOnlyTheTypesAskedForAndTheSmsActivateBodyForACode() {
    AdminSetup.Customer customer = setup.sandboxCustomer();
    String secret = create(customer.key(), Map.of("url", receiver.url("/sa"), "eventTypes",
        List.of("activation.received"), "format", "sms-activate")).text("secret");

    Activation bought = customer.client().buy(BuyRequest.of("wa", "us"));

    Received code = receiver.await(1, r -> true).get(0);
    assertThat(code.signedBy(secret)).isTrue();
    JsonNode body = json(code.body());
    assertThat(body.get("activationId").asLong()).isEqualTo(bought.id());
    assertThat(body.get("service").asText()).isEqualTo("wa");
    assertThat(body.get("country").asInt()).isEqualTo(187);
    assertThat(body.get("code").asText()).isNotBlank();
    assertThat(body.get("text").asText()).contains(body.get("code").asText().substring(0, 3));
    assertThat(body.get("receivedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
    customer.client().finish(bought.id());
    sleep(Duration.ofSeconds(2));
    assertThat(receiver.received()).hasSize(1);
  }

  @Test
  void retriesAFailedDeliveryUnderTheSameWebhookIdAndLogsEachOutcome() {
    AdminSetup.Customer customer = setup.liveCustomer("0");
    long id = create(customer.key(), Map.of("url", receiver.url("/flaky"))).json().get("id").asLong();
    receiver.answer(new Answer(503, "busy, come back"));

    RawHttp.Reply test = http.post("/api/v1/webhooks/" + id + "/test", "", "x-api-key", customer.key());
    assertThat(test.status()).as(test.body()).isEqualTo(202);
    assertThat(test.text("eventType")).isEqualTo("webhook.test");

    List<Received> attempts = receiver.await(2, r -> true);
    assertThat(attempts.get(1).header("Webhook-id")).isEqualTo(attempts.get(0).header("Webhook-id"))
        .isEqualTo(test.text("messageId"));
    assertThat(attempts.get(1).body()).isEqualTo(attempts.get(0).body());
    JsonNode delivery = within(Duration.ofSeconds(10), "the delivery's success logged",
        () -> deliveries(customer.key(), id).get(0), d -> d.get("state").asText().equals("succeeded"));
    assertThat(delivery.get("attempts").asInt()).isEqualTo(2);
    assertThat(delivery.get("responseStatus").asInt()).isEqualTo(200);
    assertThat(delivery.get("responseExcerpt").asText()).isEqualTo("ok");
    assertThat(delivery.get("latencyMs").asInt()).isBetween(0, 15_000);
  }

  @Test
  void keepsTheFirstKilobyteOfAnAnswerAndHonoursRetryAfter() {
    AdminSetup.Customer customer = setup.liveCustomer("0");
    long id = create(customer.key(), Map.of("url", receiver.url("/slow"))).json().get("id").asLong();
    receiver.answer(new Answer(429, "x".repeat(5000), "Retry-After", "1"));

    http.post("/api/v1/webhooks/" + id + "/test", "", "x-api-key", customer.key());

    JsonNode failed = within(Duration.ofSeconds(10), "the throttled attempt logged",
        () -> deliveries(customer.key(), id).get(0), d -> d.get("attempts").asInt() == 1);
    assertThat(failed.get("responseStatus").asInt()).isEqualTo(429);
    assertThat(failed.get("responseExcerpt").asText()).hasSize(1024);
    long started = System.nanoTime();
    receiver.await(2, r -> true);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void a410DisablesTheEndpointAndARedirectIsAFailure() {
    AdminSetup.Customer customer = setup.liveCustomer("0");
    long id = create(customer.key(), Map.of("url", receiver.url("/gone"))).json().get("id").asLong();
    receiver.answer(new Answer(410, "gone"));

    http.post("/api/v1/webhooks/" + id + "/test", "", "x-api-key", customer.key());

    JsonNode endpoint = within(Duration.ofSeconds(10), "the endpoint disabled",
        () -> http.get("/api/v1/webhooks/" + id, "x-api-key", customer.key()).json(),
        e -> !e.get("enabled").asBoolean());
    assertThat(endpoint.get("disabledReason").asText()).contains("410");
    assertThat(deliveries(customer.key(), id).get(0).get("state").asText()).isEqualTo("failed");
    assertProblem(http.post("/api/v1/webhooks/" + id + "/test", "", "x-api-key", customer.key()), 409, "CONFLICT");

    RawHttp.Reply enabled = http.send("PATCH", "/api/v1/webhooks/" + id, "{\"enabled\":true}", "x-api-key",
        customer.key());
    assertThat(enabled.json().get("enabled").asBoolean()).isTrue();
    assertThat(enabled.json().get("disabledReason").isNull()).isTrue();
    receiver.answer(new Answer(302, "", "Location", receiver.url("/elsewhere")));
    http.post("/api/v1/webhooks/" + id + "/test", "", "x-api-key", customer.key());
    JsonNode redirected = within(Duration.ofSeconds(10), "the redirect logged",
        () -> deliveries(customer.key(), id).get(0), d -> d.get("attempts").asInt() == 1);
    assertThat(redirected.get("state").asText()).isEqualTo("pending");
    assertThat(redirected.get("lastError").asText()).contains("302");
    assertThat(receiver.received()).noneMatch(r -> r.path().equals("/elsewhere"));
  }

  @Test
  void replaySendsTheSameMessageAgain() {
    AdminSetup.Customer customer = setup.liveCustomer("0");
    long id = create(customer.key(), Map.of("url", receiver.url("/replay"))).json().get("id").asLong();
    long delivery = http.post("/api/v1/webhooks/" + id + "/test", "", "x-api-key", customer.key()).json()
        .get("id").asLong();
    Received original = receiver.await(1, r -> true).get(0);

    RawHttp.Reply replay = http.post("/api/v1/webhooks/" + id + "/deliveries/" + delivery + "/replay", "",
        "x-api-key", customer.key());

    assertThat(replay.status()).as(replay.body()).isEqualTo(202);
    Received again = receiver.await(2, r -> true).get(1);
    assertThat(again.header("Webhook-id")).isEqualTo(original.header("Webhook-id"));
    assertThat(again.body()).isEqualTo(original.body());
    assertProblem(http.post("/api/v1/webhooks/" + id + "/deliveries/999999/replay", "", "x-api-key",
        customer.key()), 404, "NOT_FOUND");
  }

  @Test
  void finishedDeliveriesAgeOutWithTheEventLog() {
    AdminSetup.Customer customer = setup.liveCustomer("0");
    long id = create(customer.key(), Map.of("url", receiver.url("/old"))).json().get("id").asLong();
    http.post("/api/v1/webhooks/" + id + "/test", "", "x-api-key", customer.key());
    within(Duration.ofSeconds(10), "the delivery succeeded", () -> deliveries(customer.key(), id).get(0),
        d -> d.get("state").asText().equals("succeeded"));

    app.app().webhooks().purgeFinishedOlderThan(Instant.now().minus(Duration.ofHours(1)));
    assertThat(deliveries(customer.key(), id)).as("younger than the cutoff").hasSize(1);
    app.app().webhooks().purgeFinishedOlderThan(Instant.now().plusSeconds(1));
    assertThat(deliveries(customer.key(), id)).isEmpty();
  }

  @Test
  void aRotationSignsWithBothSecretsDuringItsOverlapAndWithTheNewOneAfter() {
    AdminSetup.Customer customer = setup.liveCustomer("0");
    RawHttp.Reply created = create(customer.key(), Map.of("url", receiver.url("/rotate")));
    long id = created.json().get("id").asLong();
    String old = created.text("secret");

    RawHttp.Reply rotated = http.post("/api/v1/webhooks/" + id + "/rotate-secret", "{\"overlapSeconds\":3600}",
        "x-api-key", customer.key());
    assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
    String fresh = rotated.text("secret");
    assertThat(fresh).startsWith("whsec_").isNotEqualTo(old);
    assertThat(rotated.text("previousSecretExpiresAt")).isNotNull();
    http.post("/api/v1/webhooks/" + id + "/test", "", "x-api-key", customer.key());
    Received during = receiver.await(1, r -> true).get(0);
    assertThat(during.header("Webhook-signature").split(" ")).hasSize(2);
    assertThat(during.signedBy(old)).isTrue();
    assertThat(during.signedBy(fresh)).isTrue();

    String newest = http.post("/api/v1/webhooks/" + id + "/rotate-secret", "{\"overlapSeconds\":0}", "x-api-key",
        customer.key()).text("secret");
    http.post("/api/v1/webhooks/" + id + "/test", "", "x-api-key", customer.key());
    Received after = receiver.await(2, r -> true).get(1);
    assertThat(after.signedBy(newest)).isTrue();
    assertThat(after.signedBy(fresh)).isFalse();
    assertThat(after.signedBy(old)).isFalse();
  }

  @Test
  void endpointsBelongToOneCustomerAndModeAndNeedTheKeysScopeToChange() {
    AdminSetup.Customer owner = setup.liveCustomer("0");
    AdminSetup.Customer stranger = setup.liveCustomer("0");
    long id = create(owner.key(), Map.of("url", receiver.url("/mine"))).json().get("id").asLong();

    assertProblem(http.get("/api/v1/webhooks/" + id, "x-api-key", stranger.key()), 404, "NOT_FOUND");
    assertProblem(http.send("DELETE", "/api/v1/webhooks/" + id, null, "x-api-key", stranger.key()), 404, "NOT_FOUND");
    assertThat(http.get("/api/v1/webhooks", "x-api-key", stranger.key()).json().get("items")).isEmpty();
    String testKey = app.admin("POST", "/admin/v1/customers/" + owner.id() + "/keys", Map.of("mode", "test"))
        .get("key").asText();
    assertThat(http.get("/api/v1/webhooks", "x-api-key", testKey).json().get("items")).isEmpty();
    String readOnly = app.admin("POST", "/admin/v1/customers/" + owner.id() + "/keys", Map.of("scopes",
        List.of("read"))).get("key").asText();
    assertThat(http.get("/api/v1/webhooks", "x-api-key", readOnly).json().get("items")).hasSize(1);
    assertProblem(create(readOnly, Map.of("url", receiver.url("/x"))), 403, "SCOPE_REQUIRED");
    assertProblem(http.post("/api/v1/webhooks/" + id + "/rotate-secret", "", "x-api-key", readOnly), 403,
        "SCOPE_REQUIRED");

    assertThat(http.send("DELETE", "/api/v1/webhooks/" + id, null, "x-api-key", owner.key()).status()).isEqualTo(204);
    assertProblem(http.get("/api/v1/webhooks/" + id, "x-api-key", owner.key()), 404, "NOT_FOUND");
  }

  @Test
  void refusesBadRequestsWithProblems() {
    AdminSetup.Customer customer = setup.liveCustomer("0");
    assertProblem(create(customer.key(), Map.of("url", "ftp://example.com/")), 400, "BAD_REQUEST");
    assertProblem(create(customer.key(), Map.of()), 400, "BAD_REQUEST");
    assertProblem(create(customer.key(), Map.of("url", receiver.url("/"), "eventTypes", List.of("nope"))), 400,
        "BAD_REQUEST");
    assertProblem(create(customer.key(), Map.of("url", receiver.url("/"), "format", "xml")), 400, "BAD_REQUEST");
    assertProblem(http.post("/api/v1/webhooks", "{", "x-api-key", customer.key()), 400, "MALFORMED_JSON");
    long id = create(customer.key(), Map.of("url", receiver.url("/"))).json().get("id").asLong();
    assertProblem(http.send("PATCH", "/api/v1/webhooks/" + id, "{\"enabled\":\"yes\"}", "x-api-key", customer.key()),
        400, "BAD_REQUEST");
    assertProblem(http.post("/api/v1/webhooks/" + id + "/rotate-secret", "{\"overlapSeconds\":-1}", "x-api-key",
        customer.key()), 400, "BAD_REQUEST");
    assertProblem(http.get("/api/v1/webhooks/abc", "x-api-key", customer.key()), 400, "BAD_REQUEST");
  }

  @Test
  void theOperatorManagesAnyCustomersWebhooks() {
    AdminSetup.Customer customer = setup.liveCustomer("0");
    JsonNode created = app.admin("POST", "/admin/v1/customers/" + customer.id() + "/webhooks",
        Map.of("url", receiver.url("/ops"), "mode", "test"));
    assertThat(created.get("secret").asText()).startsWith("whsec_");
    assertThat(created.get("mode").asText()).isEqualTo("TEST");
    long id = created.get("id").asLong();

    assertThat(app.admin("GET", "/admin/v1/customers/" + customer.id() + "/webhooks", null).get("items")).hasSize(1);
    assertThat(app.admin("GET", "/admin/v1/customers/" + customer.id() + "/webhooks?mode=live", null).get("items"))
        .isEmpty();
    JsonNode patched = app.admin("PATCH", "/admin/v1/customers/" + customer.id() + "/webhooks/" + id,
        Map.of("eventTypes", List.of("wallet.credited")));
    assertThat(patched.get("eventTypes").get(0).asText()).isEqualTo("wallet.credited");
    app.admin("POST", "/admin/v1/customers/" + customer.id() + "/webhooks/" + id + "/test", null);
    assertThat(receiver.await(1, r -> true).get(0).signedBy(created.get("secret").asText())).isTrue();
    assertProblem(http.get("/admin/v1/customers/" + (customer.id() + 1000) + "/webhooks/" + id, "Authorization",
        "Bearer " + app.adminToken()), 404, "NOT_FOUND");
  }

  @Test
  void theAuditLogRecordsWhoRegisteredChangedRotatedAndDeletedAnEndpointButNeverItsSecret() {
    AdminSetup.Customer customer = setup.liveCustomer("0");
    RawHttp.Reply created = create(customer.key(), Map.of("url", receiver.url("/audited?token=abc")));
    long id = created.json().get("id").asLong();
    http.send("PATCH", "/api/v1/webhooks/" + id, Json.write(Map.of("enabled", false)), "x-api-key", customer.key());
    http.post("/api/v1/webhooks/" + id + "/rotate-secret", "{\"overlapSeconds\":60}", "x-api-key", customer.key());
    String admin = "Bearer " + app.adminToken();
    http.send("DELETE", "/admin/v1/customers/" + customer.id() + "/webhooks/" + id, null, "Authorization", admin);

    Map<String, String> actors = new java.util.LinkedHashMap<>();
    for (String action : List.of("webhook.created", "webhook.changed", "webhook.secret_rotated", "webhook.deleted")) {
      RawHttp.Reply page = http.get("/admin/v1/audit?action=" + action + "&limit=20", "Authorization", admin);
      JsonNode entry = java.util.stream.StreamSupport.stream(page.json().get("items").spliterator(), false)
          .filter(e -> e.at("/detail/webhookId").asLong() == id).findFirst().orElseThrow(() ->
              new AssertionError(action + " of webhook " + id + " not audited: " + page.body()));
      assertThat(entry.get("subject").asText()).isEqualTo("customer:" + customer.id());
      assertThat(entry.toString()).doesNotContain(created.text("secret").substring(6)).doesNotContain("abc");
      actors.put(action, entry.get("actor").asText());
    }
    assertThat(actors.get("webhook.created")).contains("customer");
    assertThat(actors.get("webhook.deleted")).startsWith("admin");
  }

  private static RawHttp.Reply create(String key, Map<String, ?> body) {
    return http.post("/api/v1/webhooks", Json.write(body), "x-api-key", key);
  }

  private static List<JsonNode> deliveries(String key, long id) {
    JsonNode items = http.get("/api/v1/webhooks/" + id + "/deliveries", "x-api-key", key).json().get("items");
    List<JsonNode> list = new java.util.ArrayList<>();
    items.forEach(list::add);
    return list;
  }

  private static JsonNode json(String body) {
    try {
      return Json.MAPPER.readTree(body);
    } catch (java.io.IOException e) {
      throw new AssertionError(body, e);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
