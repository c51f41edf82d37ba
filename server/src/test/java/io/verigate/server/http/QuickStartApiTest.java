package io.verigate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.testing.TestApp;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The quick-start routes ({@code /number}, {@code /status}, {@code /cancel}, {@code /finish}, {@code /resend},
 * {@code /balance}) as their clients call them: GET with the key as a query parameter. Codes are delivered
 * through the sandbox SMS route so each step is deterministic; the early-cancel guard is off.
 */
class QuickStartApiTest {
  private static TestApp app;
  private static AdminSetup admin;
  private static RawHttp http;

  @BeforeAll
  static void start() {
    app = TestApp.start(Map.of("early-cancel-guard", "0s"));
    admin = new AdminSetup(app);
    http = new RawHttp(app.baseUrl());
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void numberReturnsTheActivationIdAndTheNumber() {
    RawHttp.Reply number = http.get("/number?key=" + app.sandboxKey() + "&service=whatsapp&country=us");

    assertThat(number.status()).isEqualTo(200);
    assertThat(number.json().get("activation_id").isInt()).isTrue();
    assertThat(number.text("number")).matches("\\+1\\d{10}");
    assertThat(number.text("status")).isEqualTo("WAITING");
  }

  @Test
  void statusShowsNoCodeUntilOneArrivesAndNoneAgainWhileWaitingAfterResend() {
    AdminSetup.Customer customer = admin.sandboxCustomer();
    String key = customer.key();
    int id = quietNumber(key);

    assertStatus(http.get("/status?key=" + key + "&id=" + id), "WAITING", null);

    customer.client().sandboxSms(id, "WhatsApp", "Your WhatsApp code: 111-222");
    assertStatus(http.get("/status?key=" + key + "&id=" + id), "RECEIVED", "111222");

    assertStatus(http.get("/resend?key=" + key + "&id=" + id), "WAITING", null);
    assertStatus(http.get("/status?key=" + key + "&id=" + id), "WAITING", null);

    customer.client().sandboxSms(id, "WhatsApp", "Your WhatsApp code: 333-444");
    assertStatus(http.get("/status?key=" + key + "&id=" + id), "RECEIVED", "333444");
    assertStatus(http.get("/finish?key=" + key + "&id=" + id), "FINISHED", "333444");
  }

  @Test
  void cancelGivesTheNumberBackAndRefundsThePrice() {
    String key = admin.sandboxCustomer().key();
    int id = quietNumber(key);
    BigDecimal whileWaiting = balance(key);

    assertStatus(http.get("/cancel?key=" + key + "&id=" + id), "CANCELED", null);

    assertThat(balance(key)).isEqualByComparingTo(whileWaiting.add(new BigDecimal("0.50")));
  }

  @Test
  void finishChargesThePriceThatWasHeld() {
    AdminSetup.Customer customer = admin.sandboxCustomer();
    int id = quietNumber(customer.key());
    BigDecimal whileWaiting = balance(customer.key());
    customer.client().sandboxSms(id, "WhatsApp", "Your WhatsApp code: 777-888");

    assertStatus(http.get("/finish?key=" + customer.key() + "&id=" + id), "FINISHED", "777888");

    assertThat(balance(customer.key())).isEqualByComparingTo(whileWaiting);
    assertThat(customer.client().balance().held()).isEqualByComparingTo("0");
  }

  @Test
  void finishingOrCancellingAgainAnswersTheSameOutcomeAndMovesNoMoney() {
    AdminSetup.Customer customer = admin.sandboxCustomer();
    String key = customer.key();
    int finished = quietNumber(key);
    customer.client().sandboxSms(finished, "WhatsApp", "Your WhatsApp code: 777-888");
    assertStatus(http.get("/finish?key=" + key + "&id=" + finished), "FINISHED", "777888");
    int canceled = quietNumber(key);
    assertStatus(http.get("/cancel?key=" + key + "&id=" + canceled), "CANCELED", null);
    BigDecimal settled = balance(key);

    assertStatus(http.get("/finish?key=" + key + "&id=" + finished), "FINISHED", "777888");
    assertStatus(http.get("/cancel?key=" + key + "&id=" + canceled), "CANCELED", null);

    assertThat(balance(key)).isEqualByComparingTo(settled);
    assertRefusal(http.get("/cancel?key=" + key + "&id=" + finished), 409, "INVALID_STATE");
    assertRefusal(http.get("/finish?key=" + key + "&id=" + canceled), 409, "INVALID_STATE");
  }

  @Test
  void balanceAnswersInTheSameStyle() {
    AdminSetup.Customer customer = admin.liveCustomer("3.25");

    RawHttp.Reply balance = http.get("/balance?key=" + customer.key());

    assertThat(balance.status()).isEqualTo(200);
    assertThat(balance.text("balance")).isEqualTo("3.25");
    assertThat(balance.text("currency")).isEqualTo("USD");
  }

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource({
      "/number?service=whatsapp&country=us,                    401, BAD_KEY",
      "/number?key=vg_not_a_key&service=whatsapp&country=us,   401, BAD_KEY",
      "/status?id=1,                                           401, BAD_KEY",
      "/balance,                                               401, BAD_KEY",
      "/number?key={key}&country=us,                           400, UNKNOWN_SERVICE",
      "/number?key={key}&service=nosuchservice&country=us,     400, UNKNOWN_SERVICE",
      "/number?key={key}&service=whatsapp,                     400, UNKNOWN_COUNTRY",
      "/number?key={key}&service=whatsapp&country=zz,          400, UNKNOWN_COUNTRY",
      "/number?key={key}&service=whatsapp&country=us&operator=nonumbers, 409, NO_NUMBERS",
      "/status?key={key},                                      400, BAD_REQUEST",
      "/status?key={key}&id=abc,                               404, ACTIVATION_NOT_FOUND",
      "/status?key={key}&id=2147483647,                        404, ACTIVATION_NOT_FOUND",
      "/cancel?key={key}&id=abc,                               404, ACTIVATION_NOT_FOUND",
      "/finish?key={key}&id=-5,                                404, ACTIVATION_NOT_FOUND",
      "/resend?key={key}&id=99999999999,                       404, ACTIVATION_NOT_FOUND"})
  void refusesWithAnErrorBodyThatHasNoCodeField(String pathAndQuery, int status, String error) {
    assertRefusal(http.get(pathAndQuery.replace("{key}", app.sandboxKey())), status, error);
  }

  @Test
  void hidesAnotherCustomersActivation() {
    int id = quietNumber(app.sandboxKey());
    String stranger = admin.sandboxCustomer().key();

    for (String route : new String[] {"/status", "/cancel", "/finish", "/resend"}) {
      assertRefusal(http.get(route + "?key=" + stranger + "&id=" + id), 404, "ACTIVATION_NOT_FOUND");
    }
    assertStatus(http.get("/status?key=" + app.sandboxKey() + "&id=" + id), "WAITING", null);
  }

  @Test
  void refusesToFinishWithoutACode() {
    String key = admin.sandboxCustomer().key();
    int id = quietNumber(key);

    assertRefusal(http.get("/finish?key=" + key + "&id=" + id), 409, "INVALID_STATE");
  }

  /** Buys a sandbox number whose simulated SMS never comes; returns its activation id. */
  private static int quietNumber(String key) {
    RawHttp.Reply number = http.get("/number?key=" + key + "&service=wa&country=us&operator=nocode");
    assertThat(number.status()).as(number.body()).isEqualTo(200);
    return number.json().get("activation_id").asInt();
  }

  private static BigDecimal balance(String key) {
    return new BigDecimal(http.get("/balance?key=" + key).text("balance"));
  }

  private static void assertStatus(RawHttp.Reply reply, String status, String code) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    assertThat(reply.text("status")).isEqualTo(status);
    assertThat(reply.json().has("code")).as("code is always present, null until it arrives").isTrue();
    assertThat(reply.text("code")).isEqualTo(code);
  }

  /** Quick-start clients read any truthy {@code code} as the OTP, so errors must never carry one. */
  private static void assertRefusal(RawHttp.Reply reply, int status, String error) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.text("error")).isEqualTo(error);
    assertThat(reply.text("message")).isNotBlank();
    assertThat(reply.json().has("code")).as(reply.body()).isFalse();
  }
}
