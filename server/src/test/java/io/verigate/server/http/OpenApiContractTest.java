package io.verigate.server.http;

import static io.verigate.server.testing.Eventually.within;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import io.javalin.Javalin;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.verigate.server.App;
import io.verigate.server.http.rest.ApiDocsRoutes;
import io.verigate.server.http.support.Json;
import io.verigate.server.notify.EventTypes;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Version;
import io.verigate.server.testing.MutableClock;
import io.verigate.server.testing.TestApp;
import io.verigate.server.testing.TestNumbers;
import io.verigate.server.testing.WebhookReceiver;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Holds the OpenAPI document served at {@code /api/docs} to the server's real behaviour. Every request below
 * goes through {@link Request#send}, which fails the test when the operation, the status, the content type, a query
 * parameter or the body (response, and request on success) is not what the document says. Our object schemas
 * forbid additional properties, so an undocumented field fails too.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenApiContractTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final AtomicInteger NEXT = new AtomicInteger();

  private static MutableClock clock;
  private static TestApp app;
  private static Contract contract;

  @BeforeAll
  static void start() {
    clock = new MutableClock(Instant.now());
    // Webhook receivers in these tests listen on loopback.
    app = TestApp.start(false, Map.of("webhook-allow-private", "true"), clock);
    contract = new Contract(resource(ApiDocsRoutes.RESOURCE));
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void servesTheDocumentAtApiDocs() {
    Exchange docs = get("/api/docs").send();

    assertThat(docs.status()).isEqualTo(200);
    assertThat(docs.contentType()).isEqualTo("application/json");
    // as written, but for info.version, which the node fills in with its build's version
    JsonNode served = docs.json().deepCopy();
    assertThat(served.at("/info/version").asText()).isEqualTo(Version.current());
    ((com.fasterxml.jackson.databind.node.ObjectNode) served.get("info"))
        .set("version", contract.document.at("/info/version"));
    assertThat(served).isEqualTo(contract.document);
  }

  @Test
  void servesTheDialectsDocumentsAndAPageThatBrowsesAllThree() {
    for (String dialect : List.of("/api/docs/sms-activate.json", "/api/docs/5sim.json")) {
      Exchange document = get(dialect).send();
      assertThat(document.status()).isEqualTo(200);
      assertThat(document.json().get("openapi").asText()).isEqualTo("3.1.0");
    }

    Exchange page = get("/api/docs/ui").send();
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'", "frame-ancestors 'none'");
    assertThat(page.body()).contains("/api/docs/ui/swagger-ui-bundle.js", "/api/docs/ui/verigate-ui.js");
    Exchange bundle = get("/api/docs/ui/swagger-ui-bundle.js").send();
    assertThat(bundle.contentType()).isEqualTo("text/javascript");
    assertThat(bundle.body()).contains("SwaggerUIBundle");
    assertThat(bundle.header("Cache-Control")).isEqualTo("public, max-age=3600");
    assertThat(get("/api/docs/ui/verigate-ui.js").send().body())
        .contains("\"/api/docs\"", "\"/api/docs/sms-activate.json\"", "\"/api/docs/5sim.json\"");
    assertThat(get("/api/docs/ui/swagger-ui.css").send().contentType()).isEqualTo("text/css");
    assertProblem(get("/api/docs/ui/index.html").send(), 404, "NOT_FOUND");
  }

  @Test
  void theDocumentIsAValidOpenApi31DocumentWhoseReferencesResolve() {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(resource(ApiDocsRoutes.RESOURCE), null, options);

    assertThat(parsed.getMessages()).isEmpty();
    assertThat(parsed.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
  }

  @Test
  void documentsExactlyTheEventTypesAnEndpointMayAskFor() {
    List<String> documented = new ArrayList<>();
    contract.document.at("/components/schemas/WebhookEventType/enum").forEach(type -> documented.add(type.asText()));

    assertThat(documented).containsExactlyInAnyOrderElementsOf(EventTypes.ALL);
  }

  @Test
  void documentsExactlyTheRoutesTheServerRegisters() {
    assertThat(contract.operations()).isEqualTo(registeredRoutes());
  }

  @Test
  void documentsEveryErrorCodeUnderItsHttpStatus() {
    Set<String> codes = Arrays.stream(ErrorCode.values()).map(Enum::name).collect(Collectors.toSet());
    assertThat(texts(contract.document.at("/components/schemas/ErrorCode/enum"))).isEqualTo(codes);

    Set<Integer> statuses = new TreeSet<>();
    contract.document.at("/components/responses").forEach(response -> {
      JsonNode narrowing = response.at("/content/application~1problem+json/schema/allOf/1/properties");
      if (!narrowing.isMissingNode()) {
        int status = narrowing.at("/status/const").asInt();
        JsonNode code = narrowing.path("code");
        Set<String> listed = code.has("const") ? Set.of(code.get("const").asText()) : texts(code.get("enum"));
        assertThat(listed).as("codes documented under %d", status)
            .allSatisfy(name -> assertThat(ErrorCode.valueOf(name).httpStatus()).isEqualTo(status));
        statuses.add(status);
      }
    });
    assertThat(statuses).isEqualTo(Arrays.stream(ErrorCode.values()).map(ErrorCode::httpStatus).collect(Collectors.toSet()));
  }

  @Test
  void reportsHealth() {
    Exchange health = get("/health").send();

    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().get("status").asText()).isEqualTo("UP");
  }

  @Test
  void reportsReadinessAndServesMetricsToTheOperator() {
    Exchange ready = get("/health/ready").send();
    Exchange metrics = get("/metrics").bearer(app.adminToken()).send();

    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().get("status").asText()).isEqualTo("UP");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body()).contains("verigate_http_requests_seconds_count");
    assertProblem(get("/metrics").send(), 401, "BAD_KEY");
  }

  @Test
  void buysASandboxNumberReceivesTheCodeAsksForAnotherAndFinishes() {
    String key = app.sandboxKey();
    Exchange bought = post("/api/v1/activations").key(key).json(Map.of("serviceCode", "wa", "countryIso", "TR")).send();
    assertThat(bought.status()).isEqualTo(201);
    int id = bought.json().get("id").asInt();
    assertThat(bought.header("Location")).isEqualTo("/api/v1/activations/" + id);
    assertThat(bought.json().get("status").asText()).isEqualTo("WAITING");

    JsonNode received = awaitStatus(key, id, "RECEIVED");
    assertThat(received.get("code").asText()).matches("\\d{6}");

    Exchange listed = get("/api/v1/activations?status=received&service=whatsapp&country=tr&limit=5").bearer(key).send();
    assertThat(listed.status()).isEqualTo(200);
    assertThat(listed.json().get("items").findValuesAsText("id")).contains(String.valueOf(id));

    Exchange resent = post("/api/v1/activations/" + id + "/resend").key(key).send();
    assertThat(resent.status()).isEqualTo(200);
    assertThat(resent.json().get("status").asText()).isEqualTo("WAITING");
    awaitStatus(key, id, "RECEIVED");

    Exchange finished = post("/api/v1/activations/" + id + "/finish").key(key).send();
    assertThat(finished.status()).isEqualTo(200);
    assertThat(finished.json().get("status").asText()).isEqualTo("FINISHED");
    assertThat(finished.json().get("endedAt").isNull()).isFalse();

    Exchange finishedAgain = post("/api/v1/activations/" + id + "/finish").key(key).send();
    assertThat(finishedAgain.status()).isEqualTo(200);
    assertThat(finishedAgain.json().get("status").asText()).isEqualTo("FINISHED");
    assertThat(finishedAgain.json().get("endedAt")).isEqualTo(finished.json().get("endedAt"));
    for (String action : List.of("cancel", "resend", "ban")) {
      assertProblem(post("/api/v1/activations/" + id + "/" + action).key(key).send(), 409, "INVALID_STATE");
    }
    Exchange late = post("/api/v1/sandbox/activations/" + id + "/sms").key(key).json(Map.of("text", "Your code is 123456")).send();
    assertThat(late.status()).isEqualTo(202);
    assertThat(late.json().get("activationId").isNull()).isTrue();

    Exchange ledger = get("/api/v1/wallet/transactions?limit=200").key(key).send();
    assertThat(ledger.json().get("items").findValuesAsText("type")).contains("CREDIT", "HOLD", "POST");
  }

  @Test
  void longPollsAndAnswersAnActivationTheClientAlreadyHasWith304() {
    String key = app.sandboxKey();
    int id = buy(key, "nocode");
    String version = get("/api/v1/activations/" + id).key(key).send().header("ETag");

    Exchange unchanged = get("/api/v1/activations/" + id + "?wait=1").key(key).header("If-None-Match", version).send();
    post("/api/v1/sandbox/activations/" + id + "/sms").key(key).json(Map.of("text", "Your code is 771204")).send();
    Exchange changed = get("/api/v1/activations/" + id + "?wait=5").key(key).header("If-None-Match", version).send();
    Exchange quickStart = get("/status?id=" + id + "&wait=1").query("key", key).send();

    assertThat(unchanged.status()).isEqualTo(304);
    assertThat(unchanged.header("ETag")).isEqualTo(version);
    assertThat(changed.status()).isEqualTo(200);
    assertThat(changed.json().get("code").asText()).isEqualTo("771204");
    assertThat(changed.header("ETag")).isNotEqualTo(version);
    assertThat(quickStart.status()).isEqualTo(200);
    assertProblem(get("/api/v1/activations/" + id + "?wait=26").key(key).send(), 400, "BAD_REQUEST");
  }

  @Test
  void streamsAnActivationsEventsAndTheCustomersAsServerSentEvents() {
    String key = app.sandboxKey();
    int id = buy(key, "nocode");
    post("/api/v1/sandbox/activations/" + id + "/sms").key(key).json(Map.of("text", "Your code is 771204")).send();

    Exchange replayed = get("/api/v1/activations/" + id + "/events?lastEventId=0").key(key).sendStream(2);
    Exchange codes = get("/api/v1/events?types=activation.received").key(key).header("Last-Event-ID", "0")
        .sendStream(1);
    post("/api/v1/activations/" + id + "/finish").key(key).send();
    Exchange over = get("/api/v1/activations/" + id + "/events").key(key).send();

    assertThat(replayed.status()).isEqualTo(200);
    assertThat(replayed.body()).contains("event: activation.created\n", "event: activation.received\n");
    assertThat(codes.body()).contains("event: activation.received\n").doesNotContain("activation.created");
    assertThat(over.status()).isEqualTo(204);
    assertProblem(get("/api/v1/events?types=Received").key(key).send(), 400, "BAD_REQUEST");
    assertProblem(get("/api/v1/activations/999999/events").key(key).send(), 404, "ACTIVATION_NOT_FOUND");
  }

  @Test
  void cancelsAfterTheEarlyCancelGuardAndBansNumbersThatGotNoCode() {
    String key = app.sandboxKey();
    int toCancel = buy(key, "nocode");
    int toBan = buy(key, "nocode");

    assertProblem(post("/api/v1/activations/" + toCancel + "/cancel").key(key).send(), 409, "EARLY_CANCEL_DENIED");
    Exchange banned = post("/api/v1/activations/" + toBan + "/ban").key(key).send();
    assertThat(banned.status()).isEqualTo(200);
    assertThat(banned.json().get("status").asText()).isEqualTo("BANNED");

    clock.advance(app.app().activations().earlyCancelGuard().plusSeconds(1));
    Exchange canceled = post("/api/v1/activations/" + toCancel + "/cancel").key(key).send();
    assertThat(canceled.status()).isEqualTo(200);
    assertThat(canceled.json().get("status").asText()).isEqualTo("CANCELED");
    assertThat(canceled.json().get("code").isNull()).isTrue();
    Exchange canceledAgain = post("/api/v1/activations/" + toCancel + "/cancel").key(key).send();
    assertThat(canceledAgain.status()).isEqualTo(200);
    assertThat(canceledAgain.json().get("status").asText()).isEqualTo("CANCELED");
    assertThat(canceledAgain.json().get("endedAt")).isEqualTo(canceled.json().get("endedAt"));
    assertProblem(post("/api/v1/activations/" + toCancel + "/finish").key(key).send(), 409, "INVALID_STATE");
  }

  @Test
  void replaysAPurchaseUnderTheSameIdempotencyKeyAndRefusesAnotherBodyUnderIt() {
    String key = app.sandboxKey();
    String idempotencyKey = "order-" + NEXT.incrementAndGet();
    Map<String, Object> request = Map.of("serviceCode", "tg", "countries", List.of("de", "tr"), "maxPrice", "0.60");

    Exchange first = post("/api/v1/activations").key(key).header("Idempotency-Key", idempotencyKey).json(request).send();
    Exchange again = post("/api/v1/activations").key(key).header("Idempotency-Key", idempotencyKey).json(request).send();
    Exchange other = post("/api/v1/activations").key(key).header("Idempotency-Key", idempotencyKey)
        .json(Map.of("serviceCode", "wa", "countryIso", "TR")).send();

    assertThat(first.status()).isEqualTo(201);
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.json().get("id")).isEqualTo(first.json().get("id"));
    assertProblem(other, 422, "IDEMPOTENCY_KEY_REUSED");
    assertProblem(post("/api/v1/activations").key(key).header("Idempotency-Key", "k".repeat(256)).json(request).send(),
        400, "BAD_REQUEST");
  }

  @Test
  void refusesBadPurchasesWithTheDocumentedProblems() {
    String key = app.sandboxKey();
    Map<String, Object> valid = Map.of("serviceCode", "wa", "countryIso", "TR");

    assertProblem(post("/api/v1/activations").json(valid).send(), 401, "BAD_KEY");
    assertProblem(post("/api/v1/activations").key("vg_test_not-a-real-key").json(valid).send(), 401, "BAD_KEY");
    assertProblem(post("/api/v1/activations").key(key).body("{\"serviceCode\": ", "application/json").send(), 400, "MALFORMED_JSON");
    assertProblem(post("/api/v1/activations").key(key).json(Map.of("serviceCode", "nosuchservice", "countryIso", "TR")).send(),
        400, "UNKNOWN_SERVICE");
    assertProblem(post("/api/v1/activations").key(key).json(Map.of("serviceCode", "wa", "countryIso", "atlantis")).send(),
        400, "UNKNOWN_COUNTRY");
    assertProblem(post("/api/v1/activations").key(key).json(Map.of("serviceCode", "wa", "countries", List.of())).send(),
        400, "BAD_REQUEST");
    assertProblem(post("/api/v1/activations").key(key).json(Map.of("serviceCode", "wa", "countryIso", "TR", "maxPrice", "cheap")).send(),
        400, "BAD_REQUEST");
    assertProblem(post("/api/v1/activations").key(key).json(Map.of("serviceCode", "wa", "countryIso", "TR", "operator", "nonumbers")).send(),
        409, "NO_NUMBERS");

    Exchange tooCheap = post("/api/v1/activations").key(key).json(Map.of("serviceCode", "wa", "countryIso", "TR", "maxPrice", "0.01")).send();
    assertProblem(tooCheap, 409, "PRICE_ABOVE_MAX");
    assertThat(tooCheap.json().get("minPrice").asText()).isEqualTo("0.50");
  }

  @Test
  void answersTheCoverageWithoutAKey() {
    TestApp.Source source = app.createSource();
    app.stock(source.name(), "NL", null, 2);
    Exchange coverage = get("/api/v1/coverage?country=nl&service=whatsapp").send();
    assertThat(coverage.status()).as(coverage.body()).isEqualTo(200);
    assertThat(coverage.header("Cache-Control")).isEqualTo("public, max-age=30");
    JsonNode item = coverage.json().get("items").get(0);
    assertThat(item.get("countryIso").asText()).isEqualTo("NL");
    assertThat(item.get("serviceCode").asText()).isEqualTo("wa");
    assertThat(item.get("available").asInt()).isGreaterThanOrEqualTo(2);
    assertProblem(get("/api/v1/coverage?country=atlantis").send(), 400, "UNKNOWN_COUNTRY");
    assertProblem(get("/api/v1/coverage?service=nosuchservice").send(), 400, "UNKNOWN_SERVICE");
  }

  @Test
  void answersCatalogAndListReadsAndRefusesBadParameters() {
    String key = app.sandboxKey();
    assertThat(get("/api/v1/services").key(key).send().json().findValuesAsText("code")).contains("wa", "tg", "go");
    assertThat(get("/api/v1/countries").send().json().findValuesAsText("iso")).contains("US", "TR", "GB");
    Exchange prices = get("/api/v1/prices?service=whatsapp&country=187").query("api_key", key).send();
    assertThat(prices.json().get(0).get("countryIso").asText()).isEqualTo("US");
    assertThat(get("/api/v1/prices?service=wa").query("key", key).send().json().size()).isGreaterThan(100);
    assertThat(get("/api/v1/wallet/balance").bearer(key).send().status()).isEqualTo(200);
    String live = app.liveCustomer("1.00").key();
    Map<String, Object> off = new java.util.HashMap<>();
    off.put("threshold", null);
    assertThat(put("/api/v1/wallet/low-balance-threshold").key(live).json(Map.of("threshold", "0.25")).send().json()
        .get("lowBalanceThreshold").asText()).isEqualTo("0.25");
    assertThat(put("/api/v1/wallet/low-balance-threshold").key(live).json(off).send().json()
        .get("lowBalanceThreshold").isNull()).isTrue();
    assertProblem(put("/api/v1/wallet/low-balance-threshold").key(key).json(Map.of("threshold", "1")).send(), 400,
        "BAD_REQUEST");
    assertProblem(put("/api/v1/wallet/low-balance-threshold").json(Map.of("threshold", "1")).send(), 401, "BAD_KEY");

    assertProblem(get("/api/v1/prices").key(key).send(), 400, "UNKNOWN_SERVICE");
    assertProblem(get("/api/v1/prices?service=wa&country=atlantis").key(key).send(), 400, "UNKNOWN_COUNTRY");
    assertProblem(get("/api/v1/prices?service=wa&operator=no%20spaces").key(key).send(), 400, "BAD_REQUEST");
    assertProblem(get("/api/v1/activations?status=lost").key(key).send(), 400, "BAD_REQUEST");
    assertProblem(get("/api/v1/activations?limit=101").key(key).send(), 400, "BAD_REQUEST");
    assertProblem(get("/api/v1/activations?before=yesterday").key(key).send(), 400, "BAD_REQUEST");
    assertProblem(get("/api/v1/activations?service=nosuchservice").key(key).send(), 400, "UNKNOWN_SERVICE");
    assertProblem(get("/api/v1/activations?country=atlantis").key(key).send(), 400, "UNKNOWN_COUNTRY");
    assertProblem(get("/api/v1/wallet/transactions?limit=0").key(key).send(), 400, "BAD_REQUEST");
    assertProblem(get("/api/v1/activations/999999").key(key).send(), 404, "ACTIVATION_NOT_FOUND");
    assertProblem(get("/api/v1/activations/not-a-number").key(key).send(), 404, "ACTIVATION_NOT_FOUND");
    for (String path : List.of("/api/v1/wallet/balance", "/api/v1/wallet/transactions", "/api/v1/activations",
        "/api/v1/activations/1", "/api/v1/prices?service=wa")) {
      assertProblem(get(path).send(), 401, "BAD_KEY");
    }
    for (String action : List.of("cancel", "finish", "resend", "ban")) {
      assertProblem(post("/api/v1/activations/999999/" + action).key(key).send(), 404, "ACTIVATION_NOT_FOUND");
      assertProblem(post("/api/v1/activations/999999/" + action).send(), 401, "BAD_KEY");
    }
  }

  @Test
  void deliversCustomTextToSandboxActivationsOnly() {
    String key = app.sandboxKey();
    int id = buy(key, "nocode");

    Exchange delivered = post("/api/v1/sandbox/activations/" + id + "/sms").key(key)
        .json(Map.of("from", "Bank", "text", "Your code is 771-204")).send();
    assertThat(delivered.status()).isEqualTo(202);
    assertThat(delivered.json().get("activationId").asInt()).isEqualTo(id);
    assertThat(delivered.json().get("codeFound").asBoolean()).isTrue();
    assertThat(get("/api/v1/activations/" + id).key(key).send().json().get("code").asText()).isEqualTo("771204");

    String path = "/api/v1/sandbox/activations/" + id + "/sms";
    assertProblem(post(path).key(key).json(Map.of("from", "Bank")).send(), 400, "BAD_REQUEST");
    assertProblem(post(path).key(key).body("[]", "application/json").send(), 400, "MALFORMED_JSON");
    assertProblem(post(path).json(Map.of("text", "hi")).send(), 401, "BAD_KEY");
    assertProblem(post(path).key(liveKey("0")).json(Map.of("text", "hi")).send(), 403, "FORBIDDEN");
    assertProblem(post("/api/v1/sandbox/activations/999999/sms").key(key).json(Map.of("text", "hi")).send(),
        404, "ACTIVATION_NOT_FOUND");
  }

  @Test
  void sellsRealInventoryToLiveKeysAndTakesGatewayPushes() {
    Exchange source = post("/admin/v1/sources").bearer(app.adminToken()).json(Map.of("name", "gw-" + NEXT.incrementAndGet())).send();
    String token = source.json().get("token").asText();
    // French numbers, which no other test stocks: the purchase takes one of this source's, the only one it may push to.
    importNumbers(source.json().get("name").asText(), List.of(TestNumbers.freshMobile("fr"), TestNumbers.freshMobile("fr")));
    String broke = liveKey("0");
    String paying = liveKey("5.00");

    assertProblem(post("/api/v1/activations").key(broke).json(Map.of("service", "wa", "country", "fr")).send(),
        402, "NO_BALANCE");
    assertThat(get("/api/v1/prices?service=wa").key(paying).send().json().findValuesAsText("countryIso")).contains("FR");
    Exchange bought = post("/api/v1/activations").key(paying).json(Map.of("service", "wa", "country", "fr")).send();
    assertThat(bought.status()).isEqualTo(201);
    int id = bought.json().get("id").asInt();
    assertProblem(get("/api/v1/activations/" + id).key(app.sandboxKey()).send(), 404, "ACTIVATION_NOT_FOUND");

    Map<String, Object> sms = Map.of("to", bought.json().get("phoneNumber").asText(), "from", "WhatsApp",
        "text", "Your WhatsApp code: 482-913", "messageId", "gw-msg-" + NEXT.incrementAndGet(),
        "receivedAt", "2026-11-27T10:15:30Z");
    Exchange pushed = post("/api/v1/inbound/sms").bearer(token).json(sms).send();
    assertThat(pushed.status()).isEqualTo(200);
    assertThat(pushed.json().get("activationId").asInt()).isEqualTo(id);
    Exchange repeated = post("/api/v1/inbound/sms").bearer(token).json(sms).send();
    assertThat(repeated.json().get("duplicate").asBoolean()).isTrue();
    assertThat(get("/api/v1/activations/" + id).key(paying).send().json().get("code").asText()).isEqualTo("482913");

    assertProblem(post("/api/v1/inbound/sms").json(sms).send(), 401, "BAD_KEY");
    assertProblem(post("/api/v1/inbound/sms").bearer(paying).json(sms).send(), 401, "BAD_KEY");
    assertProblem(post("/api/v1/inbound/sms").bearer(token).json(Map.of("to", "nobody", "from", "x", "text", "y", "messageId", "m")).send(),
        400, "BAD_REQUEST");
    assertProblem(post("/api/v1/inbound/sms").bearer(token).json(Map.of("to", "+14155550100", "from", "x", "text", "y")).send(),
        400, "BAD_REQUEST");
  }

  @Test
  void configuresWebhookSourcesAndTakesTheirSignedPushes() {
    String admin = app.adminToken();
    String simNumber = freshUsNumber();
    String android = "phone-" + NEXT.incrementAndGet();
    Exchange created = post("/admin/v1/sources").bearer(admin).json(Map.of("name", android, "type", "android")).send();
    assertThat(created.status()).isEqualTo(201);
    String signingKey = created.json().get("signingKey").asText();
    Exchange mapped = patch("/admin/v1/sources/" + android).bearer(admin).json(Map.of("sims", Map.of("1", simNumber))).send();
    assertThat(mapped.json().at("/sims/1").asText()).isEqualTo(simNumber);

    String webhook = Json.write(Map.of("id", "evt-" + NEXT.incrementAndGet(), "event", "sms:received",
        "payload", Map.of("message", "Your code is 551-230", "sender", "+14155550000", "simNumber", 1)));
    String path = "/api/v1/inbound/android/" + android;
    Exchange stored = signedByPhone(post(path), signingKey, webhook).send();
    assertThat(stored.json().get("stored").asInt()).isEqualTo(1);
    assertThat(signedByPhone(post(path), signingKey, webhook).send().json().get("duplicates").asInt()).isEqualTo(1);
    assertProblem(signedByPhone(post(path), "another-key", webhook).send(), 401, "BAD_KEY");
    assertProblem(signedByPhone(post(path), signingKey, "{\"event\": ").send(), 400, "MALFORMED_JSON");
    assertProblem(signedByPhone(post("/api/v1/inbound/android/nosuchsource"), signingKey, webhook).send(), 404, "NOT_FOUND");
    Exchange health = get("/admin/v1/sources/" + android).bearer(admin).send();
    assertThat(health.json().at("/health/duplicates").asInt()).isEqualTo(1);
    assertThat(health.json().at("/health/rejected").asInt()).isEqualTo(2);

    String twilio = "twilio-" + NEXT.incrementAndGet();
    String url = "https://sms.example.com/api/v1/inbound/twilio/" + twilio;
    assertProblem(post("/admin/v1/sources").bearer(admin).json(Map.of("name", twilio, "type", "twilio")).send(), 400, "BAD_REQUEST");
    assertThat(post("/admin/v1/sources").bearer(admin).json(Map.of("name", twilio, "type", "twilio", "authToken", "twilio-token",
        "webhookUrl", url)).send().json().has("signingKey")).isFalse();
    Map<String, String> message = Map.of("MessageSid", "SM" + NEXT.incrementAndGet(), "From", "+14155550000", "To", simNumber,
        "Body", "Your code is 661-904");
    Exchange twiml = signedByTwilio(post("/api/v1/inbound/twilio/" + twilio), "twilio-token", url, message).send();
    assertThat(twiml.status()).isEqualTo(200);
    assertThat(twiml.contentType()).isEqualTo("text/xml");
    assertProblem(signedByTwilio(post("/api/v1/inbound/twilio/" + twilio), "wrong-token", url, message).send(), 401, "BAD_KEY");
    assertProblem(signedByTwilio(post("/api/v1/inbound/twilio/" + twilio), "twilio-token", url, Map.of("Body", "no sender")).send(),
        400, "BAD_REQUEST");
    assertProblem(signedByTwilio(post("/api/v1/inbound/twilio/" + android), "twilio-token", url, message).send(), 404, "NOT_FOUND");

    assertProblem(get("/admin/v1/sources/nosuchsource").bearer(admin).send(), 404, "NOT_FOUND");
    assertProblem(patch("/admin/v1/sources/nosuchsource").bearer(admin).json(Map.of("sims", Map.of())).send(), 404, "NOT_FOUND");
    assertProblem(patch("/admin/v1/sources/" + android).bearer(admin).json(Map.of("signingKey", "a", "authToken", "b")).send(),
        400, "BAD_REQUEST");
    assertProblem(patch("/admin/v1/sources/" + android).bearer(admin).json(Map.of("sims", Map.of("1", "not a number"))).send(),
        400, "BAD_REQUEST");
  }

  @Test
  void configuresVonageSourcesAndTakesTheirWebhooksInEachShape() {
    String admin = app.adminToken();
    String vonage = "vonage-" + NEXT.incrementAndGet();
    Exchange created = post("/admin/v1/sources").bearer(admin).json(Map.of("name", vonage, "type", "vonage",
        "signatureSecret", "vonage-secret", "signatureMethod", "sha256")).send();
    assertThat(created.status()).isEqualTo(201);
    String path = "/api/v1/inbound/vonage/" + vonage;
    String receiver = freshUsNumber();

    Map<String, String> byGet = signedByVonage(vonageSms(receiver, "Your code is 100-200"), "vonage-secret");
    assertThat(get(path + "?" + form(byGet)).send().status()).isEqualTo(204);
    Map<String, String> byForm = signedByVonage(vonageSms(receiver, "Your code is 300-400"), "vonage-secret");
    assertThat(post(path).body(form(byForm), "application/x-www-form-urlencoded").send().status()).isEqualTo(204);
    Map<String, String> byJson = signedByVonage(vonageSms(receiver, "Your code is 500-600"), "vonage-secret");
    assertThat(post(path).json(byJson).send().status()).isEqualTo(204);

    assertProblem(post(path).json(vonageSms(receiver, "unsigned")).send(), 401, "BAD_KEY");
    Map<String, String> noSender = vonageSms(receiver, "Your code is 700-800");
    noSender.remove("msisdn");
    assertProblem(get(path + "?" + form(signedByVonage(noSender, "vonage-secret"))).send(), 400, "BAD_REQUEST");
    assertProblem(post("/api/v1/inbound/vonage/nosuchsource").json(byJson).send(), 404, "NOT_FOUND");
    Exchange changed = patch("/admin/v1/sources/" + vonage).bearer(admin).json(Map.of("signatureMethod", "md5hash")).send();
    assertThat(changed.json().get("signatureMethod").asText()).isEqualTo("md5hash");
    assertThat(changed.json().at("/health/messages").asInt()).isEqualTo(3);
  }

  @Test
  void registersSmsHubAgentsAndTakesTheirPushes() {
    String agent = "bank-" + NEXT.incrementAndGet();
    Exchange created = post("/admin/v1/sources").bearer(app.adminToken())
        .json(Map.of("name", agent, "type", "smshub", "agentUrl", "https://bank.example.com/smshub")).send();
    assertThat(created.status()).isEqualTo(201);
    String key = created.json().get("agentKey").asText();
    Map<String, Object> sms = new HashMap<>(Map.of("action", "PUSH_SMS", "key", key, "smsId", NEXT.incrementAndGet(),
        "phone", Long.parseLong(freshUsNumber().substring(1)), "phoneFrom", "WhatsApp", "text", "WhatsApp code 220-417"));

    assertThat(post("/api/v1/inbound/smshub").json(sms).send().json().get("status").asText()).isEqualTo("SUCCESS");
    sms.remove("phone");
    assertThat(post("/api/v1/inbound/smshub").json(sms).send().status()).isEqualTo(400);
    sms.put("key", "not-" + key);
    assertThat(post("/api/v1/inbound/smshub").json(sms).send().status()).isEqualTo(401);
    Exchange view = get("/admin/v1/sources/" + agent).bearer(app.adminToken()).send();
    assertThat(view.json().at("/agent/url").asText()).isEqualTo("https://bank.example.com/smshub");
    assertThat(view.json().at("/health/messages").asInt()).isEqualTo(1);
    Exchange moved = patch("/admin/v1/sources/" + agent).bearer(app.adminToken())
        .json(Map.of("agentUrl", "https://bank2.example.com/smshub", "agentKey", "rotated-" + key)).send();
    assertThat(moved.json().at("/agent/url").asText()).isEqualTo("https://bank2.example.com/smshub");
    assertProblem(patch("/admin/v1/sources/" + agent).bearer(app.adminToken()).json(Map.of("agentUrl", "bank2")).send(),
        400, "BAD_REQUEST");
  }

  @Test
  void registersUpstreamsAndShowsTheirBalanceAndCircuit() {
    String upstream = "upstream-" + NEXT.incrementAndGet();
    // Nothing listens on port 1: the upstream is down, which the view shows; purchases on this node are unaffected.
    Exchange created = post("/admin/v1/upstreams").bearer(app.adminToken()).json(Map.of("name", upstream,
        "protocol", "sms-activate", "baseUrl", "http://127.0.0.1:1", "apiKey", "key-at-upstream", "markupPercent", 20))
        .send();
    assertThat(created.status()).isEqualTo(201);

    Exchange listed = get("/admin/v1/upstreams").bearer(app.adminToken()).send();
    JsonNode view = StreamSupport.stream(listed.json().spliterator(), false)
        .filter(node -> node.get("name").asText().equals(upstream)).findFirst().orElseThrow();
    assertThat(view.get("balance").isNull()).isTrue();
    assertThat(view.get("recentFailures").get(0).get("operation").asText()).isEqualTo("balance");
    assertProblem(post("/admin/v1/upstreams").bearer(app.adminToken()).json(Map.of("name", upstream + "-both",
        "protocol", "5sim", "baseUrl", "https://5sim.net", "apiKey", "k", "markupPercent", 20, "fixedPrice", "0.40"))
        .send(), 400, "BAD_REQUEST");
    assertProblem(post("/admin/v1/sources").bearer(app.adminToken()).json(Map.of("name", upstream + "-bare",
        "type", "upstream")).send(), 400, "BAD_REQUEST");
  }

  @Test
  void registersSmppLinksAndShowsTheirBindWithoutThePassword() {
    String link = "smsc-" + NEXT.incrementAndGet();
    // Nothing listens on port 1: the link keeps retrying, which is all this contract check needs.
    Exchange created = post("/admin/v1/sources").bearer(app.adminToken()).json(Map.of("name", link, "type", "smpp",
        "host", "127.0.0.1", "port", 1, "systemId", "verigate", "password", "s3cret", "bindType", "transceiver")).send();
    assertThat(created.status()).isEqualTo(201);

    Exchange view = get("/admin/v1/sources/" + link).bearer(app.adminToken()).send();
    assertThat(view.json().at("/smpp/bindType").asText()).isEqualTo("transceiver");
    assertThat(view.body()).doesNotContain("s3cret");
    Exchange changed = patch("/admin/v1/sources/" + link).bearer(app.adminToken()).json(Map.of("enquireLinkSeconds", 10)).send();
    assertThat(changed.json().at("/smpp/enquireLinkSeconds").asInt()).isEqualTo(10);
  }

  @Test
  void runsTheQuickStartFlowWithItsOwnErrorShape() {
    String key = app.sandboxKey();
    Exchange number = get("/number?service=whatsapp&country=us").query("key", key).send();
    assertThat(number.status()).isEqualTo(200);
    int id = number.json().get("activation_id").asInt();

    JsonNode status = awaitQuickStartCode(key, id);
    assertThat(status.get("code").asText()).matches("\\d{6}");
    Exchange resent = get("/resend?id=" + id).query("key", key).send();
    assertThat(resent.json().get("code").isNull()).isTrue();
    Exchange finished = get("/finish?id=" + id).query("key", key).send();
    assertThat(finished.json().get("status").asText()).isEqualTo("FINISHED");
    assertThat(get("/finish?id=" + id).query("key", key).send().json().get("status").asText()).isEqualTo("FINISHED");
    assertQuickStartError(get("/cancel?id=" + id).query("key", key).send(), 409, "INVALID_STATE");
    assertQuickStartError(get("/resend?id=" + id).query("key", key).send(), 409, "INVALID_STATE");

    int unanswered = get("/number?service=wa&country=us&operator=nocode").query("key", key).send().json().get("activation_id").asInt();
    assertQuickStartError(get("/cancel?id=" + unanswered).query("key", key).send(), 409, "EARLY_CANCEL_DENIED");
    clock.advance(app.app().activations().earlyCancelGuard().plusSeconds(1));
    assertThat(get("/cancel?id=" + unanswered).query("key", key).send().json().get("status").asText()).isEqualTo("CANCELED");
    assertThat(get("/cancel?id=" + unanswered).query("key", key).send().json().get("status").asText()).isEqualTo("CANCELED");
    assertQuickStartError(get("/finish?id=" + unanswered).query("key", key).send(), 409, "INVALID_STATE");

    assertThat(get("/balance").query("key", key).send().json().get("currency").asText()).isEqualTo("USD");
    assertQuickStartError(get("/balance").send(), 401, "BAD_KEY");
    assertQuickStartError(get("/number?service=wa&country=us").send(), 401, "BAD_KEY");
    assertQuickStartError(get("/number?service=nosuchservice&country=us").query("key", key).send(), 400, "UNKNOWN_SERVICE");
    assertQuickStartError(get("/number?service=wa").query("key", key).send(), 400, "UNKNOWN_COUNTRY");
    assertQuickStartError(get("/number?service=wa&country=us&operator=nonumbers").query("key", key).send(), 409, "NO_NUMBERS");
    assertQuickStartError(get("/number?service=wa&country=us").query("key", liveKeyWithStock()).send(),
        402, "NO_BALANCE");
    for (String route : List.of("/status", "/cancel", "/finish", "/resend")) {
      assertQuickStartError(get(route).query("key", key).send(), 400, "BAD_REQUEST");
      assertQuickStartError(get(route + "?id=999999").query("key", key).send(), 404, "ACTIVATION_NOT_FOUND");
      assertQuickStartError(get(route + "?id=" + id).send(), 401, "BAD_KEY");
    }
  }

  @Test
  void runsTheOperatorsAdminApi() {
    String admin = app.adminToken();
    assertProblem(get("/admin/v1/customers").send(), 401, "BAD_KEY");
    assertProblem(get("/admin/v1/customers").bearer("not-the-admin-token").send(), 401, "BAD_KEY");

    Exchange customer = post("/admin/v1/customers").bearer(admin).json(Map.of("name", "Acme " + NEXT.incrementAndGet())).send();
    assertThat(customer.status()).isEqualTo(201);
    long id = customer.json().get("id").asLong();
    assertThat(get("/admin/v1/customers").bearer(admin).send().json().findValuesAsText("id")).contains(String.valueOf(id));
    assertProblem(post("/admin/v1/customers").bearer(admin).json(Map.of("name", " ")).send(), 400, "BAD_REQUEST");

    String customerPath = "/admin/v1/customers/" + id;
    Exchange issued = post(customerPath + "/keys").bearer(admin).json(Map.of("mode", "test", "label", "ci")).send();
    assertThat(issued.status()).isEqualTo(201);
    assertThat(issued.json().get("mode").asText()).isEqualTo("TEST");
    assertThat(post(customerPath + "/keys").bearer(admin).send().json().get("mode").asText()).isEqualTo("LIVE");
    assertProblem(post(customerPath + "/keys").bearer(admin).json(Map.of("mode", "gold")).send(), 400, "BAD_REQUEST");
    assertProblem(post("/admin/v1/customers/999999/keys").bearer(admin).json(Map.of("mode", "live")).send(), 404, "NOT_FOUND");
    assertProblem(post("/admin/v1/customers/acme/keys").bearer(admin).json(Map.of("mode", "live")).send(), 400, "BAD_REQUEST");
    assertThat(get(customerPath + "/keys").bearer(admin).send().json().findValuesAsText("keyId"))
        .contains(issued.json().get("keyId").asText());
    assertProblem(get("/admin/v1/customers/acme/keys").bearer(admin).send(), 400, "BAD_REQUEST");
    assertProblem(get("/admin/v1/customers/999999/keys").bearer(admin).send(), 404, "NOT_FOUND");
    Exchange revoked = delete("/admin/v1/keys/" + issued.json().get("keyId").asText()).bearer(admin).send();
    assertThat(revoked.status()).isEqualTo(204);
    assertProblem(delete("/admin/v1/keys/" + issued.json().get("keyId").asText()).bearer(admin).send(), 404, "NOT_FOUND");

    Exchange credited = post(customerPath + "/wallet/credit").bearer(admin).json(Map.of("amount", "25", "memo", "invoice 7")).send();
    assertThat(credited.json().get("balance").asText()).isEqualTo("25.00");
    assertThat(get(customerPath + "/wallet").bearer(admin).send().json().get("balance").asText()).isEqualTo("25.00");
    // The sandbox funds a test wallet the first time anyone looks at it.
    assertThat(get(customerPath + "/wallet?mode=test").bearer(admin).send().json().get("balance").asText()).isEqualTo("100.00");
    assertProblem(get(customerPath + "/wallet?mode=gold").bearer(admin).send(), 400, "BAD_REQUEST");
    assertProblem(get("/admin/v1/customers/999999/wallet").bearer(admin).send(), 404, "NOT_FOUND");
    assertProblem(post(customerPath + "/wallet/credit").bearer(admin).json(Map.of("memo", "no amount")).send(), 400, "BAD_REQUEST");
    assertProblem(post(customerPath + "/wallet/credit").bearer(admin).json(Map.of("amount", "-5")).send(), 400, "BAD_REQUEST");
    assertProblem(post("/admin/v1/customers/999999/wallet/credit").bearer(admin).json(Map.of("amount", "5")).send(), 404, "NOT_FOUND");
    Exchange threshold = put(customerPath + "/wallet/low-balance-threshold").bearer(admin)
        .json(Map.of("threshold", "5.00")).send();
    assertThat(threshold.json().get("lowBalanceThreshold").asText()).isEqualTo("5.00");
    assertProblem(put(customerPath + "/wallet/low-balance-threshold").bearer(admin).json(Map.of("mode", "live")).send(),
        400, "BAD_REQUEST");
    assertProblem(put("/admin/v1/customers/999999/wallet/low-balance-threshold").bearer(admin)
        .json(Map.of("threshold", "5")).send(), 404, "NOT_FOUND");

    String sourceName = "simbank-" + NEXT.incrementAndGet();
    assertThat(post("/admin/v1/sources").bearer(admin).json(Map.of("name", sourceName, "type", "simbank")).send().status()).isEqualTo(201);
    assertProblem(post("/admin/v1/sources").bearer(admin).json(Map.of("name", sourceName)).send(), 409, "CONFLICT");
    assertProblem(post("/admin/v1/sources").bearer(admin).json(Map.of("name", "no spaces")).send(), 400, "BAD_REQUEST");
    assertThat(get("/admin/v1/sources").bearer(admin).send().json().findValuesAsText("name")).contains("sandbox", sourceName);

    Exchange imported = post("/admin/v1/numbers").bearer(admin)
        .json(Map.of("source", sourceName, "operator", "tmobile", "numbers", List.of(freshUsNumber(), "not a number"))).send();
    assertThat(imported.json().get("added").asInt()).isEqualTo(1);
    assertThat(texts(imported.json().get("rejected"))).containsExactly("not a number");
    assertProblem(post("/admin/v1/numbers").bearer(admin).json(Map.of("source", sourceName)).send(), 400, "BAD_REQUEST");
    assertProblem(post("/admin/v1/numbers").bearer(admin).json(Map.of("source", "nosuchsource", "numbers", List.of())).send(),
        404, "NOT_FOUND");
    String csv = "number,operator\n" + freshUsNumber() + ",att\n" + freshUsNumber() + "\n";
    assertThat(post("/admin/v1/numbers/import?source=" + sourceName + "&operator=tmobile").bearer(admin).body(csv, "text/csv")
        .send().json().get("added").asInt()).isEqualTo(2);
    assertProblem(post("/admin/v1/numbers/import").bearer(admin).body(csv, "text/csv").send(), 400, "BAD_REQUEST");
    assertProblem(post("/admin/v1/numbers/import?source=nosuchsource").bearer(admin).body(csv, "text/csv").send(), 404, "NOT_FOUND");

    Exchange price = put("/admin/v1/prices").bearer(admin).json(Map.of("service", "telegram", "country", "gb", "price", "0.035")).send();
    assertThat(price.json().get("price").asText()).isEqualTo("0.035");
    assertThat(put("/admin/v1/prices").bearer(admin).json(Map.of("service", "*", "country", "*", "operator", "vodafone", "price", "0.40"))
        .send().json().get("service").asText()).isEqualTo("*");
    assertThat(get("/admin/v1/prices").bearer(admin).send().json().findValuesAsText("country")).contains("GB");
    assertProblem(put("/admin/v1/prices").bearer(admin).json(Map.of("service", "nosuchservice", "country", "gb", "price", "1")).send(),
        400, "UNKNOWN_SERVICE");
    assertProblem(put("/admin/v1/prices").bearer(admin).json(Map.of("service", "tg", "country", "atlantis", "price", "1")).send(),
        400, "UNKNOWN_COUNTRY");
    assertProblem(put("/admin/v1/prices").bearer(admin).json(Map.of("service", "tg", "country", "gb")).send(), 400, "BAD_REQUEST");

    Exchange credits = get("/admin/v1/audit?action=wallet.credited&limit=1").bearer(admin).send();
    assertThat(credits.status()).isEqualTo(200);
    assertThat(credits.json().at("/items/0/subject").asText()).isEqualTo("customer:" + id);
    Exchange older = get("/admin/v1/audit?limit=2&before=" + credits.json().at("/items/0/id").asLong()).bearer(admin).send();
    assertThat(older.json().get("items")).hasSize(2);
    assertProblem(get("/admin/v1/audit?action=wallet.stolen").bearer(admin).send(), 400, "BAD_REQUEST");
    assertProblem(get("/admin/v1/audit").send(), 401, "BAD_KEY");
  }

  @Test
  void showsTheOutboxAndRetriesADeadItem() {
    String admin = app.adminToken();
    io.verigate.server.system.Outbox outbox = app.app().outbox();
    java.util.concurrent.atomic.AtomicInteger handled = new java.util.concurrent.atomic.AtomicInteger();
    // Dead at the first attempt; once the operator retries it, it waits an hour, so the answer shows it pending
    // whenever the node's runner gets to it.
    outbox.register("contract.unreachable",
        new io.verigate.server.system.Outbox.RetryPolicy(List.of(Duration.ofHours(1)), 0),
        item -> handled.getAndIncrement() == 0
            ? new io.verigate.server.system.Outbox.Dead("the endpoint is gone")
            : new io.verigate.server.system.Outbox.Retry(null, "still gone"));
    long id = app.app().database().inTransaction(h -> outbox.enqueue(h, "contract.unreachable", "{}", Instant.EPOCH));
    outbox.runDue();

    // The node's runner, woken by the enqueue, may be the one making the attempt: the item is dead once recorded.
    Exchange dead = within(Duration.ofSeconds(10), "dead after its first attempt",
        () -> get("/admin/v1/outbox?state=dead&kind=contract.unreachable&limit=1").bearer(admin).send(),
        seen -> seen.json().at("/items/0/id").asLong() == id);
    assertThat(dead.json().at("/items/0/lastError").asText()).isEqualTo("the endpoint is gone");
    assertThat(get("/admin/v1/outbox?state=dead&before=" + id).bearer(admin).send().json().findValuesAsText("kind"))
        .doesNotContain("contract.unreachable");
    Exchange retried = post("/admin/v1/outbox/" + id + "/retry").bearer(admin).send();
    assertThat(retried.json().get("state").asText()).isEqualTo("pending");
    // A fresh schedule: no attempts yet, or the one the node's runner may already have made.
    assertThat(retried.json().get("attempts").asInt()).isBetween(0, 1);
    // This call or the node's own runner (woken by the retry) makes the attempt; the answer shows it once recorded.
    outbox.runDue();
    within(Duration.ofSeconds(10), "attempted again, and waiting for its next try",
        () -> get("/admin/v1/outbox?state=pending&kind=contract.unreachable&limit=1").bearer(admin).send()
            .json().at("/items/0/lastError").asText(),
        "still gone"::equals);

    assertProblem(get("/admin/v1/outbox?state=lost").bearer(admin).send(), 400, "BAD_REQUEST");
    assertProblem(post("/admin/v1/outbox/999999999/retry").bearer(admin).send(), 404, "NOT_FOUND");
    assertProblem(get("/admin/v1/outbox").send(), 401, "BAD_KEY");
  }

  @Test
  void managesKeysWithScopesAllowlistsAndRotation() {
    String admin = app.adminToken();
    long id = post("/admin/v1/customers").bearer(admin).json(Map.of("name", "Keys " + NEXT.incrementAndGet())).send()
        .json().get("id").asLong();
    Exchange manager = post("/admin/v1/customers/" + id + "/keys").bearer(admin)
        .json(Map.of("mode", "test", "scopes", List.of("read", "keys"), "expiresAt", "2099-01-01T00:00:00Z")).send();
    assertThat(manager.status()).isEqualTo(201);
    String key = manager.json().get("key").asText();

    Exchange issued = post("/api/v1/keys").key(key)
        .json(Map.of("label", "grafana", "scopes", List.of("read"), "allowedIps", List.of("203.0.113.0/24"))).send();
    assertThat(issued.status()).isEqualTo(201);
    assertThat(issued.header("Cache-Control")).isEqualTo("no-store");
    String issuedId = issued.json().get("keyId").asText();
    assertProblem(post("/api/v1/keys").key(key).json(Map.of("scopes", List.of("buy"))).send(), 403, "SCOPE_REQUIRED");
    assertProblem(post("/api/v1/keys").key(key).json(Map.of("allowedIps", List.of("nope"))).send(), 400, "BAD_REQUEST");
    assertThat(get("/api/v1/keys").key(key).send().json().get("items")).hasSize(2);

    Exchange rotated = post("/api/v1/keys/" + issuedId + "/rotate").key(key).json(Map.of("overlapSeconds", 60)).send();
    assertThat(rotated.status()).isEqualTo(201);
    assertThat(rotated.json().get("allowedIps").get(0).asText()).isEqualTo("203.0.113.0/24");
    assertProblem(post("/api/v1/keys/" + issuedId + "/rotate").key(key).send(), 409, "INVALID_STATE");
    String rotatedId = rotated.json().get("keyId").asText();
    assertThat(post("/api/v1/keys/" + issuedId + "/revoke").key(key).send().json().get("state").asText()).isEqualTo("REVOKED");
    assertThat(delete("/api/v1/keys/" + rotatedId).key(key).send().json().get("state").asText()).isEqualTo("REVOKED");
    assertProblem(delete("/api/v1/keys/" + rotatedId).key(key).send(), 404, "NOT_FOUND");

    Exchange adminRotated = post("/admin/v1/keys/" + manager.json().get("keyId").asText() + "/rotate").bearer(admin)
        .json(Map.of("overlapSeconds", 0)).send();
    assertThat(adminRotated.status()).isEqualTo(201);
    assertProblem(get("/api/v1/keys").key(key).send(), 401, "BAD_KEY");
    assertProblem(post("/admin/v1/keys/nosuchkey/rotate").bearer(admin).send(), 404, "NOT_FOUND");
  }

  @Test
  void managesWebhooksAndTheirDeliveries() {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      String key = liveKey("0");
      Exchange created = post("/api/v1/webhooks").key(key)
          .json(Map.of("url", receiver.url("/contract"), "eventTypes", List.of("activation.received"))).send();
      assertThat(created.status()).isEqualTo(201);
      long id = created.json().get("id").asLong();
      assertThat(get("/api/v1/webhooks").key(key).send().json().get("items")).hasSize(1);
      assertThat(get("/api/v1/webhooks/" + id).key(key).send().status()).isEqualTo(200);
      assertThat(patch("/api/v1/webhooks/" + id).key(key).json(Map.of("format", "sms-activate")).send().json()
          .get("format").asText()).isEqualTo("sms-activate");
      Exchange test = post("/api/v1/webhooks/" + id + "/test").key(key).send();
      assertThat(test.status()).isEqualTo(202);
      long delivery = test.json().get("id").asLong();
      assertThat(receiver.await(1, r -> true).get(0).signedBy(created.json().get("secret").asText())).isTrue();
      within(Duration.ofSeconds(10), "the delivery logged as succeeded",
          () -> get("/api/v1/webhooks/" + id + "/deliveries?limit=10").key(key).send().json().get("items").get(0)
              .get("state").asText(), "succeeded"::equals);
      assertThat(post("/api/v1/webhooks/" + id + "/deliveries/" + delivery + "/replay").key(key).send().status())
          .isEqualTo(202);
      assertThat(post("/api/v1/webhooks/" + id + "/rotate-secret").key(key).json(Map.of("overlapSeconds", 60)).send()
          .status()).isEqualTo(200);
      assertProblem(get("/api/v1/webhooks/999999").key(key).send(), 404, "NOT_FOUND");
      assertProblem(post("/api/v1/webhooks").key(key).json(Map.of("url", "ftp://example.com/")).send(), 400,
          "BAD_REQUEST");
      assertThat(delete("/api/v1/webhooks/" + id).key(key).send().status()).isEqualTo(204);

      String admin = app.adminToken();
      long customer = post("/admin/v1/customers").bearer(admin).json(Map.of("name", "Hooks " + NEXT.incrementAndGet()))
          .send().json().get("id").asLong();
      String base = "/admin/v1/customers/" + customer + "/webhooks";
      Exchange adminCreated = post(base).bearer(admin).json(Map.of("url", receiver.url("/ops"), "mode", "test")).send();
      assertThat(adminCreated.status()).isEqualTo(201);
      String one = base + "/" + adminCreated.json().get("id").asLong();
      assertThat(get(base + "?mode=test").bearer(admin).send().json().get("items")).hasSize(1);
      assertThat(get(one).bearer(admin).send().json().get("mode").asText()).isEqualTo("TEST");
      assertThat(patch(one).bearer(admin).json(Map.of("enabled", false)).send().status()).isEqualTo(200);
      assertProblem(post(one + "/test").bearer(admin).send(), 409, "CONFLICT");
      patch(one).bearer(admin).json(Map.of("enabled", true)).send();
      long adminDelivery = post(one + "/test").bearer(admin).send().json().get("id").asLong();
      assertThat(get(one + "/deliveries").bearer(admin).send().json().get("items")).hasSize(1);
      assertThat(post(one + "/deliveries/" + adminDelivery + "/replay").bearer(admin).send().status()).isEqualTo(202);
      assertThat(post(one + "/rotate-secret").bearer(admin).send().json().get("secret").asText()).startsWith("whsec_");
      assertThat(delete(one).bearer(admin).send().status()).isEqualTo(204);
      assertProblem(get(one).bearer(admin).send(), 404, "NOT_FOUND");
    }
  }

  @Test
  void buysASandboxMailboxReceivesTheLetterReordersFinishesAndCancels() {
    String key = app.sandboxKey();
    String base = "/api/v1/email-activations";
    Exchange domains = get(base + "/domains?site=github.com").key(key).send();
    assertThat(domains.status()).isEqualTo(200);
    assertThat(domains.json().get(0).get("name").asText()).isEqualTo("sandbox.verigate.test");
    assertProblem(get(base + "/domains?site=-").key(key).send(), 400, "UNKNOWN_SITE");

    Exchange bought = post(base).key(key).header("Idempotency-Key", "mail-" + NEXT.incrementAndGet())
        .json(Map.of("site", "github.com")).send();
    assertThat(bought.status()).isEqualTo(201);
    int id = bought.json().get("id").asInt();
    assertThat(bought.header("Location")).isEqualTo(base + "/" + id);
    JsonNode received = null;
    for (int attempt = 0; attempt < 200 && received == null; attempt++) {
      JsonNode read = get(base + "/" + id + "?wait=1").key(key).send().json();
      received = read.get("status").asText().equals("RECEIVED") ? read : null;
    }
    assertThat(received).as("the sandbox letter").isNotNull();
    assertThat(received.get("otpValue").asText()).matches("\\d{6}");
    Exchange listed = get(base + "?status=received&site=github.com&limit=5").key(key).send();
    assertThat(listed.json().get("items").findValuesAsText("id")).contains(String.valueOf(id));

    Exchange reordered = post(base + "/" + id + "/reorder").key(key).send();
    assertThat(reordered.status()).isEqualTo(201);
    int next = reordered.json().get("id").asInt();
    Exchange own = post("/api/v1/sandbox/email-activations/" + next + "/message").key(key)
        .json(Map.of("subject", "Your code", "text", "Your GitHub code is 4321")).send();
    assertThat(own.status()).isEqualTo(202);
    assertThat(own.json().get("emailActivationId").asInt()).isEqualTo(next);
    Exchange finished = post(base + "/" + next + "/finish").key(key).send();
    assertThat(finished.json().get("status").asText()).isEqualTo("FINISHED");

    int silent = post(base).key(key).json(Map.of("site", "nomail.test")).send().json().get("id").asInt();
    Exchange cancelled = post(base + "/" + silent + "/cancel").key(key).send();
    assertThat(cancelled.json().get("status").asText()).isEqualTo("CANCELED");
    assertProblem(post(base + "/" + silent + "/finish").key(key).send(), 409, "INVALID_STATE");
    assertProblem(post(base + "/" + silent + "/reorder").key(key).send(), 409, "INVALID_STATE");

    Exchange price = put("/admin/v1/email-prices").bearer(app.adminToken())
        .json(Map.of("domain", "sandbox.verigate.test", "site", "github.com", "price", "0.06")).send();
    assertThat(price.status()).isEqualTo(200);
    assertThat(get(base + "/domains?site=github.com").key(key).send().json().get(0).get("price").asText())
        .isEqualTo("0.06");
  }

  @Test
  void sellsEsimsFromTheOperatorsStockAndTheSandbox() {
    String admin = app.adminToken();
    String plan = "contract-gr-1gb-" + NEXT.incrementAndGet();
    String topUp = plan + "-topup";
    Exchange saved = put("/admin/v1/esims/plans/" + plan).bearer(admin).json(Map.of("name", "Greece 1 GB 7 days",
        "countries", List.of("GR"), "dataMb", 1024, "validityDays", 7, "price", "4.50")).send();
    assertThat(saved.status()).isEqualTo(200);
    put("/admin/v1/esims/plans/" + topUp).bearer(admin).json(Map.of("name", "Greece top-up 1 GB", "type", "topup",
        "countries", List.of("GR"), "dataMb", 1024, "validityDays", 7, "price", "3.00")).send();
    assertProblem(put("/admin/v1/esims/plans/" + plan).bearer(admin).json(Map.of("name", "Nowhere",
        "countries", List.of("XX"), "validityDays", 7, "price", "4.50")).send(), 400, "UNKNOWN_COUNTRY");
    String iccid = "8901410321111851072";
    Exchange imported = post("/admin/v1/esims/plans/" + plan + "/profiles").bearer(admin).json(Map.of("profiles",
        List.of(Map.of("iccid", iccid, "activationCode", "LPA:1$smdp.example.com$04386-AGYFT-A74Y8-3F815"),
            Map.of("iccid", "89014103211118510720", "smdpAddress", "smdp.example.com", "matchingId", "K2-77")))).send();
    assertThat(imported.json().get("imported").asInt()).isEqualTo(2);
    assertThat(get("/admin/v1/esims/plans").bearer(admin).send().json().findValuesAsText("id")).contains(plan, topUp);

    String key = liveKey("20.00");
    Exchange plans = get("/api/v1/esims/plans?country=GR&minDataMb=1000&maxPrice=5.00&type=esim").key(key).send();
    assertThat(plans.json().findValuesAsText("id")).contains(plan);
    assertProblem(get("/api/v1/esims/plans?type=sim").key(key).send(), 400, "BAD_REQUEST");
    Exchange ordered = post("/api/v1/esims/orders").key(key).header("Idempotency-Key", "esim-" + NEXT.incrementAndGet())
        .json(Map.of("planId", plan, "quantity", 2)).send();
    assertThat(ordered.status()).isEqualTo(201);
    long orderId = ordered.json().get("id").asLong();
    long used = ordered.json().get("esims").get(0).get("id").asLong();
    long unused = ordered.json().get("esims").get(1).get("id").asLong();
    assertProblem(post("/api/v1/esims/orders").key(key).json(Map.of("planId", plan)).send(), 409, "ESIM_OUT_OF_STOCK");
    assertProblem(post("/api/v1/esims/orders").key(liveKey("0")).json(Map.of("planId", plan)).send(), 402,
        "NO_BALANCE");
    assertThat(get("/api/v1/esims/orders/" + orderId).key(key).send().json().get("esims")).hasSize(2);
    assertThat(get("/api/v1/esims?limit=1").key(key).send().json().get("items")).hasSize(1);
    assertThat(get("/api/v1/esims/" + used).key(key).send().json().get("usage").get("status").asText())
        .isEqualTo("NOT_ACTIVE");
    Exchange qr = get("/api/v1/esims/" + used + "/qr.png").key(key).send();
    assertThat(qr.status()).isEqualTo(200);
    assertProblem(get("/api/v1/esims/0").key(key).send(), 404, "NOT_FOUND");
    Exchange usage = put("/admin/v1/esims/" + used + "/usage").bearer(admin)
        .json(Map.of("status", "ACTIVE", "usedMb", 100)).send();
    assertThat(usage.json().get("usage").get("remainingMb").asLong()).isEqualTo(924);
    assertThat(get("/api/v1/esims/" + used + "/usage").key(key).send().json().get("status").asText())
        .isEqualTo("ACTIVE");
    // This node has no Airalo credentials, so there is no catalog to sync (AiraloEsimApiTest syncs one).
    assertProblem(post("/admin/v1/esims/catalog/sync").bearer(admin).send(), 409, "CONFLICT");
    Exchange topped = post("/api/v1/esims/" + used + "/topups").key(key).json(Map.of("planId", topUp)).send();
    assertThat(topped.json().get("usage").get("totalMb").asLong()).isEqualTo(2048);
    assertProblem(post("/api/v1/esims/" + used + "/refund").key(key).send(), 409, "INVALID_STATE");
    assertThat(post("/api/v1/esims/" + unused + "/refund").key(key).send().json().get("usage").get("status").asText())
        .isEqualTo("REFUNDED");

    String sandbox = app.sandboxKey();
    long sandboxEsim = post("/api/v1/esims/orders").key(sandbox).json(Map.of("planId", "sandbox-gr-1gb-7d")).send()
        .json().get("esims").get(0).get("id").asLong();
    assertProblem(post("/api/v1/esims/" + sandboxEsim + "/topups").key(sandbox)
        .json(Map.of("planId", "sandbox-topup-refused")).send(), 409, "TOPUP_REFUSED");
    assertProblem(post("/api/v1/esims/orders").key(sandbox).json(Map.of("planId", "sandbox-supplier-failure")).send(),
        503, "SUPPLIER_UNAVAILABLE");
    Exchange played = post("/api/v1/sandbox/esims/" + sandboxEsim + "/usage").key(sandbox)
        .json(Map.of("status", "ACTIVE", "usedMb", 1024)).send();
    assertThat(played.json().get("usage").get("status").asText()).isEqualTo("FINISHED");
    assertProblem(post("/api/v1/sandbox/esims/" + used + "/usage").key(key).json(Map.of("status", "ACTIVE")).send(),
        403, "FORBIDDEN");
  }

  /** Runs last: every operation in the document must have been exercised by the tests above. */
  @Test
  @Order(Integer.MAX_VALUE)
  void everyDocumentedOperationWasExercisedAgainstTheRealServer() {
    assertThat(contract.exercised()).isEqualTo(contract.operations());
  }

  // --- scenario helpers -------------------------------------------------------------------------------------

  /** The live key of a new customer whose live wallet holds {@code credit} ("0" leaves it empty). */
  private static String liveKey(String credit) {
    String admin = app.adminToken();
    long id = post("/admin/v1/customers").bearer(admin).json(Map.of("name", "live " + NEXT.incrementAndGet())).send()
        .json().get("id").asLong();
    String key = post("/admin/v1/customers/" + id + "/keys").bearer(admin).json(Map.of("mode", "live")).send()
        .json().get("key").asText();
    if (!credit.equals("0")) {
      post("/admin/v1/customers/" + id + "/wallet/credit").bearer(admin).json(Map.of("amount", credit)).send();
    }
    return key;
  }

  /** The live key of a customer with an empty wallet, and a free US number it cannot afford. */
  private static String liveKeyWithStock() {
    String source = "gw-" + NEXT.incrementAndGet();
    post("/admin/v1/sources").bearer(app.adminToken()).json(Map.of("name", source)).send();
    importNumbers(source, 1);
    return liveKey("0");
  }

  private static void importNumbers(String source, int count) {
    List<String> numbers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      numbers.add(freshUsNumber());
    }
    importNumbers(source, numbers);
  }

  private static void importNumbers(String source, List<String> numbers) {
    Exchange imported = post("/admin/v1/numbers").bearer(app.adminToken()).json(Map.of("source", source, "numbers", numbers)).send();
    assertThat(imported.json().get("added").asInt()).as(imported.body()).isEqualTo(numbers.size());
  }

  /** Fictional San Francisco 555 numbers, unique within this class's node. */
  private static String freshUsNumber() {
    return "+1415555" + String.format("%04d", 100 + NEXT.incrementAndGet());
  }

  /** Signs as SMS Gateway for Android does: hex HMAC-SHA256 of the body then the Unix-seconds timestamp. */
  private static Request signedByPhone(Request request, String signingKey, String body) {
    String timestamp = String.valueOf(clock.instant().getEpochSecond());
    byte[] signature = hmac("HmacSHA256", signingKey, body + timestamp);
    return request.header("X-Timestamp", timestamp).header("X-Signature", HexFormat.of().formatHex(signature))
        .body(body, "application/json");
  }

  /** Signs as Twilio does: Base64 HMAC-SHA1 of the configured URL then each parameter's name and value, sorted. */
  private static Request signedByTwilio(Request request, String authToken, String url, Map<String, String> params) {
    StringBuilder signed = new StringBuilder(url);
    new TreeMap<>(params).forEach((name, value) -> signed.append(name).append(value));
    return request.header("X-Twilio-Signature", Base64.getEncoder().encodeToString(hmac("HmacSHA1", authToken, signed.toString())))
        .body(form(params), "application/x-www-form-urlencoded");
  }

  /** A text SMS as Vonage's inbound webhook carries it, stamped with the node's clock. */
  private static Map<String, String> vonageSms(String receiver, String text) {
    Map<String, String> params = new TreeMap<>();
    params.put("type", "text");
    params.put("to", receiver.substring(1));
    params.put("msisdn", "14155550000");
    params.put("messageId", "0A" + NEXT.incrementAndGet());
    params.put("text", text);
    params.put("timestamp", String.valueOf(clock.instant().getEpochSecond()));
    return params;
  }

  /** Signs as Vonage does with sha256: hex HMAC-SHA256 of every other parameter as {@code &name=value}, sorted. */
  private static Map<String, String> signedByVonage(Map<String, String> params, String secret) {
    Map<String, String> signed = new TreeMap<>(params);
    signed.remove("sig");
    String data = signed.entrySet().stream().map(p -> "&" + p.getKey() + "=" + p.getValue()).collect(Collectors.joining());
    signed.put("sig", HexFormat.of().formatHex(hmac("HmacSHA256", secret, data)));
    return signed;
  }

  private static String form(Map<String, String> params) {
    return params.entrySet().stream()
        .map(p -> p.getKey() + "=" + URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private static byte[] hmac(String algorithm, String key, String data) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int buy(String key, String operator) {
    Exchange bought = post("/api/v1/activations").key(key)
        .json(Map.of("serviceCode", "wa", "countryIso", "TR", "operator", operator)).send();
    assertThat(bought.status()).as(bought.body()).isEqualTo(201);
    return bought.json().get("id").asInt();
  }

  /** Polls as a client would; the sandbox delivers a few hundred milliseconds after the purchase. */
  private static JsonNode awaitStatus(String key, int id, String status) {
    for (int attempt = 0; attempt < 200; attempt++) {
      JsonNode activation = get("/api/v1/activations/" + id).key(key).send().json();
      if (activation.get("status").asText().equals(status)) {
        return activation;
      }
      pause();
    }
    return fail("activation %d never reached %s", id, status);
  }

  private static JsonNode awaitQuickStartCode(String key, int id) {
    for (int attempt = 0; attempt < 200; attempt++) {
      JsonNode status = get("/status?id=" + id).query("key", key).send().json();
      if (!status.get("code").isNull()) {
        return status;
      }
      pause();
    }
    return fail("activation %d never got a code", id);
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void assertProblem(Exchange exchange, int status, String code) {
    assertThat(exchange.status()).as(exchange.body()).isEqualTo(status);
    assertThat(exchange.contentType()).isEqualTo("application/problem+json");
    assertThat(exchange.json().get("code").asText()).isEqualTo(code);
  }

  private static void assertQuickStartError(Exchange exchange, int status, String code) {
    assertThat(exchange.status()).as(exchange.body()).isEqualTo(status);
    assertThat(exchange.json().get("error").asText()).isEqualTo(code);
  }

  /**
   * What the server really serves, read from Javalin's router, less the compatibility dialects: those speak
   * sms-activate's and 5sim's protocols, which their vendors document, and the document says so.
   */
  /** Routes of the APIs this document covers; the sms-activate and 5sim dialects follow their own specs. */
  private static Set<String> registeredRoutes() {
    return app.app().routes().stream()
        .filter(route -> !route.endsWith(" /stubs/handler_api.php") && !route.contains(" /v1/")
            && !route.matches("(GET|POST) /(mailbox-[a-z-]+|user-balance)"))
        // The dashboard's pages are HTML for people (docs/dashboard.md), not an API.
        .filter(route -> !route.matches("(GET|POST) /(|coverage/.*|dashboard|dashboard/.*|operator|operator/.*)"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> texts(JsonNode array) {
    Set<String> out = new TreeSet<>();
    array.forEach(node -> out.add(node.asText()));
    return out;
  }

  private static String resource(String name) {
    try (InputStream in = OpenApiContractTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // --- HTTP through the contract ----------------------------------------------------------------------------

  private static Request get(String pathAndQuery) {
    return new Request("GET", pathAndQuery);
  }

  private static Request post(String pathAndQuery) {
    return new Request("POST", pathAndQuery);
  }

  private static Request put(String pathAndQuery) {
    return new Request("PUT", pathAndQuery);
  }

  private static Request patch(String pathAndQuery) {
    return new Request("PATCH", pathAndQuery);
  }

  private static Request delete(String pathAndQuery) {
    return new Request("DELETE", pathAndQuery);
  }

  /** One request being built; {@link #send} performs it and checks the exchange against the document. */
  private static final class Request {
    private final String method;
    private String pathAndQuery;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String body;

    Request(String method, String pathAndQuery) {
      this.method = method;
      this.pathAndQuery = pathAndQuery;
    }

    Request key(String apiKey) {
      return header("x-api-key", apiKey);
    }

    Request bearer(String token) {
      return header("Authorization", "Bearer " + token);
    }

    Request query(String name, String value) {
      pathAndQuery += (pathAndQuery.contains("?") ? "&" : "?") + name + "=" + value;
      return this;
    }

    Request header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    Request json(Object value) {
      return body(Json.write(value), "application/json");
    }

    Request body(String text, String contentType) {
      this.body = text;
      return header("Content-Type", contentType);
    }

    Exchange send() {
      try {
        HttpResponse<String> response = HTTP.send(build(), HttpResponse.BodyHandlers.ofString());
        return checked(new Exchange(response.statusCode(), response.headers(), response.body()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    /**
     * For a stream that does not end by itself (Server-Sent Events): the body as far as its first {@code messages}
     * messages, after which the client hangs up.
     */
    Exchange sendStream(int messages) {
      try {
        HttpResponse<InputStream> response = HTTP.send(build(), HttpResponse.BodyHandlers.ofInputStream());
        StringBuilder body = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
          int seen = 0;
          for (String line = lines.readLine(); line != null && seen < messages; line = lines.readLine()) {
            body.append(line).append('\n');
            seen += line.startsWith("data:") ? 1 : 0;
          }
        }
        return checked(new Exchange(response.statusCode(), response.headers(), body.toString()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    private HttpRequest build() {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.baseUrl() + pathAndQuery))
          .timeout(Duration.ofSeconds(10))
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
      headers.forEach(request::header);
      return request.build();
    }

    private Exchange checked(Exchange exchange) {
      contract.check(method, URI.create(pathAndQuery), headers.get("Content-Type"), body, exchange);
      return exchange;
    }
  }

  /** A response as the contract and the assertions read it. */
  private static final class Exchange {
    private final int status;
    private final HttpHeaders headers;
    private final String body;
    private JsonNode json;

    Exchange(int status, HttpHeaders headers, String body) {
      this.status = status;
      this.headers = headers;
      this.body = body;
    }

    int status() {
      return status;
    }

    String body() {
      return body;
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    /** The media type without parameters such as charset. */
    String contentType() {
      String value = header("Content-Type");
      return value == null ? null : value.split(";")[0].trim();
    }

    JsonNode json() {
      if (json == null) {
        json = parse(body());
      }
      return json;
    }
  }

  private static JsonNode parse(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  // --- the document as a checker ----------------------------------------------------------------------------

  /** The OpenAPI document, able to judge one real exchange: operation, status, media type, parameters, bodies. */
  private static final class Contract {
    private static final String DOCUMENT_IRI = "https://verigate.test/openapi.json";
    /** Top-level OpenAPI fields: not JSON Schema keywords, so the validator must not warn about them. */
    private static final List<String> OPENAPI_FIELDS =
        List.of("openapi", "info", "jsonSchemaDialect", "servers", "paths", "webhooks", "components", "security", "tags", "externalDocs");

    final JsonNode document;
    private final SchemaRegistry schemas;
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();
    private final Map<String, Pattern> templates = new LinkedHashMap<>();
    private final Set<String> queryKeys = new HashSet<>();
    private final Set<String> exercised = ConcurrentHashMap.newKeySet();

    Contract(String text) {
      this.document = parse(text);
      Dialect openApi = Dialect.builder(Dialects.getOpenApi31())
          .keywords(OPENAPI_FIELDS.stream().map(NonValidationKeyword::new).toList())
          .build();
      this.schemas = SchemaRegistry.withDefaultDialect(openApi, registry -> registry
          .schemas(Map.of(DOCUMENT_IRI, text))
          .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
      document.get("paths").fieldNames().forEachRemaining(path ->
          templates.put(path, Pattern.compile(Arrays.stream(path.split("/", -1))
              .map(segment -> segment.startsWith("{") ? "[^/]+" : Pattern.quote(segment))
              .collect(Collectors.joining("/")))));
      document.at("/components/securitySchemes").forEach(scheme -> {
        if (scheme.path("in").asText().equals("query")) {
          queryKeys.add(scheme.get("name").asText());
        }
      });
    }

    /** Every documented operation as {@code "METHOD /path"}. */
    Set<String> operations() {
      Set<String> out = new TreeSet<>();
      document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(field -> {
        if (!field.getKey().equals("parameters")) {
          out.add(field.getKey().toUpperCase() + " " + path.getKey());
        }
      }));
      return out;
    }

    Set<String> exercised() {
      return new TreeSet<>(exercised);
    }

    void check(String method, URI target, String requestType, String requestBody, Exchange exchange) {
      String template = template(target.getPath());
      String operationPointer = pointer("paths", template, method.toLowerCase());
      JsonNode operation = document.at(operationPointer);
      String call = method + " " + target + " -> " + exchange.status() + " " + exchange.body();
      assertThat(operation.isMissingNode()).as("%s %s is documented", method, template).isFalse();
      assertThat(documentedQueryParameters(template, operation)).as("query parameters of %s", call)
          .containsAll(queryParameters(target));

      String responsePointer = operationPointer + pointer("responses", String.valueOf(exchange.status()));
      JsonNode response = document.at(responsePointer);
      assertThat(response.isMissingNode()).as("status documented for %s", call).isFalse();
      if (response.has("$ref")) {
        responsePointer = response.get("$ref").asText().substring(1);
        response = document.at(responsePointer);
      }
      JsonNode content = response.path("content");
      if (content.isMissingNode()) {
        assertThat(exchange.body()).as("%s has no documented body", call).isEmpty();
      } else {
        assertThat(content.has(exchange.contentType())).as("%s answers %s, documented: %s", call, exchange.contentType(),
            content.properties().stream().map(Map.Entry::getKey).toList()).isTrue();
        JsonNode body = exchange.contentType().endsWith("json") ? exchange.json() : TextNode.valueOf(exchange.body());
        validate(responsePointer + pointer("content", exchange.contentType(), "schema"), body, call);
      }

      // Requests that succeeded show what the server accepts, so the documented request schema must accept them.
      if (exchange.status() < 300 && requestBody != null && "application/json".equals(requestType)) {
        validate(operationPointer + pointer("requestBody", "content", requestType, "schema"), parse(requestBody),
            "request body of " + call);
      }
      exercised.add(method + " " + template);
    }

    private void validate(String schemaPointer, JsonNode value, String what) {
      assertThat(document.at(schemaPointer).isMissingNode()).as("schema %s exists for %s", schemaPointer, what).isFalse();
      Schema schema = compiled.computeIfAbsent(schemaPointer,
          p -> schemas.getSchema(SchemaLocation.of(DOCUMENT_IRI + "#" + p.replace("{", "%7B").replace("}", "%7D"))));
      List<Error> errors = schema.validate(value);
      assertThat(errors).as("%s against %s", what, schemaPointer).isEmpty();
    }

    /** The documented path template for a concrete path; a literal segment wins over a parameter. */
    private String template(String path) {
      return templates.entrySet().stream()
          .filter(t -> t.getValue().matcher(path).matches())
          .map(Map.Entry::getKey)
          .min((a, b) -> Long.compare(a.chars().filter(c -> c == '{').count(), b.chars().filter(c -> c == '{').count()))
          .orElseGet(() -> fail("no documented path matches %s", path));
    }

    private Set<String> documentedQueryParameters(String template, JsonNode operation) {
      Set<String> names = new HashSet<>(queryKeys);
      for (JsonNode parameters : List.of(document.at(pointer("paths", template, "parameters")), operation.path("parameters"))) {
        parameters.forEach(parameter -> {
          JsonNode resolved = parameter.has("$ref") ? document.at(parameter.get("$ref").asText().substring(1)) : parameter;
          if (resolved.get("in").asText().equals("query")) {
            names.add(resolved.get("name").asText());
          }
        });
      }
      return names;
    }

    private static Set<String> queryParameters(URI target) {
      if (target.getRawQuery() == null) {
        return Set.of();
      }
      return Arrays.stream(target.getRawQuery().split("&"))
          .map(pair -> URLDecoder.decode(pair.split("=", 2)[0], StandardCharsets.UTF_8))
          .collect(Collectors.toSet());
    }

    private static String pointer(String... tokens) {
      StringBuilder out = new StringBuilder();
      for (String token : tokens) {
        out.append('/').append(token.replace("~", "~0").replace("/", "~1"));
      }
      return out.toString();
    }
  }
}
