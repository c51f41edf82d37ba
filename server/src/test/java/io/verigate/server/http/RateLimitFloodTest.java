package io.verigate.server.http;

import static io.verigate.server.http.Refusals.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.testing.MutableClock;
import io.verigate.server.testing.TestApp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Floods through the access gate: past a key's or an address's budget every dialect refuses in its own form, with
 * Retry-After and the RateLimit fields, and the budget comes back when its window ends.
 */
class RateLimitFloodTest {
  private static final int QUOTA = 5;
  private static final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
  private static TestApp node;
  private static RawHttp http;

  @BeforeAll
  static void start() {
    String quota = QUOTA + "/1m";
    node = TestApp.start(false, Map.of("rate-limit-purchase", quota, "rate-limit-poll", quota, "rate-limit-other", quota,
        "rate-limit-anonymous", quota, "trusted-proxies", "127.0.0.1/32, ::1"), clock);
    http = new RawHttp(node.baseUrl());
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  /** Spends the whole budget with {@code call}, checking each answer's fields count down, and returns the next answer. */
  private static RawHttp.Reply pastTheBudget(String policy, Supplier<RawHttp.Reply> call) {
    for (int spent = 1; spent <= QUOTA; spent++) {
      RawHttp.Reply reply = call.get();
      assertThat(reply.header("RateLimit-Policy")).isEqualTo("\"" + policy + "\";q=" + QUOTA + ";w=60");
      assertThat(reply.header("RateLimit")).startsWith("\"" + policy + "\";r=" + (QUOTA - spent) + ";t=");
      assertThat(reply.header("Retry-After")).isNull();
    }
    RawHttp.Reply refused = call.get();
    assertThat(refused.header("Retry-After")).isEqualTo("60");
    assertThat(refused.header("RateLimit")).isEqualTo("\"" + policy + "\";r=0;t=60");
    return refused;
  }

  @Test
  void restRefusesWith429AndTheDraftsFieldsThenServesAgainAfterTheWindow() {
    String key = node.sandboxCustomer().key();

    RawHttp.Reply refused = pastTheBudget("other", () -> http.get("/api/v1/wallet/balance", "x-api-key", key));

    assertProblem(refused, 429, "RATE_LIMITED");
    assertThat(refused.json().get("violated-policies").get(0).asText()).isEqualTo("other");
    assertThat(http.get("/api/v1/activations", "x-api-key", key).status()).as("the same budget").isEqualTo(429);
    assertThat(http.get("/api/v1/activations/1", "x-api-key", key).status()).as("polls have their own").isNotEqualTo(429);

    clock.advance(Duration.ofSeconds(60));

    assertThat(http.get("/api/v1/wallet/balance", "x-api-key", key).status()).isEqualTo(200);
  }

  @Test
  void quickStartPollsSpendTheirOwnBudget() {
    String key = node.sandboxCustomer().key();
    int id = http.get("/number?key=" + key + "&service=wa&country=us").json().get("activation_id").asInt();

    RawHttp.Reply refused = pastTheBudget("poll", () -> http.get("/status?key=" + key + "&id=" + id));

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.text("error")).isEqualTo("RATE_LIMITED");
    assertThat(http.get("/balance?key=" + key).status()).as("other calls are still served").isEqualTo(200);
  }

  @Test
  void smsActivateAnswersBannedUntilTheWindowEndsWithHttp200() {
    String key = node.sandboxCustomer().key();
    Instant now = clock.instant();

    RawHttp.Reply refused = pastTheBudget("purchase",
        () -> http.get("/stubs/handler_api.php?api_key=" + key + "&action=getNumber&service=wa&country=187"));

    assertThat(refused.status()).isEqualTo(200);
    String until = LocalDateTime.ofInstant(now.plusSeconds(60), ZoneOffset.UTC)
        .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
    assertThat(refused.body()).isEqualTo("BANNED:" + until);
  }

  @Test
  void fiveSimAnswers429ForAKeyAnd503ForAnAddress() {
    String key = node.sandboxCustomer().key();
    RawHttp.Reply keyRefused = pastTheBudget("other",
        () -> http.get("/v1/user/profile", "Authorization", "Bearer " + key));
    assertThat(keyRefused.status()).isEqualTo(429);

    RawHttp.Reply addressRefused = pastTheBudget("anonymous",
        () -> http.allowingServerErrors().get("/v1/user/profile", "Authorization", "Bearer vg_test_guessing",
            "X-Forwarded-For", "198.51.100.5"));
    assertThat(addressRefused.status()).isEqualTo(503);
    assertThat(addressRefused.body()).isEqualTo("ip address limit is 5 requests per 60 seconds");
  }

  @Test
  void guessingKeysOrTheAdminTokenSpendsTheAddressesBudgetOnly() {
    String from = "198.51.100.77";
    RawHttp.Reply refused = pastTheBudget("anonymous", () -> http.get("/api/v1/wallet/balance",
        "x-api-key", "vg_live_not_a_key", "X-Forwarded-For", from));
    assertProblem(refused, 429, "RATE_LIMITED");
    assertProblem(http.get("/admin/v1/customers", "Authorization", "Bearer wrong", "X-Forwarded-For", from), 429, "RATE_LIMITED");
    assertProblem(http.post("/api/v1/inbound/sms", "{}", "Authorization", "Bearer wrong", "X-Forwarded-For", from),
        429, "RATE_LIMITED");
    assertThat(http.get("/stubs/handler_api.php?api_key=bad&action=getBalance", "X-Forwarded-For", from).body())
        .startsWith("BANNED:");

    assertProblem(http.get("/api/v1/wallet/balance", "x-api-key", "vg_live_not_a_key", "X-Forwarded-For", "198.51.100.78"),
        401, "BAD_KEY");
    String key = node.sandboxCustomer().key();
    assertThat(http.get("/api/v1/wallet/balance", "x-api-key", key, "X-Forwarded-For", from).status())
        .as("a valid key from the same address spends its own budget").isEqualTo(200);
  }

  @Test
  void everyCustomerKeyHasBudgetsOfItsOwn() {
    String spent = node.sandboxCustomer().key();
    pastTheBudget("other", () -> http.get("/api/v1/wallet/balance", "x-api-key", spent));

    String other = node.sandboxCustomer().key();
    assertThat(http.get("/api/v1/wallet/balance", "x-api-key", other).status()).isEqualTo(200);
  }
}
