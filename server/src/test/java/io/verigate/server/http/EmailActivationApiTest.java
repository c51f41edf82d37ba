package io.verigate.server.http;

import static io.verigate.server.http.Refusals.assertProblem;
import static io.verigate.server.testing.Eventually.within;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.email.MailTestSupport;
import io.verigate.server.http.support.Json;
import io.verigate.server.testing.MutableClock;
import io.verigate.server.testing.PrometheusText;
import io.verigate.server.testing.TestApp;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Email activations over REST in SMSBulk's shape: buying a mailbox, the letter arriving over real SMTP, the long
 * poll, finishing, cancelling, expiry, reorder, and the money each one moves; refusals in the SMS REST API's words.
 */
class EmailActivationApiTest {
  private static final String BASE = "/api/v1/email-activations";
  private static final String DOMAIN = MailTestSupport.DOMAIN;
  private static MutableClock clock;
  private static TestApp app;
  private static RawHttp http;

  @BeforeAll
  static void start() {
    clock = new MutableClock(Instant.now());
    app = TestApp.start(false, MailTestSupport.smtpOn(Map.of("email-lifetime", "20m")), clock);
    http = new RawHttp(app.baseUrl());
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void listsTheServedDomainsWithThePriceForTheSite() {
    String key = app.liveCustomer("1.00").key();
    app.admin("PUT", "/admin/v1/email-prices", Map.of("domain", DOMAIN, "site", "pricey.example", "price", "0.25"));

    RawHttp.Reply domains = http.get(BASE + "/domains?site=telegram.com", "x-api-key", key);
    RawHttp.Reply pricey = http.get(BASE + "/domains?site=PRICEY.example", "x-api-key", key);

    assertThat(domains.status()).isEqualTo(200);
    assertThat(domains.json()).hasSize(1);
    JsonNode domain = domains.json().get(0);
    assertThat(domain.get("name").asText()).isEqualTo(DOMAIN);
    assertThat(domain.get("price").asText()).isEqualTo("0.05");
    assertThat(domain.get("currency").asText()).isEqualTo("USD");
    assertThat(domain.get("count").asInt()).isPositive();
    assertThat(pricey.json().get(0).get("price").asText()).isEqualTo("0.25");
    assertProblem(http.get(BASE + "/domains?site=not%20a%20site", "x-api-key", key), 400, "UNKNOWN_SITE");
    assertProblem(http.get(BASE + "/domains", "x-api-key", key), 400, "UNKNOWN_SITE");
  }

  @Test
  void aLetterMakesItReceivedAndFinishingChargesThePriceOnce() throws Exception {
    String key = app.liveCustomer("1.00").key();

    RawHttp.Reply bought = buy(key, "telegram.com", DOMAIN);
    assertThat(bought.status()).isEqualTo(201);
    JsonNode created = bought.json();
    int id = created.get("id").asInt();
    assertThat(bought.header("Location")).isEqualTo(BASE + "/" + id);
    assertThat(created.get("status").asText()).isEqualTo("WAITING");
    assertThat(created.get("site").asText()).isEqualTo("telegram.com");
    assertThat(created.get("domain").asText()).isEqualTo(DOMAIN);
    assertThat(created.get("emailAddress").asText()).matches("[a-z0-9]{12}@" + DOMAIN.replace(".", "\\."));
    assertThat(created.get("otpValue").isNull()).isTrue();
    assertThat(created.get("otpLink").isNull()).isTrue();
    assertThat(created.get("userCost").asText()).isEqualTo("0.05");
    assertThat(balance(key)).containsExactly("0.95", "0.05");

    // The poll names the version it holds, so a letter that lands before the poll is parked still answers it at once.
    String waiting = http.get(BASE + "/" + id, "x-api-key", key).header("ETag");
    CompletableFuture<RawHttp.Reply> poll = CompletableFuture.supplyAsync(
        () -> http.get(BASE + "/" + id + "?wait=20", "x-api-key", key, "If-None-Match", waiting));
    mail(created.get("emailAddress").asText(), "Your Telegram code", "Your login code: 58213\n\nOr confirm: "
        + "https://telegram.com/confirm-email?t=abc");
    JsonNode received = poll.get().json();
    assertThat(received.get("status").asText()).isEqualTo("RECEIVED");
    assertThat(received.get("otpValue").asText()).isEqualTo("58213");
    assertThat(received.get("otpLink").asText()).isEqualTo("https://telegram.com/confirm-email?t=abc");
    assertThat(received.get("subject").asText()).isEqualTo("Your Telegram code");
    assertThat(received.get("from").asText()).contains("noreply@telegram.com");
    assertThat(received.get("receivedAt").isNull()).isFalse();
    assertProblem(http.post(BASE + "/" + id + "/cancel", null, "x-api-key", key), 409, "INVALID_STATE");

    RawHttp.Reply finished = http.post(BASE + "/" + id + "/finish", null, "x-api-key", key);
    RawHttp.Reply again = http.post(BASE + "/" + id + "/finish", null, "x-api-key", key);

    assertThat(finished.json().get("status").asText()).isEqualTo("FINISHED");
    assertThat(again.json().get("endedAt")).isEqualTo(finished.json().get("endedAt"));
    assertThat(balance(key)).containsExactly("0.95", "0.00");
  }

  @Test
  void eachStepIsAnEventInTheLogThatWebhooksMayAskFor() throws Exception {
    TestApp.Customer customer = app.liveCustomer("1.00");
    JsonNode created = buy(customer.key(), "telegram.com", DOMAIN).json();
    int id = created.get("id").asInt();
    mail(created.get("emailAddress").asText(), "Your code", "Your login code: 58213");
    http.post(BASE + "/" + id + "/finish", null, "x-api-key", customer.key());

    java.util.Set<String> types = java.util.Set.of("email_activation.created", "email_activation.received",
        "email_activation.finished");
    List<io.verigate.server.system.EventLog.Event> events = within(Duration.ofSeconds(10), "three events",
        () -> app.app().events().after(customer.id(), false, 0, types, null, 10), e -> e.size() >= 3);

    assertThat(events).extracting(io.verigate.server.system.EventLog.Event::type)
        .containsExactly("email_activation.created", "email_activation.received", "email_activation.finished");
    JsonNode received = Json.MAPPER.readTree(events.get(1).data());
    assertThat(received.get("emailActivationId").asInt()).isEqualTo(id);
    assertThat(received.get("otpValue").asText()).isEqualTo("58213");
    assertThat(received.get("emailAddress").asText()).isEqualTo(created.get("emailAddress").asText());
    assertThat(io.verigate.server.notify.EventTypes.filter(types)).isEqualTo(types);
  }

  @Test
  void cancellingBeforeAnyLetterGivesTheMoneyBackAndAFinishBeforeOneIsRefused() {
    String key = app.liveCustomer("1.00").key();
    int id = buy(key, "discord.com", null).json().get("id").asInt();

    assertProblem(http.post(BASE + "/" + id + "/finish", null, "x-api-key", key), 409, "INVALID_STATE");
    assertProblem(http.post(BASE + "/" + id + "/reorder", null, "x-api-key", key), 409, "INVALID_STATE");
    RawHttp.Reply cancelled = http.post(BASE + "/" + id + "/cancel", null, "x-api-key", key);

    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.json().get("status").asText()).isEqualTo("CANCELED");
    assertThat(balance(key)).containsExactly("1.00", "0.00");
  }

  @Test
  void aLifetimeEndingWithNoLetterExpiresAndRefundsAndLateLettersAreStillKept() throws Exception {
    String key = app.liveCustomer("1.00").key();
    JsonNode created = buy(key, "reddit.com", DOMAIN).json();
    int id = created.get("id").asInt();

    clock.advance(Duration.ofMinutes(21));
    app.app().emailActivations().sweep();
    mail(created.get("emailAddress").asText(), "Your Reddit code", "Your verification code is 123456");

    JsonNode expired = http.get(BASE + "/" + id, "x-api-key", key).json();
    assertThat(expired.get("status").asText()).isEqualTo("EXPIRED");
    assertThat(expired.get("otpValue").isNull()).isTrue();
    assertThat(balance(key)).containsExactly("1.00", "0.00");
    assertThat(MailTestSupport.journal(app, created.get("emailAddress").asText())).hasSize(1);
  }

  @Test
  void aReorderWaitsForAnotherLetterOnTheSameAddressAndChargesAgain() throws Exception {
    String key = app.liveCustomer("1.00").key();
    JsonNode first = buy(key, "steampowered.com", DOMAIN).json();
    String address = first.get("emailAddress").asText();
    mail(address, "Steam code", "Your Steam code is 111111");

    RawHttp.Reply reordered = http.post(BASE + "/" + first.get("id").asInt() + "/reorder", null, "x-api-key", key);

    assertThat(reordered.status()).isEqualTo(201);
    JsonNode second = reordered.json();
    assertThat(second.get("id").asInt()).isGreaterThan(first.get("id").asInt());
    assertThat(second.get("emailAddress").asText()).isEqualTo(address);
    assertThat(second.get("status").asText()).isEqualTo("WAITING");
    assertThat(second.get("otpValue").isNull()).isTrue();
    assertThat(http.get(BASE + "/" + first.get("id").asInt(), "x-api-key", key).json().get("status").asText())
        .isEqualTo("FINISHED");
    assertThat(balance(key)).containsExactly("0.90", "0.05");
    assertProblem(http.post(BASE + "/" + first.get("id").asInt() + "/reorder", null, "x-api-key", key), 409,
        "INVALID_STATE");

    mail(address, "Steam code", "Your Steam code is 222222");
    assertThat(http.get(BASE + "/" + second.get("id").asInt(), "x-api-key", key).json().get("otpValue").asText())
        .isEqualTo("222222");
  }

  @Test
  void listsNewestFirst() {
    String key = app.liveCustomer("1.00").key();
    int older = buy(key, "a.example", null).json().get("id").asInt();
    int newer = buy(key, "b.example", null).json().get("id").asInt();

    RawHttp.Reply all = http.get(BASE, "x-api-key", key);
    RawHttp.Reply one = http.get(BASE + "?limit=1&status=waiting&site=a.example", "x-api-key", key);

    assertThat(all.json().get("items").findValuesAsText("id")).containsExactly(String.valueOf(newer),
        String.valueOf(older));
    assertThat(one.json().get("items").findValuesAsText("id")).containsExactly(String.valueOf(older));
    assertProblem(http.get(BASE + "?status=done", "x-api-key", key), 400, "BAD_REQUEST");
    assertProblem(http.get(BASE + "?limit=101", "x-api-key", key), 400, "BAD_REQUEST");
  }

  @Test
  void refusesInTheSmsApisWords() {
    String key = app.liveCustomer("0.04").key();
    String other = app.liveCustomer("1.00").key();
    int othersId = buy(other, "x.com", null).json().get("id").asInt();

    assertProblem(buy(key, "x.com", DOMAIN), 402, "NO_BALANCE");
    assertProblem(buy(other, "x.com", "gmail.com"), 400, "UNKNOWN_DOMAIN");
    assertProblem(buy(other, "", null), 400, "UNKNOWN_SITE");
    assertProblem(buy(other, "exa mple.com", null), 400, "UNKNOWN_SITE");
    assertProblem(http.post(BASE, "{not json", "x-api-key", other), 400, "MALFORMED_JSON");
    assertProblem(http.post(BASE, "{\"site\":\"x.com\"}"), 401, "BAD_KEY");
    assertProblem(http.get(BASE + "/" + othersId, "x-api-key", key), 404, "ACTIVATION_NOT_FOUND");
    assertProblem(http.get(BASE + "/abc", "x-api-key", key), 404, "ACTIVATION_NOT_FOUND");
    assertProblem(http.get(BASE + "/" + othersId + "?wait=99", "x-api-key", other), 400, "BAD_REQUEST");
    assertProblem(http.post(BASE + "/" + othersId + "/cancel", null, "x-api-key", key), 404, "ACTIVATION_NOT_FOUND");
    assertProblem(http.post("/api/v1/sandbox/email-activations/" + othersId + "/message", "{\"text\":\"hi\"}",
        "x-api-key", other), 403, "FORBIDDEN");
  }

  @Test
  void anIdempotencyKeyRepeatedReturnsTheFirstPurchaseAndAnotherBodyUnderItIsRefused() {
    String key = app.liveCustomer("1.00").key();
    String[] headers = {"x-api-key", key, "Idempotency-Key", "mail-order-1"};

    RawHttp.Reply first = http.post(BASE, "{\"site\":\"x.com\",\"domain\":\"" + DOMAIN + "\"}", headers);
    RawHttp.Reply retry = http.post(BASE, "{ \"domain\": \"" + DOMAIN + "\", \"site\": \"x.com\" }", headers);
    RawHttp.Reply other = http.post(BASE, "{\"site\":\"y.com\"}", headers);

    assertThat(retry.json().get("id")).isEqualTo(first.json().get("id"));
    assertProblem(other, 422, "IDEMPOTENCY_KEY_REUSED");
    assertThat(balance(key)).containsExactly("0.95", "0.05");
  }

  @Test
  void sandboxKeysGetTheSandboxDomainAndARealisticLetterThroughTheListener() {
    String key = app.sandboxKey();

    JsonNode domains = http.get(BASE + "/domains?site=github.com", "x-api-key", key).json();
    JsonNode bought = buy(key, "github.com", null).json();
    int id = bought.get("id").asInt();

    assertThat(domains.findValuesAsText("name")).containsExactly("sandbox.verigate.test");
    assertThat(bought.get("emailAddress").asText()).endsWith("@sandbox.verigate.test");
    assertProblem(buy(key, "github.com", DOMAIN), 400, "UNKNOWN_DOMAIN");
    JsonNode received = within(Duration.ofSeconds(20), "the sandbox letter",
        () -> http.get(BASE + "/" + id, "x-api-key", key).json(), a -> a.get("status").asText().equals("RECEIVED"));
    assertThat(received.get("otpValue").asText()).matches("\\d{6}");
    assertThat(received.get("otpLink").asText()).startsWith("https://github.com/verify-email?token=");
    assertThat(received.get("from").asText()).contains("no-reply@github.com");
    assertThat(MailTestSupport.journal(app, bought.get("emailAddress").asText())).hasSize(1);
  }

  @Test
  void aSandboxCustomerDeliversItsOwnLetterRawOrAsText() {
    String key = app.sandboxKey();
    JsonNode bought = buy(key, "nomail.test", null).json();
    int id = bought.get("id").asInt();
    String path = "/api/v1/sandbox/email-activations/" + id + "/message";

    RawHttp.Reply text = http.post(path, Json.write(Map.of("subject", "Your code", "text", "Your code is 4321",
        "from", "Acme <no-reply@acme.example>")), "x-api-key", key);
    String raw = "From: Acme <no-reply@acme.example>\nSubject: Confirm\nMessage-ID: <raw-1@acme.example>\n"
        + "Content-Type: text/html; charset=utf-8\n\n<a href=\"https://acme.example/confirm?t=9\">Confirm email</a>\n";
    RawHttp.Reply first = http.post(path, Json.write(Map.of("raw", raw)), "x-api-key", key);
    RawHttp.Reply repeat = http.post(path, Json.write(Map.of("raw", raw)), "x-api-key", key);

    assertThat(text.status()).isEqualTo(202);
    assertThat(text.json().get("emailActivationId").asInt()).isEqualTo(id);
    assertThat(text.json().get("otpValue").asText()).isEqualTo("4321");
    assertThat(first.json().get("otpLink").asText()).isEqualTo("https://acme.example/confirm?t=9");
    assertThat(first.json().get("duplicate").asBoolean()).isFalse();
    assertThat(repeat.json().get("duplicate").asBoolean()).isTrue();
    assertThat(repeat.json().get("messageId")).isEqualTo(first.json().get("messageId"));
    assertThat(MailTestSupport.journal(app, bought.get("emailAddress").asText())).hasSize(2);
    assertProblem(http.post(path, "{}", "x-api-key", key), 400, "BAD_REQUEST");
    assertProblem(http.post(path, Json.write(Map.of("text", "x", "from", "not an address <")), "x-api-key", key), 400,
        "BAD_REQUEST");
  }

  @Test
  void theOperatorsPriceRulesRefuseBadInput() {
    RawHttp.Reply ok = http.put("/admin/v1/email-prices", Json.write(Map.of("domain", DOMAIN, "site", "z.example",
        "price", "0.07")), "Authorization", "Bearer " + app.adminToken());

    assertThat(ok.json().get("price").asText()).isEqualTo("0.07");
    assertProblem(http.put("/admin/v1/email-prices", Json.write(Map.of("domain", "gmail.com", "site", "z.example",
        "price", "0.07")), "Authorization", "Bearer " + app.adminToken()), 400, "UNKNOWN_DOMAIN");
    assertProblem(http.put("/admin/v1/email-prices", Json.write(Map.of("domain", DOMAIN, "site", "z.example",
        "price", "0")), "Authorization", "Bearer " + app.adminToken()), 400, "BAD_REQUEST");
    assertProblem(http.put("/admin/v1/email-prices", Json.write(Map.of("domain", DOMAIN, "site", "z.example",
        "price", "0.07"))), 401, "BAD_KEY");
  }

  @Test
  void purchasesAndLettersAreCountedInTheMetrics() throws Exception {
    PrometheusText before = scrape();
    String key = app.liveCustomer("0.05").key();
    String address = buy(key, "telegram.com", DOMAIN).json().get("emailAddress").asText();
    assertProblem(buy(key, "telegram.com", DOMAIN), 402, "NO_BALANCE");
    MimeMessage letter = new MimeMessage(MailTestSupport.session(app));
    letter.setFrom(new InternetAddress("noreply@telegram.com"));
    letter.setSubject("Your code");
    letter.setText("Your login code: 11223", "UTF-8");
    letter.saveChanges();
    MailTestSupport.send(app, letter, address);
    MailTestSupport.send(app, letter, address);

    PrometheusText after = scrape();
    assertThat(counted(before, after, "verigate_email_purchases_total", "outcome", "bought")).isEqualTo(1);
    assertThat(counted(before, after, "verigate_email_purchases_total", "outcome", "refused", "code", "NO_BALANCE"))
        .isEqualTo(1);
    assertThat(counted(before, after, "verigate_email_letters_total", "outcome", "duplicate"))
        .as("the same Message-ID again").isEqualTo(1);
    assertThat(counted(before, after, "verigate_email_letters_total", "outcome", "matched")).isPositive();
  }

  private static PrometheusText scrape() {
    return PrometheusText.parse(http.get("/metrics", "Authorization", "Bearer " + app.adminToken()).body());
  }

  private static double counted(PrometheusText before, PrometheusText after, String name, String... labels) {
    return after.value(name, labels).orElse(0) - before.value(name, labels).orElse(0);
  }

  private static RawHttp.Reply buy(String key, String site, String domain) {
    String body = domain == null ? Json.write(Map.of("site", site)) : Json.write(Map.of("site", site, "domain", domain));
    return http.post(BASE, body, "x-api-key", key);
  }

  private static List<String> balance(String key) {
    JsonNode balance = http.get("/api/v1/wallet/balance", "x-api-key", key).json();
    return List.of(balance.get("balance").asText(), balance.get("held").asText());
  }

  private static void mail(String to, String subject, String text) throws Exception {
    MimeMessage letter = new MimeMessage(MailTestSupport.session(app));
    letter.setFrom(new InternetAddress("Telegram <noreply@telegram.com>"));
    letter.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(to));
    letter.setSubject(subject);
    letter.setText(text, "UTF-8");
    MailTestSupport.send(app, letter, to);
  }
}
