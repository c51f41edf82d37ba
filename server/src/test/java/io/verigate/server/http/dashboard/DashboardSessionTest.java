package io.verigate.server.http.dashboard;

import static io.verigate.server.http.dashboard.DashboardHttp.get;
import static io.verigate.server.http.dashboard.DashboardHttp.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.account.ApiKeyFormat;
import io.verigate.server.activation.Coverage;
import io.verigate.server.http.support.Json;
import io.verigate.server.testing.Eventually;
import io.verigate.server.testing.MutableClock;
import io.verigate.server.testing.TestApp;
import io.verigate.server.testing.WebhookReceiver;
import io.verigate.server.wallet.Money;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's sessions and public figures over plain HTTP, against a real node: what a browser test cannot see
 * or would make slow (stored hashes, throttling, the exact refusals).
 */
class DashboardSessionTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]+)\"");
  private static final String PASSWORD = "a long enough password";
  private static final MutableClock CLOCK = new MutableClock(Instant.now());
  private static TestApp open;

  @BeforeAll
  static void start() {
    open = TestApp.start(false, Map.of("dashboard-sign-up", "true", "early-cancel-guard", "0s",
        "webhook-allow-private", "true"), CLOCK);
  }

  @AfterAll
  static void stop() {
    open.close();
  }

  @Test
  void theRootShowsThePublicCoverageInsteadOfA404() throws Exception {
    HttpResponse<String> root = get(open, "/", null);
    assertThat(root.statusCode()).isEqualTo(200);
    assertThat(root.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
    assertThat(root.headers().firstValue("Content-Security-Policy")).hasValue(Pages.POLICY);
    assertThat(root.body()).contains("<h1>Coverage and prices</h1>");
  }

  @Test
  void signUpIsOffUnlessTheOperatorTurnsItOn() throws Exception {
    try (TestApp closed = TestApp.start()) {
      assertThat(get(closed, "/dashboard/signup", null).statusCode()).isEqualTo(403);
      HttpResponse<String> refused = post(closed, "/dashboard/signup", null,
          Map.of("email", "someone@example.com", "password", PASSWORD, "repeat", PASSWORD));
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(refused.body()).contains("does not take sign-ups");
      assertThat(closed.app().accounts().customers()).noneMatch(c -> c.name().equals("someone@example.com"));
    }
  }

  @Test
  void aSessionCookieIsHttpOnlyStrictAndStoredOnlyAsItsHash() throws Exception {
    HttpResponse<String> signedUp = post(open, "/dashboard/signup", null,
        Map.of("email", "Cookie@Example.com", "password", PASSWORD, "repeat", PASSWORD));
    assertThat(signedUp.statusCode()).isEqualTo(303);
    String setCookie = signedUp.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie).contains("HttpOnly", "SameSite=Strict", "Path=/").doesNotContain("Secure");
    String token = setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
    List<String> stored = open.app().database().withHandle(h -> h.createQuery(
        "SELECT token_sha256 FROM dashboard_session").mapTo(String.class).list());
    assertThat(stored).contains(ApiKeyFormat.sha256(token)).doesNotContain(token);
    String hash = open.app().database().withHandle(h -> h.createQuery(
        "SELECT password_hash FROM customer_login WHERE email = 'cookie@example.com'").mapTo(String.class).one());
    assertThat(hash).startsWith("$2a$12$").doesNotContain(PASSWORD);

    // Behind a TLS-terminating proxy the node trusts, the cookie is Secure; a client's own header is not believed.
    try (TestApp proxied = TestApp.start(Map.of("trusted-proxies", "127.0.0.1/32"))) {
      String tls = post(proxied, OperatorPages.LOGIN, null, Map.of("token", proxied.adminToken()),
          "X-Forwarded-Proto", "https").headers().firstValue("Set-Cookie").orElseThrow();
      assertThat(tls).contains("Secure");
    }
    String direct = post(open, OperatorPages.LOGIN, null, Map.of("token", open.adminToken()),
        "X-Forwarded-Proto", "https").headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(direct).doesNotContain("Secure");
  }

  @Test
  void aFormWithoutTheSessionsCsrfTokenIsRefusedAndOneWithItIsTaken() throws Exception {
    String cookie = signUp("csrf@example.com");
    HttpResponse<String> forged = post(open, "/dashboard/keys", cookie, Map.of("label", "forged", "mode", "test"));
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body()).contains("CSRF");
    HttpResponse<String> otherSite = post(open, "/dashboard/keys", cookie,
        Map.of("label", "other", "mode", "test", "csrf", csrf(cookie)), "Origin", "http://evil.example");
    assertThat(otherSite.statusCode()).isEqualTo(403);

    HttpResponse<String> created = post(open, "/dashboard/keys", cookie,
        Map.of("label", "mine", "mode", "test", "scope", "read", "csrf", csrf(cookie)));
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.body()).contains("vg_test_");

    long customerId = open.app().accounts().customers().stream().filter(c -> c.name().equals("csrf@example.com"))
        .findFirst().orElseThrow().id();
    String keyId = open.app().keys().list(customerId).stream().filter(k -> "mine".equals(k.label())).findFirst()
        .orElseThrow().keyId();
    HttpResponse<String> rotated = post(open, "/dashboard/keys/" + keyId + "/rotate", cookie,
        Map.of("mode", "test", "csrf", csrf(cookie)));
    assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(201);
    assertThat(open.app().keys().list(customerId)).filteredOn(k -> k.keyId().equals(keyId)).singleElement()
        .satisfies(old -> assertThat(old.replacedBy()).isNotNull());
  }

  @Test
  void aKeyCreatedWithAnAllowlistAndAnExpiryKeepsBothAndABadAllowlistIsExplainedOnThePage() throws Exception {
    String cookie = signUp("allowlist@example.com");
    HttpResponse<String> refused = post(open, "/dashboard/keys", cookie, Map.of("label", "bad", "mode", "test",
        "scope", "read", "allow", "203.0.113.0/24, not-an-address", "csrf", csrf(cookie)));
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("role=\"alert\"").contains("not-an-address").doesNotContain("id=\"new-key\"");

    HttpResponse<String> created = post(open, "/dashboard/keys", cookie, Map.of("label", "office", "mode", "test",
        "scope", "read", "allow", "203.0.113.0/24, 2001:db8::1", "expires", "2099-12-31", "csrf", csrf(cookie)));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(created.body()).contains("<td>203.0.113.0/24,2001:db8::1</td><td>2100-01-01 00:00:00 UTC</td>");
    Matcher secret = Pattern.compile("id=\"new-key\">([^<]+)<").matcher(created.body());
    assertThat(secret.find()).isTrue();

    long customerId = open.app().accounts().customers().stream()
        .filter(c -> c.name().equals("allowlist@example.com")).findFirst().orElseThrow().id();
    assertThat(open.app().keys().list(customerId)).extracting(k -> k.label()).containsExactly("office");
    assertThat(open.app().keys().list(customerId).get(0).expiresAt()).isEqualTo(Instant.parse("2100-01-01T00:00:00Z"));
    // The test runs from 127.0.0.1, outside the allowlist: the new key is refused there.
    HttpResponse<String> fromHere = HTTP.send(HttpRequest.newBuilder(URI.create(open.baseUrl() + "/api/v1/wallet/balance"))
        .header("x-api-key", secret.group(1)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(fromHere.statusCode()).as(fromHere.body()).isEqualTo(403);
  }

  @Test
  void theEmailAndEsimPagesShowWhatTheCustomerBoughtThroughTheApiAndNothingOfAnotherCustomers() throws Exception {
    String cookie = signUp("traveller@example.com");
    HttpResponse<String> created = post(open, "/dashboard/keys", cookie, Map.of("label", "api", "mode", "test",
        "scope", "buy", "csrf", csrf(cookie)));
    Matcher key = Pattern.compile("id=\"new-key\">([^<]+)<").matcher(created.body());
    assertThat(key.find()).as(created.body()).isTrue();
    HttpResponse<String> mailbox = api("/api/v1/email-activations", key.group(1), "{\"site\":\"github.com\"}");
    assertThat(mailbox.statusCode()).as(mailbox.body()).isEqualTo(201);
    String address = Json.MAPPER.readTree(mailbox.body()).path("emailAddress").asText();
    HttpResponse<String> order = api("/api/v1/esims/orders", key.group(1), "{\"planId\":\"sandbox-gr-1gb-7d\"}");
    assertThat(order.statusCode()).as(order.body()).isEqualTo(201);
    JsonNode esim = Json.MAPPER.readTree(order.body()).path("esims").get(0);

    HttpResponse<String> emails = get(open, "/dashboard/email?mode=test", cookie);
    assertThat(emails.statusCode()).isEqualTo(200);
    assertThat(emails.body()).contains(address).contains("github.com").contains("aria-current=\"page\">Email<");
    HttpResponse<String> esims = get(open, "/dashboard/esims?mode=test", cookie);
    assertThat(esims.statusCode()).isEqualTo(200);
    assertThat(esims.body()).contains(esim.path("iccid").asText())
        .contains(esim.path("activationCode").asText());
    String qr = "/dashboard/esims/" + esim.path("id").asLong() + "/qr.png?mode=test";
    assertThat(esims.body()).contains(qr);
    HttpResponse<byte[]> png = HTTP.send(HttpRequest.newBuilder(URI.create(open.baseUrl() + qr))
        .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(png.statusCode()).isEqualTo(200);
    assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
    assertThat(png.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-store"));

    String stranger = signUp("stranger@example.com");
    assertThat(get(open, "/dashboard/email?mode=test", stranger).body()).doesNotContain(address);
    assertThat(get(open, "/dashboard/esims?mode=test", stranger).body()).doesNotContain(esim.path("iccid").asText());
    assertThat(get(open, qr, stranger).statusCode()).isEqualTo(404);
    assertThat(get(open, qr, null).statusCode()).as("no session").isNotEqualTo(200);
  }

  private static HttpResponse<String> api(String path, String key, String json) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(open.baseUrl() + path)).header("x-api-key", key)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theOperatorSetsAPriceFromThePriceTableAndFindsTheChangeInTheAuditLog() throws Exception {
    String operator = DashboardHttp.sessionCookie(post(open, "/operator/login", null,
        Map.of("token", open.adminToken())));
    assertThat(get(open, "/operator/prices", null).statusCode()).as("no session").isNotEqualTo(200);

    HttpResponse<String> unknown = post(open, "/operator/prices", operator, Map.of("service", "no-such-service",
        "country", "us", "price", "0.80", "csrf", csrf(operator, "/operator/prices")));
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("role=\"alert\"").contains("unknown service &#39;no-such-service&#39;");

    HttpResponse<String> set = post(open, "/operator/prices", operator, Map.of("service", "whatsapp",
        "country", "Ghana", "price", "0.85", "csrf", csrf(operator, "/operator/prices")));
    assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    assertThat(set.body()).contains("Price for wa in GH (operator any): 0.85.").contains("WhatsApp (wa)")
        .contains("Ghana (GH)");
    HttpResponse<String> rules = HTTP.send(HttpRequest.newBuilder(URI.create(open.baseUrl() + "/admin/v1/prices"))
        .header("Authorization", "Bearer " + open.adminToken()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(Json.MAPPER.readTree(rules.body())).anySatisfy(rule -> {
      assertThat(rule.path("service").asText() + "/" + rule.path("country").asText()).isEqualTo("wa/GH");
      assertThat(Money.parse(rule.path("price").asText())).isEqualTo(Money.parse("0.85"));
    });

    HttpResponse<String> audit = get(open, "/operator/audit", operator);
    assertThat(audit.statusCode()).isEqualTo(200);
    assertThat(audit.body()).contains("price.set").contains("price:wa/GH/any").contains("price=0.85");
  }

  @Test
  void theNumbersPageChartsEachSourcesMessagesAndRefusalsPerDay() throws Exception {
    TestApp.Source source = open.createSource();
    String number = open.stock(source.name(), "GB", null, 1).get(0);
    assertThat(push(source, number, "m-1").statusCode()).isEqualTo(200);
    assertThat(push(source, number, "m-2").statusCode()).isEqualTo(200);
    assertThat(push(source, number, "m-2").statusCode()).as("a repeat").isEqualTo(200);
    assertThat(push(source, "not a number", "m-3").statusCode()).isEqualTo(400);

    String operator = DashboardHttp.sessionCookie(post(open, "/operator/login", null,
        Map.of("token", open.adminToken())));
    String page = get(open, "/operator/numbers", operator).body();
    String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
    // Two messages (the repeat is not counted twice) and one refusal, today, in the table and in both charts.
    assertThat(page).contains("<td>" + today + "</td><td>" + source.name() + "</td>\n"
        + "          <td class=\"num\">2</td><td class=\"num\">1</td>");
    Matcher messages = Pattern.compile("id=\"messages-chart\"[^>]*data-chart=\"([^\"]+)\"").matcher(page);
    assertThat(messages.find()).as(page).isTrue();
    JsonNode chart = Json.MAPPER.readTree(messages.group(1).replace("&quot;", "\""));
    assertThat(chart.path("percent").asBoolean()).isFalse();
    assertThat(chart.path("labels")).hasSize(7);
    assertThat(chart.path("labels").get(6).asText()).isEqualTo(today);
    assertThat(chart.path("datasets")).anySatisfy(dataset -> {
      assertThat(dataset.path("label").asText()).isEqualTo(source.name());
      assertThat(dataset.path("data").get(6).asLong()).isEqualTo(2);
    });
    assertThat(page).contains("id=\"rejected-chart\"");
  }

  private static HttpResponse<String> push(TestApp.Source source, String to, String messageId) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(open.baseUrl() + "/api/v1/inbound/sms"))
        .header("Authorization", "Bearer " + source.token()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"" + to + "\",\"from\":\"Acme\",\"text\":\"hello\","
            + "\"messageId\":\"" + messageId + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aCustomerAddsAWebhookSendsATestAndReadsItsDeliveryLog() throws Exception {
    String cookie = signUp("hooks@example.com");
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      HttpResponse<String> created = post(open, "/dashboard/webhooks", cookie, Map.of("url", receiver.url("/hook"),
          "type", "activation.received", "mode", "test", "csrf", csrf(cookie)));
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      Matcher secret = Pattern.compile("id=\"new-secret\">([^<]+)<").matcher(created.body());
      assertThat(secret.find()).isTrue();
      Matcher link = Pattern.compile("href=\"/dashboard/webhooks/([0-9]+)\\?mode=test\"").matcher(created.body());
      assertThat(link.find()).isTrue();
      String log = "/dashboard/webhooks/" + link.group(1);

      HttpResponse<String> test = post(open, log + "/test", cookie, Map.of("mode", "test", "csrf", csrf(cookie)));
      assertThat(test.statusCode()).isEqualTo(303);
      Eventually.eventually("the test event reached the receiver", () -> !receiver.received().isEmpty());
      assertThat(receiver.received().get(0).signedBy(secret.group(1))).isTrue();
      Eventually.eventually("the log shows the delivery succeeded",
          () -> get(open, log + "?mode=test", cookie).body().contains("succeeded"));
      // Another customer's session does not see the endpoint.
      assertThat(get(open, log + "?mode=test", signUp("other-hooks@example.com")).statusCode()).isEqualTo(404);

      HttpResponse<String> rotated = post(open, log + "/rotate", cookie, Map.of("mode", "test", "csrf", csrf(cookie)));
      assertThat(rotated.statusCode()).isEqualTo(201);
      Matcher next = Pattern.compile("id=\"new-secret\">([^<]+)<").matcher(rotated.body());
      assertThat(next.find()).isTrue();
      assertThat(next.group(1)).startsWith("whsec_").isNotEqualTo(secret.group(1));

      assertThat(post(open, log + "/enabled", cookie, Map.of("enabled", "false", "mode", "test", "csrf", csrf(cookie)))
          .statusCode()).isEqualTo(303);
      assertThat(get(open, log + "?mode=test", cookie).body()).contains("disabled").contains(">Turn on<");
      assertThat(post(open, log + "/enabled", cookie, Map.of("enabled", "true", "mode", "test", "csrf", csrf(cookie)))
          .statusCode()).isEqualTo(303);
      assertThat(get(open, log + "?mode=test", cookie).body()).contains(">Turn off<");

      assertThat(post(open, log + "/delete", cookie, Map.of("mode", "test", "csrf", csrf(cookie))).statusCode())
          .isEqualTo(303);
      assertThat(get(open, log + "?mode=test", cookie).statusCode()).isEqualTo(404);
      assertThat(get(open, "/dashboard/webhooks?mode=test", cookie).body()).doesNotContain(receiver.url("/hook"));
    }
  }

  @Test
  void failedLogInsAreThrottledEvenWhenTheRightPasswordFinallyComes() throws Exception {
    signUp("throttled@example.com");
    for (int attempt = 0; attempt < 5; attempt++) {
      HttpResponse<String> wrong = post(open, LoginPages.LOGIN, null,
          Map.of("email", "throttled@example.com", "password", "not the password"));
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(wrong.body()).contains("the email or the password is wrong");
    }
    HttpResponse<String> right = post(open, LoginPages.LOGIN, null,
        Map.of("email", "throttled@example.com", "password", PASSWORD));
    assertThat(right.statusCode()).isEqualTo(429);
    assertThat(right.headers().firstValue("Set-Cookie")).isEmpty();
  }

  @Test
  void theCoverageCountsTheShareOfLiveActivationsThatGotACode() throws Exception {
    get(open, "/api/v1/coverage", null); // the figures as they were before, kept for Coverage.FRESHNESS
    TestApp.Customer customer = open.liveCustomer("10.00");
    TestApp.Source source = open.createSource();
    List<String> numbers = open.stock(source.name(), "KE", null, 2);
    String cookie = signUp("buyer@example.com");
    assertThat(get(open, "/dashboard/buy/countries?service=whatsapp&mode=live", cookie).body())
        .contains("<option value=\"KE\">Kenya · 0.50 USD · 2 in stock</option>");
    JsonNode first = buy(customer.key());
    open.deliver(source, first.get("phoneNumber").asText(), "WhatsApp", "Your WhatsApp code: 123-456", CLOCK.instant());
    JsonNode second = buy(customer.key());
    assertThat(numbers).contains(first.get("phoneNumber").asText(), second.get("phoneNumber").asText());
    HttpResponse<String> canceled = HTTP.send(HttpRequest.newBuilder(URI.create(open.baseUrl() + "/api/v1/activations/"
        + second.get("id").asInt() + "/cancel")).header("x-api-key", customer.key())
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(canceled.statusCode()).as(canceled.body()).isEqualTo(200);

    assertThat(Json.MAPPER.readTree(get(open, "/api/v1/coverage?country=KE&service=wa", null).body()).get("items"))
        .as("served from the snapshot taken before").isEmpty();
    CLOCK.advance(Coverage.FRESHNESS.plusSeconds(1));
    JsonNode coverage = Json.MAPPER.readTree(get(open, "/api/v1/coverage?country=KE&service=wa", null).body());
    JsonNode item = coverage.get("items").get(0);
    // Both numbers served WhatsApp once: neither is offered for it again.
    assertThat(item.get("available").asInt()).isZero();
    assertThat(item.get("successRate24h").toString()).isEqualTo("{\"percent\":50,\"succeeded\":1,\"counted\":2}");
    assertThat(item.get("successRate7d").get("percent").asInt()).isEqualTo(50);
  }

  private static JsonNode buy(String key) throws Exception {
    HttpResponse<String> bought = DashboardHttp.buy(open, key, "wa", "KE");
    assertThat(bought.statusCode()).as(bought.body()).isEqualTo(201);
    return Json.MAPPER.readTree(bought.body());
  }

  /** Signs a customer up; returns its session cookie ({@code name=value}). */
  private static String signUp(String email) throws Exception {
    HttpResponse<String> signedUp = post(open, "/dashboard/signup", null,
        Map.of("email", email, "password", PASSWORD, "repeat", PASSWORD));
    assertThat(signedUp.statusCode()).as(signedUp.body()).isEqualTo(303);
    return DashboardHttp.sessionCookie(signedUp);
  }

  private static String csrf(String cookie) throws Exception {
    return csrf(cookie, "/dashboard/keys?mode=test");
  }

  /** The session's CSRF token, from the forms of a page it may open. */
  private static String csrf(String cookie, String page) throws Exception {
    Matcher m = CSRF.matcher(get(open, page, cookie).body());
    assertThat(m.find()).isTrue();
    return m.group(1);
  }
}
