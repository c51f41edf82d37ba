package io.verigate.server.http;

import static io.verigate.server.http.Refusals.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.email.MailTestSupport;
import io.verigate.server.http.support.Json;
import io.verigate.server.testing.MutableClock;
import io.verigate.server.testing.TestApp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cap on live activations and the success-rate guard, in every dialect's words. Sandbox keys buy with the
 * {@code nocode} magic operator, whose numbers never get a code; each test has customers of its own, and the clock
 * moves only when a test needs lifetimes to end.
 */
class PurchaseLimitsApiTest {
  private static final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
  private static TestApp app;
  private static RawHttp http;

  @BeforeAll
  static void start() {
    app = TestApp.start(false, MailTestSupport.smtpOn(Map.of("max-live-activations", "2",
        "success-rate-guard", "50%/1h/2")), clock);
    http = new RawHttp(app.baseUrl());
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void aPurchaseBeyondTheCapIsRefusedInEveryDialectUntilALiveActivationEnds() {
    String key = app.sandboxCustomer().key();
    int first = restBuy(key, "nocode").json().get("id").asInt();
    assertThat(restBuy(key, "nocode").status()).isEqualTo(201);

    RawHttp.Reply rest = restBuy(key, "nocode");
    assertProblem(rest, 429, "LIVE_ACTIVATION_LIMIT");
    assertThat(rest.header("Retry-After")).as("no time lifts the cap; ending an activation does").isNull();
    RawHttp.Reply quickStart = http.get("/number?key=" + key + "&service=wa&country=us&operator=nocode");
    assertThat(quickStart.status()).isEqualTo(429);
    assertThat(quickStart.text("error")).isEqualTo("LIVE_ACTIVATION_LIMIT");
    assertThat(smsActivateBuy(key).body()).isEqualTo("CHANNELS_LIMIT");
    RawHttp.Reply fiveSim = fiveSimBuy(key);
    assertThat(fiveSim.status()).isEqualTo(429);
    assertThat(fiveSim.body()).isEqualTo("too many active orders");

    assertThat(http.post("/api/v1/activations/" + first + "/ban", "{}", "x-api-key", key).status()).isEqualTo(200);

    assertThat(smsActivateBuy(key).body()).as("the banned number's place is free again").startsWith("ACCESS_NUMBER:");
  }

  @Test
  void eachCustomerHasACapOfItsOwn() {
    String full = app.sandboxCustomer().key();
    restBuy(full, "nocode");
    restBuy(full, "nocode");
    assertProblem(restBuy(full, "nocode"), 429, "LIVE_ACTIVATION_LIMIT");

    assertThat(restBuy(app.sandboxCustomer().key(), "nocode").status()).isEqualTo(201);
  }

  @Test
  void aPurchaseThatBuysNothingGivesItsPlaceBack() {
    String key = app.sandboxCustomer().key();
    assertThat(restBuy(key, "nocode").status()).isEqualTo(201);
    for (int i = 0; i < 3; i++) {
      assertProblem(restBuy(key, "nonumbers"), 409, "NO_NUMBERS");
    }

    assertThat(restBuy(key, "nocode").status()).as("the second place is still free").isEqualTo(201);
  }

  @Test
  void tooFewCodesStopPurchasesUntilTheFailuresLeaveTheWindow() {
    String key = app.sandboxCustomer().key();
    Instant boughtAt = clock.instant();
    restBuy(key, "nocode");
    restBuy(key, "nocode");
    clock.advance(Duration.ofMinutes(21));

    RawHttp.Reply rest = restBuy(key, "nocode");
    assertProblem(rest, 429, "LOW_SUCCESS_RATE");
    assertThat(rest.text("detail")).contains("only 0 of your last 2 activations", "50%");
    assertThat(rest.header("Retry-After")).as("the first failure leaves the hour-long window 39 minutes from now")
        .isEqualTo("2340");
    RawHttp.Reply smsActivate = smsActivateBuy(key);
    assertThat(smsActivate.body()).isEqualTo("BANNED:" + legacyTime(boughtAt.plus(Duration.ofHours(1))));
    assertThat(smsActivate.header("Retry-After")).isEqualTo("2340");
    RawHttp.Reply quickStart = http.get("/number?key=" + key + "&service=wa&country=us&operator=nocode");
    assertThat(quickStart.status()).isEqualTo(429);
    assertThat(quickStart.header("Retry-After")).isEqualTo("2340");
    RawHttp.Reply fiveSim = fiveSimBuy(key);
    assertThat(fiveSim.status()).isEqualTo(400);
    assertThat(fiveSim.body()).isEqualTo("not enough rating");

    clock.advance(Duration.ofMinutes(39));

    assertThat(restBuy(key, "nocode").status()).isEqualTo(201);
  }

  @Test
  void theGuardWaitsForEnoughOutcomes() {
    String key = app.sandboxCustomer().key();
    restBuy(key, "nocode");
    clock.advance(Duration.ofMinutes(21));

    assertThat(restBuy(key, "nocode").status()).as("one failure of the two needed to judge").isEqualTo(201);
  }

  @Test
  void emailActivationsAreCappedApartFromSmsAndAnEndedOneFreesItsPlace() {
    String sandbox = app.sandboxCustomer().key();
    restBuy(sandbox, "nocode");
    restBuy(sandbox, "nocode");
    assertThat(emailBuy(sandbox).status()).as("two live SMS activations take no email place").isEqualTo(201);
    assertThat(emailBuy(sandbox).status()).isEqualTo(201);
    assertProblem(emailBuy(sandbox), 429, "LIVE_ACTIVATION_LIMIT");
    assertThat(http.get("/mailbox-get-email?site=x.com&type=TEXT&token=" + sandbox).body())
        .as("Kopeechka's word for it").isEqualTo("ERROR|TIME_LIMIT_EXCEED");

    String live = app.liveCustomer("1.00").key();
    int first = emailBuy(live).json().get("id").asInt();
    emailBuy(live);
    assertProblem(emailBuy(live), 429, "LIVE_ACTIVATION_LIMIT");
    assertThat(http.post("/api/v1/email-activations/" + first + "/cancel", null, "x-api-key", live).status())
        .isEqualTo(200);

    assertThat(emailBuy(live).status()).as("the cancelled mailbox's place is free again").isEqualTo(201);
  }

  @Test
  void mailboxesThatNeverGetALetterStopFurtherEmailPurchases() {
    String key = app.liveCustomer("1.00").key();
    emailBuy(key);
    emailBuy(key);
    clock.advance(Duration.ofMinutes(21));

    RawHttp.Reply refused = emailBuy(key);
    assertProblem(refused, 429, "LOW_SUCCESS_RATE");
    assertThat(refused.text("detail")).contains("only 0 of your last 2 activations");
  }

  private static RawHttp.Reply emailBuy(String key) {
    return http.post("/api/v1/email-activations", Json.write(Map.of("site", "discord.com")), "x-api-key", key);
  }

  private static RawHttp.Reply restBuy(String key, String operator) {
    return http.post("/api/v1/activations",
        Json.write(Map.of("serviceCode", "wa", "countryIso", "US", "operator", operator)), "x-api-key", key);
  }

  private static RawHttp.Reply smsActivateBuy(String key) {
    RawHttp.Reply reply = http.get("/stubs/handler_api.php?api_key=" + key
        + "&action=getNumber&service=wa&country=187&operator=nocode");
    assertThat(reply.status()).as("sms-activate refuses with HTTP 200").isEqualTo(200);
    return reply;
  }

  private static RawHttp.Reply fiveSimBuy(String key) {
    return http.get("/v1/user/buy/activation/usa/nocode/whatsapp", "Authorization", "Bearer " + key);
  }

  private static String legacyTime(Instant instant) {
    return instant.toString().replace('T', ' ').replace("Z", "");
  }
}
