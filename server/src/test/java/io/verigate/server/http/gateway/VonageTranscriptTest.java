package io.verigate.server.http.gateway;

import static io.verigate.server.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.http.support.Json;
import io.verigate.server.testing.MutableClock;
import io.verigate.server.testing.TestApp;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Vonage calling the SMS API's inbound webhook of a real node, as GET, form POST or JSON POST, signed or not, one
 * request per part of a long message. The node's clock stands still until a test moves it, so that reassembly
 * timeouts pass without waiting and signed timestamps are exact.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VonageTranscriptTest {
  private static final String SECRET = "vonage-signature-secret";
  private static final DateTimeFormatter MESSAGE_TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
      .withZone(ZoneOffset.UTC);

  MutableClock clock;
  TestApp app;
  SupplyNode node;

  /** The node the transcript runs against; the PostgreSQL run starts its own. */
  TestApp startNode(MutableClock clock) {
    return TestApp.start(false, Map.of(), clock);
  }

  @BeforeAll
  void start() {
    clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    app = startNode(clock);
    node = new SupplyNode(app);
  }

  @AfterAll
  void stop() {
    app.close();
  }

  /** How the account sends its webhooks: the HTTP method and body it chose in its settings. */
  private enum Shape { GET, FORM, JSON }

  /** A Vonage account as the operator registered it; a null method means its webhooks are not signed. */
  private record Account(SupplyNode node, String name, String method) {
    HttpResponse<String> send(Shape shape, Map<String, String> params) {
      Map<String, String> signed = new LinkedHashMap<>(params);
      if (method != null) {
        signed.put("sig", VonageSignature.sign(SECRET, method, signed));
      }
      return sendAsIs(shape, signed);
    }

    HttpResponse<String> sendAsIs(Shape shape, Map<String, String> params) {
      String path = "/api/v1/inbound/vonage/" + name;
      String form = params.entrySet().stream()
          .map(p -> URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8))
          .collect(Collectors.joining("&"));
      return switch (shape) {
        case GET -> node.send("GET", path + "?" + form, null, null);
        case FORM -> node.send("POST", path, "application/x-www-form-urlencoded", form.getBytes(StandardCharsets.UTF_8));
        case JSON -> node.send("POST", path, "application/json", Json.write(params).getBytes(StandardCharsets.UTF_8));
      };
    }
  }

  /**
   * A Vonage source, signing with the secret by the method, or, when the method is null, unsigned and allowed to be by
   * its operator.
   */
  private Account account(String method) {
    String name = SupplyNode.uniqueName("vonage");
    String settings = method == null ? ",\"allowUnsigned\":true"
        : ",\"signatureSecret\":\"" + SECRET + "\",\"signatureMethod\":\"" + method + "\"";
    node.admin("POST", "/admin/v1/sources", "{\"name\":\"" + name + "\",\"type\":\"vonage\"" + settings + "}");
    return new Account(node, name, method);
  }

  /** A live activation waiting for a WhatsApp code on a number of the account, in a country no other test uses. */
  private SupplyNode.Bought buy(Account account, String countryIso) {
    node.importNumber(account.name(), SupplyNode.freshNumber(countryIso));
    return node.buyWhatsApp(countryIso);
  }

  /** An inbound text SMS as Vonage sends it, stamped with the node's clock as Vonage stamps it with its own. */
  private Map<String, String> sms(String to, String text) {
    Instant now = clock.instant();
    Map<String, String> params = new LinkedHashMap<>();
    params.put("msisdn", "447700900001");
    params.put("to", to.substring(1));
    params.put("messageId", messageId());
    params.put("text", text);
    params.put("type", "text");
    params.put("keyword", text.split(" ")[0]);
    params.put("api-key", "abcd1234");
    params.put("message-timestamp", MESSAGE_TIMESTAMP.format(now));
    params.put("timestamp", Long.toString(now.getEpochSecond()));
    params.put("nonce", UUID.randomUUID().toString());
    return params;
  }

  /** One part of a long text SMS; every part has its own messageId and shares the concat-ref. */
  private Map<String, String> part(String to, String reference, int total, int number, String text) {
    Map<String, String> params = sms(to, text);
    params.put("concat", "true");
    params.put("concat-ref", reference);
    params.put("concat-total", Integer.toString(total));
    params.put("concat-part", Integer.toString(number));
    return params;
  }

  private static String messageId() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 17).toUpperCase();
  }

  @Test
  void answers204OnlyOnceTheCodeIsReadableThroughTheApi() {
    Account account = account("md5hash");
    SupplyNode.Bought bought = buy(account, "de");

    HttpResponse<String> answer = account.send(Shape.FORM, sms(bought.phone(), "Your WhatsApp code: 318-604"));

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(204);
    JsonNode activation = node.activation(bought);
    assertThat(activation.get("code").asText()).isEqualTo("318604");
    assertThat(activation.get("smsText").asText()).isEqualTo("Your WhatsApp code: 318-604");
    assertThat(node.health(account.name()).get("messages").asLong()).isEqualTo(1);
  }

  @Test
  void takesMessagesByGetByFormPostAndByJsonPost() {
    Account account = account(null);
    String receiver = SupplyNode.freshNumber("at");

    for (Shape shape : Shape.values()) {
      HttpResponse<String> answer = account.send(shape, sms(receiver, "Код " + shape + ": 5521 🙂"));
      assertThat(answer.statusCode()).as(shape + ": " + answer.body()).isEqualTo(204);
    }

    assertThat(app.journal(receiver)).containsExactly("Код GET: 5521 🙂", "Код FORM: 5521 🙂", "Код JSON: 5521 🙂");
  }

  @Test
  void reassemblesAThreePartMessageSentOutOfOrder() {
    Account account = account("sha256");
    SupplyNode.Bought bought = buy(account, "fr");
    String to = bought.phone();

    account.send(Shape.JSON, part(to, "08B5", 3, 3, "Do not share it."));
    account.send(Shape.JSON, part(to, "08B5", 3, 1, "Your WhatsApp "));
    assertThat(app.journal(to)).as("two of three parts are not a message yet").isEmpty();
    HttpResponse<String> last = account.send(Shape.JSON, part(to, "08B5", 3, 2, "code: 412-907. "));

    assertThat(last.statusCode()).isEqualTo(204);
    assertThat(app.journal(to)).containsExactly("Your WhatsApp code: 412-907. Do not share it.");
    assertThat(node.activation(bought).get("code").asText()).isEqualTo("412907");
  }

  @Test
  void storesAPartVonageSendsTwiceOnce() {
    Account account = account(null);
    String receiver = SupplyNode.freshNumber("be");
    Map<String, String> first = part(receiver, "77", 2, 1, "Your code is ");

    account.send(Shape.FORM, first);
    account.send(Shape.FORM, first);
    account.send(Shape.FORM, part(receiver, "77", 2, 2, "771903"));

    assertThat(app.journal(receiver)).containsExactly("Your code is 771903");
    assertThat(node.health(account.name()).get("duplicates").asLong()).isEqualTo(1);
  }

  @Test
  void makesNoSecondMessageOfAPartSentAgainAfterItsMessageWasJournaled() {
    Account account = account(null);
    String receiver = SupplyNode.freshNumber("it");
    Map<String, String> second = part(receiver, "A1", 2, 2, "906 114");

    account.send(Shape.GET, part(receiver, "A1", 2, 1, "Kod: "));
    account.send(Shape.GET, second);
    HttpResponse<String> again = account.send(Shape.GET, second);
    clock.advance(VonageRoutes.REASSEMBLY.plusSeconds(1));

    assertThat(again.statusCode()).isEqualTo(204);
    eventually("the sweep files the resent part under its message", () -> waitingParts(receiver) == 0);
    assertThat(app.journal(receiver)).containsExactly("Kod: 906 114");
  }

  @Test
  void journalsWhatArrivedOfAMessageWhoseMissingPartNeverCame() {
    Account account = account("md5hash");
    SupplyNode.Bought bought = buy(account, "es");
    String to = bought.phone();

    account.send(Shape.FORM, part(to, "5", 3, 1, "Your WhatsApp code: 550-122. "));
    account.send(Shape.FORM, part(to, "5", 3, 3, "it expires soon."));
    clock.advance(VonageRoutes.REASSEMBLY.minusSeconds(1));
    assertThat(app.journal(to)).as("still waiting for the second part").isEmpty();
    clock.advance(Duration.ofSeconds(2));

    eventually("the incomplete message is journaled", () -> !app.journal(to).isEmpty());
    assertThat(app.journal(to)).containsExactly("Your WhatsApp code: 550-122. …it expires soon.");
    assertThat(node.activation(bought).get("code").asText()).isEqualTo("550122");
  }

  @Test
  void refusesMissingWrongAndStaleSignaturesAndStoresNothing() {
    for (String method : List.of("md5hash", "sha512")) {
      Account account = account(method);
      String receiver = SupplyNode.freshNumber("pt");
      Map<String, String> params = sms(receiver, "Your code is 424242");

      Map<String, String> forged = new LinkedHashMap<>(params);
      forged.put("sig", VonageSignature.sign(SECRET, method, params));
      forged.put("text", "Your code is 000000");
      Map<String, String> otherSecret = new LinkedHashMap<>(params);
      otherSecret.put("sig", VonageSignature.sign("another-secret", method, params));
      Map<String, String> stale = new LinkedHashMap<>(params);
      stale.put("timestamp", Long.toString(clock.instant().minus(VonageSignature.WINDOW).getEpochSecond() - 1));
      stale.put("sig", VonageSignature.sign(SECRET, method, stale));

      assertThat(List.of(account.sendAsIs(Shape.FORM, params), account.sendAsIs(Shape.FORM, forged),
          account.sendAsIs(Shape.JSON, otherSecret), account.sendAsIs(Shape.GET, stale)))
          .allSatisfy(refused -> assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401));
      assertThat(app.journal(receiver)).isEmpty();
      JsonNode health = node.health(account.name());
      assertThat(health.get("rejected").asLong()).isEqualTo(4);
      assertThat(health.get("lastError").asText()).contains("timestamp");

      assertThat(account.send(Shape.FORM, params).statusCode()).isEqualTo(204);
      assertThat(app.journal(receiver)).containsExactly("Your code is 424242");
    }
  }

  @Test
  void refusesUnsignedWebhooksUntilTheOperatorAllowsThemAndCountsThem() {
    String name = SupplyNode.uniqueName("vonage");
    node.admin("POST", "/admin/v1/sources", "{\"name\":\"" + name + "\",\"type\":\"vonage\"}");
    Account unsigned = new Account(node, name, null);
    String receiver = SupplyNode.freshNumber("pt");
    Map<String, String> params = sms(receiver, "Your code is 515151");

    HttpResponse<String> refused = unsigned.send(Shape.FORM, params);
    JsonNode health = node.health(name);
    JsonNode allowed = node.admin("PATCH", "/admin/v1/sources/" + name, "{\"allowUnsigned\":true}");
    HttpResponse<String> taken = unsigned.send(Shape.FORM, params);

    assertProblem(refused, 401, "BAD_KEY", "allowUnsigned");
    assertThat(health.get("rejected").asLong()).isEqualTo(1);
    assertThat(allowed.get("allowUnsigned").asBoolean()).isTrue();
    assertThat(taken.statusCode()).isEqualTo(204);
    assertThat(app.journal(receiver)).containsExactly("Your code is 515151");
  }

  @Test
  void aSourceWithASecretTakesNoUnsignedWebhookEvenWhenAllowed() {
    Account signed = account("md5hash");
    node.admin("PATCH", "/admin/v1/sources/" + signed.name(), "{\"allowUnsigned\":true}");
    String receiver = SupplyNode.freshNumber("pt");

    HttpResponse<String> refused = signed.sendAsIs(Shape.FORM, sms(receiver, "Your code is 616161"));

    assertProblem(refused, 401, "BAD_KEY", "sig is required");
    assertThat(app.journal(receiver)).isEmpty();
  }

  @Test
  void onlyVonageSourcesTakeAllowUnsigned() {
    HttpResponse<String> android = node.send("POST", "/admin/v1/sources", "application/json",
        "{\"name\":\"unsigned-phone\",\"type\":\"android\",\"allowUnsigned\":true}".getBytes(StandardCharsets.UTF_8),
        "Authorization", "Bearer " + app.adminToken());

    assertProblem(android, 400, "BAD_REQUEST", "vonage sources only");
  }

  @Test
  void answersAProblemForBadInputAndCountsItInTheSourceHealth() {
    Account account = account(null);
    Map<String, String> noReceiver = sms(SupplyNode.freshNumber("pl"), "Kod 1234");
    noReceiver.remove("to");
    Map<String, String> badPart = part(SupplyNode.freshNumber("pl"), "9", 2, 1, "Kod");
    badPart.put("concat-part", "first");

    HttpResponse<String> missing = account.send(Shape.FORM, noReceiver);
    HttpResponse<String> malformed = account.send(Shape.GET, badPart);
    HttpResponse<String> notJson = node.send("POST", "/api/v1/inbound/vonage/" + account.name(), "application/json",
        "{\"to\":".getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> unknown = node.send("GET", "/api/v1/inbound/vonage/no-such-source?to=1", null, null);

    assertProblem(missing, 400, "BAD_REQUEST", "to is required");
    assertProblem(malformed, 400, "BAD_REQUEST", "concat-part");
    assertProblem(notJson, 400, "MALFORMED_JSON", "JSON");
    assertProblem(unknown, 404, "NOT_FOUND", "no vonage source");
    assertThat(node.health(account.name()).get("rejected").asLong()).isEqualTo(3);
  }

  @Test
  void showsTheSignatureMethodButNeverTheSecretAndRefusesAnUnknownMethod() {
    Account account = account("sha1");

    JsonNode source = node.admin("GET", "/admin/v1/sources/" + account.name(), "");
    HttpResponse<String> unknownMethod = node.send("PATCH", "/admin/v1/sources/" + account.name(), "application/json",
        "{\"signatureMethod\":\"sha3\"}".getBytes(StandardCharsets.UTF_8), "Authorization", "Bearer " + app.adminToken());
    JsonNode changed = node.admin("PATCH", "/admin/v1/sources/" + account.name(), "{\"signatureMethod\":\"SHA256\"}");

    assertThat(source.get("type").asText()).isEqualTo("vonage");
    assertThat(source.get("signatureMethod").asText()).isEqualTo("sha1");
    assertThat(source.get("signingSecretSet").asBoolean()).isTrue();
    assertThat(source.toString()).doesNotContain(SECRET);
    assertProblem(unknownMethod, 400, "BAD_REQUEST", "signatureMethod must be one of");
    assertThat(changed.get("signatureMethod").asText()).isEqualTo("sha256");
  }

  private static void assertProblem(HttpResponse<String> reply, int status, String code, String detail) {
    assertThat(reply.statusCode()).as(reply.body()).isEqualTo(status);
    assertThat(reply.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    JsonNode problem = SupplyNode.json(reply);
    assertThat(problem.get("code").asText()).isEqualTo(code);
    assertThat(problem.get("detail").asText()).contains(detail);
  }

  /** Parts to this number that wait for the rest of their message. */
  private long waitingParts(String receiver) {
    return app.app().database().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM inbound_part "
            + "WHERE receiver = :r AND message_id IS NULL")
        .bind("r", receiver).mapTo(Long.class).one());
  }
}
