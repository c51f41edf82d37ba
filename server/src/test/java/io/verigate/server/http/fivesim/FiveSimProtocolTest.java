package io.verigate.server.http.fivesim;

import static io.verigate.server.http.fivesim.FiveSimHttp.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.client.Activation;
import io.verigate.client.BuyRequest;
import io.verigate.client.VerigateClient;
import io.verigate.server.testing.MutableClock;
import io.verigate.server.testing.TestApp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The 5sim user endpoints over HTTP: the Order JSON, its statuses, the lifecycle actions and every refusal,
 * with sandbox keys and with live keys on imported numbers. Live tests each stock a country of their own, so
 * they do not take each other's numbers. The clock only moves when a test needs time to pass.
 */
class FiveSimProtocolTest {
  private static final List<String> ORDER_FIELDS = List.of("id", "phone", "operator", "product", "price", "status",
      "expires", "sms", "created_at", "forwarding", "forwarding_number", "country");
  private static final String BUY = "/v1/user/buy/activation/";

  private static final MutableClock clock = new MutableClock(Instant.now());
  private static TestApp app;
  private static FiveSimHttp http;
  private static LiveSetup live;
  private static String sandboxKey;

  @BeforeAll
  static void start() {
    app = TestApp.start(false, Map.of(), clock);
    http = new FiveSimHttp(app.baseUrl());
    live = new LiveSetup(app);
    sandboxKey = app.sandboxKey();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void buysASandboxNumberAsAPendingOrderInFivesimsShape() {
    JsonNode order = http.json(BUY + "usa/any/whatsapp", sandboxKey);

    assertThat(order.fieldNames()).toIterable().containsExactlyElementsOf(ORDER_FIELDS);
    assertThat(order.get("id").isInt()).isTrue();
    assertThat(order.get("phone").asText()).matches("\\+1\\d{10}");
    assertThat(order.get("operator").asText()).isEqualTo("any");
    assertThat(order.get("product").asText()).isEqualTo("whatsapp");
    assertThat(order.get("price").isNumber()).isTrue();
    assertThat(order.get("price").decimalValue()).isEqualByComparingTo("0.5");
    assertThat(order.get("status").asText()).isEqualTo("PENDING");
    assertThat(order.get("sms").isNull()).isTrue();
    assertThat(order.get("forwarding").asBoolean()).isFalse();
    assertThat(order.get("forwarding_number").asText()).isEmpty();
    assertThat(order.get("country").asText()).isEqualTo("usa");
    Instant created = Instant.parse(order.get("created_at").asText());
    assertThat(Instant.parse(order.get("expires").asText())).isEqualTo(created.plus(Duration.ofMinutes(20)));
  }

  @Test
  void showsTheSmsWithItsCodeOnceItArrivesAndFinishesTheOrder() throws InterruptedException {
    int id = http.json(BUY + "england/any/telegram", sandboxKey).get("id").asInt();

    JsonNode received = awaitStatus(id, sandboxKey, "RECEIVED");

    JsonNode sms = received.get("sms");
    assertThat(sms.size()).isEqualTo(1);
    assertThat(sms.get(0).fieldNames()).toIterable().containsExactly("created_at", "date", "sender", "text", "code");
    assertThat(sms.get(0).get("sender").asText()).isEqualTo("Telegram");
    assertThat(sms.get(0).get("code").asText()).matches("\\d{6}");
    assertThat(sms.get(0).get("text").asText()).contains(sms.get(0).get("code").asText());
    JsonNode finished = http.json("/v1/user/finish/" + id, sandboxKey);
    assertThat(finished.get("status").asText()).isEqualTo("FINISHED");
    assertThat(finished.get("sms").get(0).get("code").asText()).isEqualTo(sms.get(0).get("code").asText());
    assertThat(http.json("/v1/user/check/" + id, sandboxKey).get("status").asText()).isEqualTo("FINISHED");
  }

  @Test
  void sharesOneCoreWithTheRestApiForVisibilityActionsAndBilling() {
    List<String> numbers = live.stock("GB", "ee", 2);
    LiveSetup.Customer customer = live.customer("10.00");
    VerigateClient rest = VerigateClient.create(app.baseUrl(), customer.key());

    JsonNode bought = http.json(BUY + "england/any/whatsapp", customer.key());
    int id = bought.get("id").asInt();
    assertThat(rest.activation(id).phoneNumber()).isEqualTo(bought.get("phone").asText()).isIn(numbers);
    assertThat(rest.activation(id).status()).isEqualTo("WAITING");
    JsonNode profile = http.json("/v1/user/profile", customer.key());
    assertThat(profile.get("balance").decimalValue()).isEqualByComparingTo("9.5");
    assertThat(profile.get("frozen_balance").decimalValue()).isEqualByComparingTo("0.5");

    live.deliver(bought.get("phone").asText(), "WhatsApp", "Your WhatsApp code: 318-274");
    JsonNode received = http.json("/v1/user/check/" + id, customer.key());
    assertThat(received.get("status").asText()).isEqualTo("RECEIVED");
    assertThat(received.get("sms").get(0).get("code").asText()).isEqualTo("318274");
    assertThat(rest.finish(id).status()).isEqualTo("FINISHED");
    assertThat(http.json("/v1/user/check/" + id, customer.key()).get("status").asText()).isEqualTo("FINISHED");

    Activation boughtByRest = rest.buy(BuyRequest.of("wa", "gb"));
    live.deliver(boughtByRest.phoneNumber(), "WhatsApp", "Your WhatsApp code: 555-019");
    assertThat(http.json("/v1/user/finish/" + boughtByRest.id(), customer.key()).get("status").asText())
        .isEqualTo("FINISHED");
    assertThat(rest.activation(boughtByRest.id()).status()).isEqualTo("FINISHED");

    assertThat(rest.balance().balance()).isEqualByComparingTo("9.00");
    assertThat(rest.balance().held()).isEqualByComparingTo("0");
    JsonNode after = http.json("/v1/user/profile", customer.key());
    assertThat(after.get("balance").decimalValue()).isEqualByComparingTo("9");
    assertThat(after.get("frozen_balance").decimalValue()).isEqualByComparingTo("0");
  }

  @Test
  void showsEachSmsInTheVeryNextCheckAndInboxAfterItArrives() {
    List<String> numbers = live.stock("DK", "tdc", 1);
    LiveSetup.Customer customer = live.customer("10.00");
    int id = http.json(BUY + "denmark/any/whatsapp", customer.key()).get("id").asInt();
    assertThat(http.json("/v1/user/check/" + id, customer.key()).get("sms").isNull()).as("read, and so kept").isTrue();
    assertThat(http.json("/v1/user/sms/inbox/" + id, customer.key()).get("Total").asInt()).isZero();

    // A message without a code leaves the order PENDING: only its list of messages changes.
    live.deliver(numbers.get(0), "WhatsApp", "Welcome to WhatsApp");
    JsonNode first = http.json("/v1/user/check/" + id, customer.key());
    assertThat(first.get("status").asText()).isEqualTo("PENDING");
    assertThat(first.get("sms").findValuesAsText("text")).containsExactly("Welcome to WhatsApp");
    assertThat(http.json("/v1/user/sms/inbox/" + id, customer.key()).get("Total").asInt()).isEqualTo(1);

    live.deliver(numbers.get(0), "WhatsApp", "Your WhatsApp code: 731-902");
    JsonNode second = http.json("/v1/user/check/" + id, customer.key());
    assertThat(second.get("status").asText()).isEqualTo("RECEIVED");
    assertThat(second.get("sms").findValuesAsText("code")).containsExactly("", "731902");
    assertThat(http.json("/v1/user/sms/inbox/" + id, customer.key()).get("Data").findValuesAsText("code"))
        .containsExactly("", "731902");
  }

  @Test
  void showsTheProfileInFivesimsShape() {
    LiveSetup.Customer customer = live.customer("12.3456");

    JsonNode profile = http.json("/v1/user/profile", customer.key());

    assertThat(profile.get("id").asLong()).isEqualTo(customer.id());
    assertThat(profile.get("balance").isNumber()).isTrue();
    assertThat(profile.get("balance").decimalValue()).isEqualByComparingTo("12.3456");
    assertThat(profile.get("frozen_balance").decimalValue()).isEqualByComparingTo("0");
    assertThat(profile.get("rating").asInt()).isEqualTo(96);
    assertThat(profile.get("default_country").get("name").asText()).isEqualTo("any");
    assertThat(profile.get("default_operator").get("name").asText()).isEqualTo("any");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/v1/user/profile", "/v1/user/orders", BUY + "usa/any/whatsapp", "/v1/user/check/1",
      "/v1/user/finish/1", "/v1/user/cancel/1", "/v1/user/ban/1", "/v1/user/reuse/whatsapp/12025550100",
      "/v1/user/sms/inbox/1"})
  void answersAMissingOrInvalidKeyWithABare401(String path) {
    assertRefused(http.guest(path), 401, "");
    assertRefused(http.get(path, "vg_test_not-a-key"), 401, "");
  }

  @Test
  void refusesAnUnknownProductCountryOrOperatorWhenBuying() {
    assertRefused(http.get(BUY + "usa/any/nosuchproduct", sandboxKey), 400, "no product");
    assertRefused(http.get(BUY + "atlantis/any/whatsapp", sandboxKey), 400, "bad country");
    assertRefused(http.get(BUY + "usa/bad!operator/whatsapp", sandboxKey), 400, "bad operator");
  }

  @Test
  void answersNoFreePhonesWhenTheSandboxIsAskedForNone() {
    assertRefused(http.get(BUY + "usa/nonumbers/whatsapp", sandboxKey), 400, "no free phones");
  }

  @Test
  void answersNoFreePhonesWithoutLiveStockOrAboveTheMaximumPrice() {
    LiveSetup.Customer customer = live.customer("10.00");
    assertRefused(http.get(BUY + "italy/any/google", customer.key()), 400, "no free phones");

    live.stock("IT", "tim", 1);
    assertRefused(http.get(BUY + "italy/any/google?maxPrice=0.49", customer.key()), 400, "no free phones");
    assertThat(http.json(BUY + "italy/any/google?maxPrice=0.5", customer.key()).get("status").asText())
        .isEqualTo("PENDING");
  }

  @Test
  void answersNotEnoughUserBalanceForAnEmptyWallet() {
    live.stock("AT", "a1", 1);
    LiveSetup.Customer broke = live.customer("0");

    assertRefused(http.get(BUY + "austria/any/whatsapp", broke.key()), 400, "not enough user balance");
  }

  @Test
  void buysInTheCheapestCountryWithAFreeNumberForTheAnyCountry() {
    live.stock("ES", "movistar", 1);
    live.stock("PT", "meo", 1);
    live.setPrice("ig", "ES", "0.30");
    live.setPrice("ig", "PT", "0.40");
    LiveSetup.Customer customer = live.customer("10.00");

    JsonNode order = http.json(BUY + "any/any/instagram", customer.key());

    assertThat(order.get("country").asText()).isEqualTo("spain");
    assertThat(order.get("price").decimalValue()).isEqualByComparingTo("0.3");
    assertThat(order.get("operator").asText()).isEqualTo("movistar");
  }

  @ParameterizedTest
  @ValueSource(strings = {"check", "finish", "cancel", "ban"})
  void answersOrderNotFoundForAnUnknownOrAnotherCustomersOrder(String action) {
    int othersOrder = http.json(BUY + "usa/nocode/whatsapp", sandboxKey).get("id").asInt();
    LiveSetup.Customer stranger = live.customer("1.00");

    assertRefused(http.get("/v1/user/" + action + "/" + othersOrder, stranger.key()), 404, "order not found");
    assertRefused(http.get("/v1/user/" + action + "/999999", sandboxKey), 404, "order not found");
    assertRefused(http.get("/v1/user/" + action + "/abc", sandboxKey), 404, "order not found");
  }

  @Test
  void answersRecordNotFoundForTheInboxOfAnUnknownOrder() {
    assertRefused(http.get("/v1/user/sms/inbox/999999", sandboxKey), 404, "record not found");
    assertRefused(http.get("/v1/user/sms/inbox/abc", sandboxKey), 404, "record not found");
  }

  @Test
  void refusesToFinishAnOrderWithoutSms() {
    int id = http.json(BUY + "usa/nocode/whatsapp", sandboxKey).get("id").asInt();

    assertRefused(http.get("/v1/user/finish/" + id, sandboxKey), 400, "order no sms");
  }

  @Test
  void refusesToCancelOrBanAnOrderThatHasSms() throws InterruptedException {
    int id = http.json(BUY + "usa/any/whatsapp", sandboxKey).get("id").asInt();
    awaitStatus(id, sandboxKey, "RECEIVED");

    assertRefused(http.get("/v1/user/cancel/" + id, sandboxKey), 400, "order has sms");
    assertRefused(http.get("/v1/user/ban/" + id, sandboxKey), 400, "order has sms");
  }

  @Test
  void refusesToCancelDuringTheEarlyCancelGuard() {
    int id = http.json(BUY + "usa/nocode/whatsapp", sandboxKey).get("id").asInt();

    assertRefused(http.get("/v1/user/cancel/" + id, sandboxKey), 400, "you need to wait time");
    assertThat(http.json("/v1/user/check/" + id, sandboxKey).get("status").asText()).isEqualTo("PENDING");
  }

  @Test
  void cancelsAfterTheGuardWithAFullRefundAnswersACancelAgainAndRefusesTheRestAsExpired() {
    live.stock("BE", "proximus", 1);
    LiveSetup.Customer customer = live.customer("1.00");
    int id = http.json(BUY + "belgium/any/whatsapp", customer.key()).get("id").asInt();
    assertThat(http.json("/v1/user/profile", customer.key()).get("balance").decimalValue()).isEqualByComparingTo("0.5");

    clock.advance(Duration.ofMinutes(3));
    JsonNode canceled = http.json("/v1/user/cancel/" + id, customer.key());

    assertThat(canceled.get("status").asText()).isEqualTo("CANCELED");
    JsonNode profile = http.json("/v1/user/profile", customer.key());
    assertThat(profile.get("balance").decimalValue()).isEqualByComparingTo("1");
    assertThat(profile.get("frozen_balance").decimalValue()).isEqualByComparingTo("0");
    assertThat(http.json("/v1/user/cancel/" + id, customer.key())).isEqualTo(canceled);
    for (String action : List.of("finish", "ban")) {
      assertRefused(http.get("/v1/user/" + action + "/" + id, customer.key()), 400, "order expired");
    }
    assertThat(http.json("/v1/user/profile", customer.key()).get("balance").decimalValue()).isEqualByComparingTo("1");
  }

  @Test
  void finishingAFinishedOrderAnswersTheOrderAgainAndChargesOnce() {
    List<String> numbers = live.stock("NL", "kpn", 1);
    LiveSetup.Customer customer = live.customer("1.00");
    int id = http.json(BUY + "netherlands/any/whatsapp", customer.key()).get("id").asInt();
    live.deliver(numbers.get(0), "WhatsApp", "Your WhatsApp code: 271-828");
    JsonNode finished = http.json("/v1/user/finish/" + id, customer.key());

    assertThat(http.json("/v1/user/finish/" + id, customer.key())).isEqualTo(finished);
    assertThat(finished.get("status").asText()).isEqualTo("FINISHED");
    assertRefused(http.get("/v1/user/cancel/" + id, customer.key()), 400, "order expired");
    assertThat(http.json("/v1/user/profile", customer.key()).get("balance").decimalValue()).isEqualByComparingTo("0.5");
  }

  @Test
  void afterTheLifetimeAFinishGetsTheChargedOrderAndACancelTheRefundedTimeout() {
    live.stock("DK", "tdc", 2);
    LiveSetup.Customer customer = live.customer("1.00");
    JsonNode withCode = http.json(BUY + "denmark/any/whatsapp", customer.key());
    JsonNode withoutCode = http.json(BUY + "denmark/any/whatsapp", customer.key());
    live.deliver(withCode.get("phone").asText(), "WhatsApp", "Your WhatsApp code: 161-803");

    clock.advance(Duration.ofMinutes(21));

    String key = customer.key();
    assertThat(http.json("/v1/user/finish/" + withCode.get("id").asInt(), key).get("status").asText())
        .isEqualTo("FINISHED");
    assertRefused(http.get("/v1/user/finish/" + withoutCode.get("id").asInt(), key), 400, "order expired");
    assertThat(http.json("/v1/user/cancel/" + withoutCode.get("id").asInt(), key).get("status").asText())
        .isEqualTo("TIMEOUT");
    JsonNode profile = http.json("/v1/user/profile", key);
    assertThat(profile.get("balance").decimalValue()).isEqualByComparingTo("0.5");
    assertThat(profile.get("frozen_balance").decimalValue()).isEqualByComparingTo("0");
  }

  @Test
  void bansAPendingOrder() {
    int id = http.json(BUY + "usa/nocode/whatsapp", sandboxKey).get("id").asInt();

    assertThat(http.json("/v1/user/ban/" + id, sandboxKey).get("status").asText()).isEqualTo("BANNED");
    assertThat(http.json("/v1/user/check/" + id, sandboxKey).get("status").asText()).isEqualTo("BANNED");
  }

  @Test
  void showsAnOrderWhoseLifetimeEndedWithoutSmsAsTimeout() {
    int id = http.json(BUY + "usa/nocode/whatsapp", sandboxKey).get("id").asInt();

    clock.advance(Duration.ofMinutes(21));
    app.app().activations().sweep();

    assertThat(http.json("/v1/user/check/" + id, sandboxKey).get("status").asText()).isEqualTo("TIMEOUT");
  }

  @Test
  void buysANumberAgainForItsLastBuyerOnly() {
    List<String> numbers = live.stock("FI", "elisa", 1);
    LiveSetup.Customer customer = live.customer("10.00");
    int first = http.json(BUY + "finland/any/whatsapp", customer.key()).get("id").asInt();
    live.deliver(numbers.get(0), "WhatsApp", "Your WhatsApp code: 100-200");
    http.json("/v1/user/finish/" + first, customer.key());
    String digits = numbers.get(0).substring(1);

    assertRefused(http.get("/v1/user/reuse/whatsapp/" + digits, live.customer("10.00").key()), 400,
        "reuse not possible");
    assertRefused(http.get("/v1/user/reuse/nosuchproduct/" + digits, customer.key()), 400, "no product");
    JsonNode again = http.json("/v1/user/reuse/whatsapp/" + digits, customer.key());

    assertThat(again.get("id").asInt()).isNotEqualTo(first);
    assertThat(again.get("phone").asText()).isEqualTo(numbers.get(0));
    assertThat(again.get("status").asText()).isEqualTo("PENDING");
    assertThat(again.get("sms").isNull()).isTrue();
    assertRefused(http.get("/v1/user/reuse/whatsapp/" + digits, customer.key()), 400, "reuse not possible");
  }

  @Test
  void pagesTheOrderHistoryWithLimitOffsetReverseAndTotal() {
    List<String> numbers = live.stock("NO", "telenor", 3);
    LiveSetup.Customer customer = live.customer("10.00");
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(http.json(BUY + "norway/any/whatsapp", customer.key()).get("id").asInt());
    }
    live.deliver(http.json("/v1/user/check/" + ids.get(0), customer.key()).get("phone").asText(), "WhatsApp",
        "Your WhatsApp code: 424-242");

    JsonNode firstPage = http.json("/v1/user/orders?category=activation&limit=2", customer.key());
    JsonNode secondPage = http.json("/v1/user/orders?category=activation&limit=2&offset=2", customer.key());
    JsonNode newestFirst = http.json("/v1/user/orders?limit=3&order=id&reverse=true", customer.key());

    assertThat(firstPage.fieldNames()).toIterable().containsExactly("Data", "ProductNames", "Statuses", "Total");
    assertThat(firstPage.get("Total").asInt()).isEqualTo(3);
    assertThat(ids(firstPage)).containsExactly(ids.get(0), ids.get(1));
    assertThat(ids(secondPage)).containsExactly(ids.get(2));
    assertThat(ids(newestFirst)).containsExactly(ids.get(2), ids.get(1), ids.get(0));
    JsonNode oldest = firstPage.get("Data").get(0);
    assertThat(oldest.fieldNames()).toIterable().containsExactlyElementsOf(ORDER_FIELDS);
    assertThat(oldest.get("status").asText()).isEqualTo("RECEIVED");
    assertThat(oldest.get("sms").get(0).get("code").asText()).isEqualTo("424242");
    assertThat(oldest.get("phone").asText()).isIn(numbers);
  }

  @Test
  void showsNoHostingOrdersAndRefusesBadPagingParameters() {
    JsonNode hosting = http.json("/v1/user/orders?category=hosting", sandboxKey);
    assertThat(hosting.get("Data").size()).isZero();
    assertThat(hosting.get("Total").asInt()).isZero();

    for (String query : List.of("category=rent", "order=price", "limit=0", "limit=x", "offset=-1")) {
      FiveSimHttp.Reply reply = http.get("/v1/user/orders?" + query, sandboxKey);
      assertThat(reply.status()).as(query).isEqualTo(400);
      assertThat(reply.contentType()).startsWith("text/plain");
      assertThat(reply.body()).isNotBlank();
    }
  }

  @Test
  void listsTheSmsInboxOfAnOrder() throws InterruptedException {
    int id = http.json(BUY + "usa/any/discord", sandboxKey).get("id").asInt();
    awaitStatus(id, sandboxKey, "RECEIVED");

    JsonNode inbox = http.json("/v1/user/sms/inbox/" + id, sandboxKey);

    assertThat(inbox.get("Total").asInt()).isEqualTo(1);
    JsonNode sms = inbox.get("Data").get(0);
    assertThat(sms.fieldNames()).toIterable()
        .containsExactly("ID", "created_at", "date", "sender", "text", "code", "is_wave", "wave_uuid");
    assertThat(sms.get("sender").asText()).isEqualTo("Discord");
    assertThat(sms.get("code").asText()).matches("\\d{6}");
    assertThat(sms.get("text").asText()).contains(sms.get("code").asText());
  }

  @Test
  void acceptsTheReuseFlagAndARoundMaxPriceOnAPurchase() {
    JsonNode order = http.json(BUY + "usa/nocode/whatsapp?reuse=1&maxPrice=1", sandboxKey);

    assertThat(order.get("status").asText()).isEqualTo("PENDING");
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "-1", "0", "99999999999", "%F0%9F%92%A9", "1e9", "%20", "%27%22%3B--", "any"})
  void neverAnswersA500ToGarbageInAnyPathSegmentOrParameter(String garbage) {
    List<String> routes = List.of("/v1/guest/products/{x}/{x}", "/v1/guest/prices?country={x}&product={x}",
        "/v1/user/orders?category={x}&limit={x}&offset={x}&order={x}&reverse={x}",
        BUY + "{x}/{x}/{x}?maxPrice={x}&reuse={x}", BUY + "usa/nocode/whatsapp?maxPrice={x}",
        "/v1/user/reuse/{x}/{x}", "/v1/user/check/{x}", "/v1/user/finish/{x}", "/v1/user/cancel/{x}",
        "/v1/user/ban/{x}", "/v1/user/sms/inbox/{x}");
    for (String route : routes) {
      FiveSimHttp.Reply reply = http.get(route.replace("{x}", garbage), sandboxKey);
      if (reply.status() != 200) {
        assertThat(reply.contentType()).as(route).startsWith("text/plain");
        assertThat(reply.body()).as(route).isNotBlank();
      }
    }
  }

  /** Polls the order as a 5sim client does, within a bound, until it shows {@code status}. */
  private static JsonNode awaitStatus(int id, String key, String status) throws InterruptedException {
    for (int attempt = 0; attempt < 200; attempt++) {
      JsonNode order = http.json("/v1/user/check/" + id, key);
      if (order.get("status").asText().equals(status)) {
        return order;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("order " + id + " never became " + status);
  }

  private static List<Integer> ids(JsonNode page) {
    List<Integer> ids = new ArrayList<>();
    page.get("Data").forEach(order -> ids.add(order.get("id").asInt()));
    return ids;
  }
}
