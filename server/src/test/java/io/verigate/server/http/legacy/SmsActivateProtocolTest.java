package io.verigate.server.http.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.account.ApiKeyFormat;
import io.verigate.server.account.Mode;
import io.verigate.server.testing.MutableClock;
import io.verigate.server.testing.TestApp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The activation actions of {@code handler_api.php} over real HTTP: every documented answer and refusal
 * token, with sandbox keys (whose simulated SMS arrives a moment after a purchase) and live keys.
 */
class SmsActivateProtocolTest {
  private static final Duration PAST_EARLY_CANCEL_GUARD = Duration.ofMinutes(3);

  private static MutableClock clock;
  private static TestApp app;
  private static Shop shop;
  private static HandlerApi sandbox;

  @BeforeAll
  static void start() {
    clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    app = TestApp.start(false, Map.of(), clock);
    shop = new Shop(app, clock);
    sandbox = new HandlerApi(app.baseUrl(), app.sandboxKey());
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  /** A fresh sandbox customer, for tests that count activations or money. */
  private static HandlerApi ownSandbox() {
    return sandbox.withKey(shop.sandboxKey());
  }

  // ---- transport

  @Test
  void answersNoKeyWithoutAKeyAndBadKeyForAWrongOne() {
    assertThat(sandbox.withKey(null).call("getBalance")).isEqualTo("NO_KEY");
    assertThat(sandbox.withKey("").call("getBalance")).isEqualTo("NO_KEY");
    assertThat(sandbox.withKey("not-a-key").call("getBalance")).isEqualTo("BAD_KEY");
    assertThat(sandbox.withKey(ApiKeyFormat.generate(Mode.TEST)).call("getNumber", "service", "wa", "country", "187"))
        .isEqualTo("BAD_KEY");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "getRentNumber", "GETBALANCE", "drop table"})
  void answersBadActionForAMissingOrUnknownAction(String action) {
    assertThat(sandbox.call(action.isEmpty() ? null : action)).isEqualTo("BAD_ACTION");
  }

  @Test
  void acceptsItsParametersAsAPostedForm() {
    HandlerApi.Reply reply = sandbox.postForm(sandbox.query("getNumber", "service", "wa", "country", "187",
        "operator", "nocode"));

    assertThat(reply.body()).matches("ACCESS_NUMBER:\\d+:1\\d{10}");
    assertThat(reply.contentType()).startsWith("text/plain");
  }

  @Test
  void answersBrokenRequestsWithATokenNeverAServerErrorOrAPage() {
    assertThat(sandbox.get("").body()).isEqualTo("NO_KEY");
    assertThat(sandbox.get("api_key=%3Cscript%3E&action=getBalance").body()).isEqualTo("BAD_KEY");
    assertThat(sandbox.call("getStatus", "id", "'; DROP TABLE activation; --")).isEqualTo("WRONG_ACTIVATION_ID");
    assertThat(sandbox.call("getNumber", "service", "wa", "country", "187", "maxPrice", "NaN")).isEqualTo("WRONG_MAX_PRICE");
  }

  // ---- balance

  @Test
  void reportsTheAvailableBalanceInBothBalanceActions() {
    HandlerApi live = sandbox.withKey(shop.liveKey("10.00"));
    shop.stock("any", "+12015550111");

    assertThat(live.call("getBalance")).isEqualTo("ACCESS_BALANCE:10.00");
    live.buy("service", "wa", "country", "187");

    assertThat(live.call("getBalance")).isEqualTo("ACCESS_BALANCE:9.50");
    assertThat(live.call("getBalanceAndCashBack")).isEqualTo("ACCESS_BALANCE:9.50");
  }

  // ---- buying

  @Test
  void getNumberAnswersAnIntIdAndThePhoneWithItsCountryCodeAndNoPlus() {
    String answer = sandbox.call("getNumber", "service", "wa", "country", "16", "operator", "nocode");

    assertThat(answer).matches("ACCESS_NUMBER:\\d{1,10}:44\\d{10}");
    assertThat(Long.parseLong(answer.split(":")[1])).isLessThanOrEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void getNumberV2AnswersTheActivationAsJson() {
    JsonNode bought = sandbox.json("getNumberV2", "service", "tg", "country", "187", "operator", "nocode");

    assertThat(bought.get("activationId").isInt()).isTrue();
    assertThat(bought.get("phoneNumber").asText()).matches("1\\d{10}");
    assertThat(bought.get("activationCost").decimalValue()).isEqualByComparingTo("0.50");
    assertThat(bought.get("currency").asInt()).isEqualTo(840);
    assertThat(bought.get("countryCode").asText()).isEqualTo("187");
    assertThat(bought.get("countryPhoneCode").asInt()).isEqualTo(1);
    assertThat(bought.get("canGetAnotherSms").asText()).isEqualTo("1");
    assertThat(bought.get("activationTime").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
    assertThat(bought.get("activationEndTime").asText()).isGreaterThan(bought.get("activationTime").asText());
    assertThat(bought.get("activationOperator").asText()).isEqualTo("nocode");
    assertThat(sandbox.call("getStatus", "id", bought.get("activationId").asText())).isEqualTo("STATUS_WAIT_CODE");
  }

  @Test
  void aRepeatedOrderIdReturnsTheSameActivationAndADifferentOrderUnderItIsRefused() {
    HandlerApi own = ownSandbox();
    JsonNode first = own.json("getNumberV2", "service", "wa", "country", "187", "operator", "nocode", "orderId", "o-1");
    JsonNode again = own.json("getNumberV2", "service", "wa", "country", "187", "operator", "nocode", "orderId", "o-1");

    assertThat(again.get("activationId")).isEqualTo(first.get("activationId"));
    assertThat(again.get("phoneNumber")).isEqualTo(first.get("phoneNumber"));
    assertThat(own.call("getNumberV2", "service", "tg", "country", "187", "operator", "nocode", "orderId", "o-1"))
        .isEqualTo("ORDER_ALREADY_EXISTS");
    assertThat(own.json("getActiveActivations").get("activeActivations")).hasSize(1);
  }

  @ParameterizedTest
  @CsvSource({
      "country=187,                        BAD_SERVICE",
      "service=zz&country=187,             BAD_SERVICE",
      "service=wa&country=9999,            BAD_COUNTRY",
      "service=wa&country=187&operator=a+b, WRONG_OPERATOR",
      "service=wa&country=187&phoneException=79a, WRONG_EXCEPTION_PHONE",
      "service=wa&country=187&maxPrice=-1, WRONG_MAX_PRICE",
      "service=wa&country=187&operator=nonumbers, NO_NUMBERS",
      "service=wa&country=187&forward=1,   NO_NUMBERS"})
  void refusesAPurchaseWithTheDocumentedToken(String params, String token) {
    assertThat(sandbox.get(sandbox.query("getNumber") + "&" + params).body()).isEqualTo(token);
    assertThat(sandbox.get(sandbox.query("getNumberV2") + "&" + params).body()).isEqualTo(token);
  }

  @Test
  void answersWrongMaxPriceWithTheCheapestPriceWhenNumbersCostMore() {
    shop.setPrice("ig", "US", "0.35");

    assertThat(sandbox.call("getNumber", "service", "ig", "country", "187", "maxPrice", "0.20"))
        .isEqualTo("WRONG_MAX_PRICE:0.35");
    assertThat(sandbox.call("getNumber", "service", "ig", "country", "187", "maxPrice", "0.35", "operator", "nocode"))
        .startsWith("ACCESS_NUMBER:");
  }

  @Test
  void answersWrongMaxPriceWithTheCheapestPriceAmongAListOfOperators() {
    shop.setPrice("dr", "US", "verizon", "0.60");
    shop.setPrice("dr", "US", "tmobile", "0.45");

    assertThat(sandbox.call("getNumber", "service", "dr", "country", "187", "maxPrice", "0.30", "operator",
        "verizon,tmobile")).isEqualTo("WRONG_MAX_PRICE:0.45");
  }

  @Test
  void answersNoBalanceWhenALiveWalletCannotPay() {
    HandlerApi broke = sandbox.withKey(shop.liveKey("0"));
    shop.stock("any", "+12015550112");

    assertThat(broke.call("getNumber", "service", "wa", "country", "187")).isEqualTo("NO_BALANCE");
  }

  @Test
  void answersNoNumbersWhenTheLiveInventoryHasNone() {
    HandlerApi live = sandbox.withKey(shop.liveKey("10.00"));

    assertThat(live.call("getNumber", "service", "wa", "country", "2")).isEqualTo("NO_NUMBERS");
  }

  @Test
  void skipsNumbersMatchingAPhoneExceptionMask() {
    HandlerApi live = sandbox.withKey(shop.liveKey("10.00"));
    shop.stock("any", "+12015550113", "+13125550113");

    assertThat(live.call("getNumber", "service", "vi", "country", "187", "phoneException", "1201,1999"))
        .endsWith(":13125550113");
  }

  @Test
  void triesAListOfOperatorsInOrder() {
    HandlerApi live = sandbox.withKey(shop.liveKey("10.00"));
    shop.stock("tmobile", "+12015550114");

    assertThat(live.call("getNumber", "service", "vk", "country", "187", "operator", "verizon,tmobile"))
        .endsWith(":12015550114");
  }

  @Test
  void answersNoNumbersWhenTheSandboxCannotAvoidThePhoneException() {
    // Every synthetic US number shares the example number's first digits: no sandbox number can avoid them.
    assertThat(sandbox.call("getNumber", "service", "wa", "country", "187", "phoneException", "1"))
        .isEqualTo("NO_NUMBERS");
  }

  // ---- following an activation

  @Test
  void theSandboxFlowGivesACodeThenAnotherAfterARetryRequestThenFinishes() throws InterruptedException {
    HandlerApi.Bought bought = sandbox.buy("service", "wa", "country", "187");
    assertThat(sandbox.call("getStatus", "id", bought.idText())).matches("STATUS_WAIT_CODE|STATUS_OK:\\d{6}");
    assertThat(sandbox.awaitStatus(bought, s -> s.startsWith("STATUS_OK:"))).matches("STATUS_OK:\\d{6}");

    assertThat(sandbox.call("setStatus", "id", bought.idText(), "status", "3")).isEqualTo("ACCESS_RETRY_GET");
    assertThat(sandbox.awaitStatus(bought, s -> s.startsWith("STATUS_OK:"))).matches("STATUS_OK:\\d{6}");

    assertThat(sandbox.call("setStatus", "id", bought.idText(), "status", "6")).isEqualTo("ACCESS_ACTIVATION");
    assertThat(sandbox.call("getStatus", "id", bought.idText())).matches("STATUS_OK:\\d{6}");
  }

  @Test
  void getStatusShowsThePreviousCodeWhileWaitingForAnother() {
    HandlerApi live = sandbox.withKey(shop.liveKey("10.00"));
    shop.stock("any", "+12015550120");
    HandlerApi.Bought bought = live.buy("service", "mt", "country", "187");
    assertThat(live.call("getStatus", "id", bought.idText())).isEqualTo("STATUS_WAIT_CODE");

    shop.deliver(bought.e164(), "Steam", "Your Steam code is 1111");
    assertThat(live.call("getStatus", "id", bought.idText())).isEqualTo("STATUS_OK:1111");
    assertThat(live.call("setStatus", "id", bought.idText(), "status", "3")).isEqualTo("ACCESS_RETRY_GET");
    assertThat(live.call("getStatus", "id", bought.idText())).isEqualTo("STATUS_WAIT_RETRY:1111");

    shop.deliver(bought.e164(), "Steam", "Your Steam code is 2222");
    assertThat(live.call("getStatus", "id", bought.idText())).isEqualTo("STATUS_OK:2222");
  }

  @Test
  void getStatusV2ShowsTheSmsOnceTheCodeIsThere() throws InterruptedException {
    HandlerApi.Bought quiet = sandbox.buy("service", "wa", "country", "187", "operator", "nocode");
    JsonNode waiting = sandbox.json("getStatusV2", "id", quiet.idText());
    assertThat(waiting.get("verificationType").asInt()).isZero();
    assertThat(waiting.get("sms").isNull()).isTrue();
    assertThat(waiting.get("call").isNull()).isTrue();

    HandlerApi.Bought bought = sandbox.buy("service", "wa", "country", "187");
    String code = sandbox.awaitStatus(bought, s -> s.startsWith("STATUS_OK:")).substring("STATUS_OK:".length());
    JsonNode sms = sandbox.json("getStatusV2", "id", bought.idText()).get("sms");

    assertThat(sms.get("code").asText()).isEqualTo(code);
    assertThat(sms.get("text").asText()).contains("WhatsApp code");
    assertThat(sms.get("dateTime").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
  }

  @Test
  void getFullSmsWaitsThenGivesTheWholeTextAndReportsACancelledActivation() throws InterruptedException {
    HandlerApi.Bought quiet = sandbox.buy("service", "tg", "country", "187", "operator", "nocode");
    assertThat(sandbox.call("getFullSms", "id", quiet.idText())).isEqualTo("STATUS_WAIT_CODE");

    HandlerApi.Bought bought = sandbox.buy("service", "tg", "country", "187");
    sandbox.awaitStatus(bought, s -> s.startsWith("STATUS_OK:"));
    assertThat(sandbox.call("getFullSms", "id", bought.idText())).matches("(?s)FULL_SMS:Telegram code: \\d{6}.*");

    clock.advance(PAST_EARLY_CANCEL_GUARD);
    sandbox.call("setStatus", "id", quiet.idText(), "status", "8");
    assertThat(sandbox.call("getFullSms", "id", quiet.idText())).isEqualTo("STATUS_CANCEL");
    assertThat(sandbox.call("getStatusV2", "id", quiet.idText())).isEqualTo("STATUS_CANCEL");
  }

  @Test
  void getFullSmsKeepsTheCodesMessageWhenALaterOneCarriesNoCode() {
    HandlerApi live = sandbox.withKey(shop.liveKey("10.00"));
    shop.stock("any", "+12015550121");
    HandlerApi.Bought bought = live.buy("service", "nf", "country", "187");
    shop.deliver(bought.e164(), "Netflix", "Your Netflix code is 777888");
    shop.deliver(bought.e164(), "Netflix", "Welcome to Netflix!");

    assertThat(live.call("getFullSms", "id", bought.idText())).isEqualTo("FULL_SMS:Your Netflix code is 777888");
  }

  @Test
  void setStatusAcknowledgesReadinessAndCancelsAfterTheGuard() {
    HandlerApi.Bought bought = sandbox.buy("service", "wa", "country", "187", "operator", "nocode");

    assertThat(sandbox.call("setStatus", "id", bought.idText(), "status", "1")).isEqualTo("ACCESS_READY");
    assertThat(sandbox.call("setStatus", "id", bought.idText(), "status", "8")).isEqualTo("EARLY_CANCEL_DENIED");
    clock.advance(PAST_EARLY_CANCEL_GUARD);
    assertThat(sandbox.call("setStatus", "id", bought.idText(), "status", "8")).isEqualTo("ACCESS_CANCEL");
    assertThat(sandbox.call("getStatus", "id", bought.idText())).isEqualTo("STATUS_CANCEL");
    assertThat(sandbox.call("setStatus", "id", bought.idText(), "status", "1")).isEqualTo("BAD_STATUS");
  }

  @Test
  void cancellingReleasesTheHeldPrice() {
    HandlerApi live = sandbox.withKey(shop.liveKey("10.00"));
    shop.stock("any", "+12015550115");
    HandlerApi.Bought bought = live.buy("service", "ok", "country", "187");
    assertThat(live.call("getBalance")).isEqualTo("ACCESS_BALANCE:9.50");

    clock.advance(PAST_EARLY_CANCEL_GUARD);

    assertThat(live.call("setStatus", "id", bought.idText(), "status", "8")).isEqualTo("ACCESS_CANCEL");
    assertThat(live.call("getBalance")).isEqualTo("ACCESS_BALANCE:10.00");
  }

  @Test
  void cancellingACancelledActivationAnswersAccessCancelAgainAndFinishingItStaysRefused() {
    HandlerApi live = sandbox.withKey(shop.liveKey("10.00"));
    shop.stock("any", "+12015550118");
    HandlerApi.Bought bought = live.buy("service", "ok", "country", "187");
    clock.advance(PAST_EARLY_CANCEL_GUARD);
    live.call("setStatus", "id", bought.idText(), "status", "8");

    assertThat(live.call("setStatus", "id", bought.idText(), "status", "8")).isEqualTo("ACCESS_CANCEL");
    assertThat(live.call("setStatus", "id", bought.idText(), "status", "6")).isEqualTo("BAD_STATUS");
    assertThat(live.call("getBalance")).isEqualTo("ACCESS_BALANCE:10.00");
  }

  @Test
  void finishingChargesThePriceOnce() {
    HandlerApi live = sandbox.withKey(shop.liveKey("10.00"));
    shop.stock("any", "+12015550116");
    HandlerApi.Bought bought = live.buy("service", "ub", "country", "187");
    shop.deliver(bought.e164(), "Uber", "Your Uber code is 4321");

    assertThat(live.call("getStatus", "id", bought.idText())).isEqualTo("STATUS_OK:4321");
    assertThat(live.call("setStatus", "id", bought.idText(), "status", "6")).isEqualTo("ACCESS_ACTIVATION");
    assertThat(live.call("getBalance")).isEqualTo("ACCESS_BALANCE:9.50");
    assertThat(live.call("setStatus", "id", bought.idText(), "status", "6")).isEqualTo("ACCESS_ACTIVATION");
    assertThat(live.call("getBalance")).isEqualTo("ACCESS_BALANCE:9.50");
    assertThat(live.call("setStatus", "id", bought.idText(), "status", "8")).isEqualTo("BAD_STATUS");
  }

  @Test
  void afterTheLifetimeAFinishGetsTheChargedSuccessAndACancelTheRefund() {
    HandlerApi live = sandbox.withKey(shop.liveKey("10.00"));
    shop.stock("any", "+12015550122");
    shop.stock("any", "+12015550123");
    HandlerApi.Bought withCode = live.buy("service", "ub", "country", "187");
    HandlerApi.Bought withoutCode = live.buy("service", "ub", "country", "187");
    shop.deliver(withCode.e164(), "Uber", "Your Uber code is 4321");

    clock.advance(Duration.ofMinutes(21));

    assertThat(live.call("setStatus", "id", withCode.idText(), "status", "6")).isEqualTo("ACCESS_ACTIVATION");
    assertThat(live.call("setStatus", "id", withoutCode.idText(), "status", "6")).isEqualTo("BAD_STATUS");
    assertThat(live.call("setStatus", "id", withoutCode.idText(), "status", "8")).isEqualTo("ACCESS_CANCEL");
    assertThat(live.call("getStatus", "id", withoutCode.idText())).isEqualTo("STATUS_CANCEL");
    assertThat(live.call("getBalance")).isEqualTo("ACCESS_BALANCE:9.50");
  }

  @Test
  void refusesStatusChangesTheActivationIsNotReadyFor() {
    HandlerApi.Bought bought = sandbox.buy("service", "wa", "country", "187", "operator", "nocode");

    assertThat(sandbox.call("setStatus", "id", bought.idText(), "status", "6")).isEqualTo("BAD_STATUS");
    assertThat(sandbox.call("setStatus", "id", bought.idText(), "status", "5")).isEqualTo("BAD_STATUS");
    assertThat(sandbox.call("setStatus", "id", bought.idText())).isEqualTo("BAD_STATUS");
  }

  @Test
  void refusesToCancelOnceACodeArrived() {
    HandlerApi live = sandbox.withKey(shop.liveKey("10.00"));
    shop.stock("any", "+12015550117");
    HandlerApi.Bought bought = live.buy("service", "fb", "country", "187");
    shop.deliver(bought.e164(), "Facebook", "123456 is your Facebook confirmation code");
    clock.advance(PAST_EARLY_CANCEL_GUARD);

    assertThat(live.call("setStatus", "id", bought.idText(), "status", "8")).isEqualTo("BAD_STATUS");
  }

  @Test
  void answersNoActivationForAnotherCustomersOrAnUnknownIdAndWrongActivationIdForAMalformedOne() {
    HandlerApi.Bought theirs = sandbox.buy("service", "wa", "country", "187", "operator", "nocode");
    HandlerApi other = ownSandbox();

    for (String action : new String[] {"getStatus", "getStatusV2", "getFullSms", "setStatus"}) {
      assertThat(other.call(action, "id", theirs.idText(), "status", "6")).as(action).isEqualTo("NO_ACTIVATION");
      assertThat(other.call(action, "id", "2147483647", "status", "6")).as(action).isEqualTo("NO_ACTIVATION");
      assertThat(other.call(action, "id", "99999999999", "status", "6")).as(action).isEqualTo("NO_ACTIVATION");
      assertThat(other.call(action, "id", "abc", "status", "6")).as(action).isEqualTo("WRONG_ACTIVATION_ID");
      assertThat(other.call(action)).as(action).isEqualTo("WRONG_ACTIVATION_ID");
    }
  }

  // ---- lists and reuse

  @Test
  void listsLiveActivationsNewestFirstAndAnswersNoActivationsWithoutAny() throws InterruptedException {
    HandlerApi own = ownSandbox();
    assertThat(own.call("getActiveActivations")).isEqualTo("NO_ACTIVATIONS");

    HandlerApi.Bought waiting = own.buy("service", "wa", "country", "187", "operator", "nocode");
    HandlerApi.Bought received = own.buy("service", "tg", "country", "16");
    own.awaitStatus(received, s -> s.startsWith("STATUS_OK:"));
    JsonNode list = own.json("getActiveActivations");

    assertThat(list.get("status").asText()).isEqualTo("success");
    assertThat(list.get("data")).isEqualTo(list.get("activeActivations"));
    JsonNode newest = list.get("activeActivations").get(0);
    assertThat(newest.get("activationId").asText()).isEqualTo(received.idText());
    assertThat(newest.get("serviceCode").asText()).isEqualTo("tg");
    assertThat(newest.get("phoneNumber").asText()).isEqualTo(received.e164().substring(1));
    assertThat(newest.get("activationStatus").asText()).isEqualTo("STATUS_OK");
    assertThat(newest.get("smsCode").asText()).matches("\\d{6}");
    assertThat(newest.get("smsText").asText()).contains("Telegram code");
    assertThat(newest.get("countryCode").asText()).isEqualTo("16");
    assertThat(newest.get("countryName").asText()).isEqualTo("United Kingdom");
    JsonNode older = list.get("activeActivations").get(1);
    assertThat(older.get("activationId").asText()).isEqualTo(waiting.idText());
    assertThat(older.get("activationStatus").asText()).isEqualTo("STATUS_WAIT_CODE");
    assertThat(older.get("smsCode").isNull()).isTrue();
    assertThat(own.json("getActiveActivations", "start", "1", "limit", "1").get("data").findValuesAsText("activationId"))
        .containsExactly(waiting.idText());
  }

  @Test
  void historyListsActivationsNewestFirstWithinTheGivenTimes() {
    HandlerApi own = ownSandbox();
    long before = clock.instant().getEpochSecond();
    HandlerApi.Bought first = own.buy("service", "wa", "country", "187", "operator", "nocode");
    clock.advance(Duration.ofMinutes(1));
    long between = clock.instant().getEpochSecond();
    HandlerApi.Bought second = own.buy("service", "tg", "country", "187", "operator", "nocode");

    JsonNode all = own.json("getHistory");
    assertThat(all.findValuesAsText("id")).containsExactly(second.idText(), first.idText());
    assertThat(all.get(0).get("phone").asText()).isEqualTo(second.e164().substring(1));
    assertThat(all.get(0).get("date").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
    assertThat(all.get(0).get("cost").decimalValue()).isEqualByComparingTo("0.50");
    assertThat(all.get(0).get("status").asText()).isEqualTo("STATUS_WAIT_CODE");
    assertThat(all.get(0).get("currency").asInt()).isEqualTo(840);
    assertThat(own.json("getHistory", "start", String.valueOf(between)).findValuesAsText("id"))
        .containsExactly(second.idText());
    assertThat(own.json("getHistory", "start", String.valueOf(before), "end", String.valueOf(between - 1))
        .findValuesAsText("id")).containsExactly(first.idText());
    assertThat(own.json("getHistory", "offset", "1", "size", "1").findValuesAsText("id")).containsExactly(first.idText());
    assertThat(own.call("getHistory", "start", "yesterday")).isEqualTo("WRONG_DATE");
  }

  @Test
  void getExtraActivationBuysTheSameNumberAgainOnceItIsFree() {
    HandlerApi live = sandbox.withKey(shop.liveKey("10.00"));
    shop.stock("any", "+12015550119");
    HandlerApi.Bought bought = live.buy("service", "ds", "country", "187");

    assertThat(live.call("getExtraActivation", "activationId", bought.idText())).isEqualTo("RENEW_ACTIVATION_NOT_AVAILABLE");
    shop.deliver(bought.e164(), "Discord", "Your Discord verification code is: 555111");
    live.call("setStatus", "id", bought.idText(), "status", "6");

    String again = live.call("getExtraActivation", "activationId", bought.idText());
    assertThat(again).matches("ACCESS_NUMBER:\\d+:" + bought.e164().substring(1));
    assertThat(again).isNotEqualTo("ACCESS_NUMBER:" + bought.id() + ":" + bought.e164().substring(1));
    assertThat(live.call("getBalance")).isEqualTo("ACCESS_BALANCE:9.00");
    assertThat(live.call("getExtraActivation", "activationId", "abc")).isEqualTo("WRONG_ACTIVATION_ID");
    assertThat(sandbox.call("getExtraActivation", "activationId", bought.idText())).isEqualTo("NO_ACTIVATION");
  }
}
