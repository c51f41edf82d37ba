package io.verigate.server.http.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.catalog.Catalog;
import io.verigate.server.http.support.Json;
import io.verigate.server.testing.TestApp;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reference actions of {@code handler_api.php} (countries, services, operators, stock and prices), and the
 * one core behind every dialect: what this dialect buys, the REST API sees, and both quote the same prices.
 * Each test stocks a country of its own, because the live inventory is shared by the whole node.
 */
class SmsActivateReferenceTest {
  private static TestApp app;
  private static Shop shop;
  private static HandlerApi sandbox;

  @BeforeAll
  static void start() {
    app = TestApp.start();
    shop = new Shop(app, Clock.systemUTC());
    sandbox = new HandlerApi(app.baseUrl(), app.sandboxKey());
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void getCountriesListsEveryCountryUnderItsSmsActivateId() {
    JsonNode countries = sandbox.json("getCountries");

    JsonNode usa = countries.get("187");
    assertThat(usa.get("id").asInt()).isEqualTo(187);
    assertThat(usa.get("eng").asText()).isEqualTo("United States");
    assertThat(usa.get("rus").asText()).isEqualTo("United States");
    assertThat(usa.get("visible").asInt()).isEqualTo(1);
    assertThat(countries.get("0").get("eng").asText()).isEqualTo("Russia");
    assertThat(countries.findValuesAsText("eng")).doesNotContain("Andorra");
  }

  @Test
  void getServicesListListsEveryServiceOfTheCatalog() {
    JsonNode list = sandbox.json("getServicesList", "lang", "en");

    assertThat(list.get("status").asText()).isEqualTo("success");
    assertThat(list.get("services")).hasSize(Catalog.load().services().size());
    assertThat(list.get("services").toString()).contains("{\"code\":\"wa\",\"name\":\"WhatsApp\"}");
  }

  @Test
  void getOperatorsListsTheSandboxNamesForTestKeysAndTheInventorysOperatorsForLiveKeys() {
    assertThat(sandbox.json("getOperators", "country", "187").get("countryOperators").get("187").toString())
        .isEqualTo("[\"any\",\"nocode\",\"nonumbers\",\"slow\"]");

    HandlerApi live = sandbox.withKey(shop.liveKey("0"));
    shop.stock("verizon", "+31612345601");
    shop.stock("kpn", "+31612345602", "+31612345603");

    JsonNode operators = live.json("getOperators", "country", "48");
    assertThat(operators.get("status").asText()).isEqualTo("success");
    assertThat(operators.get("countryOperators").get("48").toString()).isEqualTo("[\"kpn\",\"verizon\"]");
    assertThat(live.json("getOperators").get("countryOperators").has("48")).isTrue();
    assertThat(live.call("getOperators", "country", "15")).isEqualTo("OPERATORS_NOT_FOUND");
    assertThat(live.call("getOperators", "country", "9999")).isEqualTo("BAD_COUNTRY");
  }

  @Test
  void getNumbersStatusCountsTheNumbersEachServiceCanStillGet() {
    HandlerApi live = sandbox.withKey(shop.liveKey("10.00"));
    shop.stock("any", "+4915123456701", "+4915123456702");
    assertThat(live.json("getNumbersStatus", "country", "43").get("wa_0").asInt()).isEqualTo(2);

    HandlerApi.Bought bought = live.buy("service", "wa", "country", "43");
    JsonNode leased = live.json("getNumbersStatus", "country", "43");
    assertThat(leased.get("wa_0").asInt()).isEqualTo(1);
    assertThat(leased.get("tg_0").asInt()).isEqualTo(1);

    shop.deliver(bought.e164(), "WhatsApp", "Your WhatsApp code: 246-810");
    live.call("setStatus", "id", bought.idText(), "status", "6");
    JsonNode released = live.json("getNumbersStatus", "country", "43");
    assertThat(released.get("wa_0").asInt()).as("a number serves a service once").isEqualTo(1);
    assertThat(released.get("tg_0").asInt()).isEqualTo(2);
  }

  @Test
  void getNumbersStatusListsEveryServiceForTheSandboxAndDefaultsToRussia() {
    JsonNode usa = sandbox.json("getNumbersStatus", "country", "187");
    assertThat(usa).hasSize(Catalog.load().services().size());
    assertThat(usa.get("wa_0").asInt()).isPositive();
    assertThat(usa.fieldNames()).toIterable().allMatch(name -> name.endsWith("_0"));

    assertThat(sandbox.withKey(shop.liveKey("0")).json("getNumbersStatus").get("vk_0").asInt()).isZero();
    assertThat(sandbox.call("getNumbersStatus", "country", "9999")).isEqualTo("BAD_COUNTRY");
  }

  @Test
  void getPricesShowsTheOperatorsPriceAndStockAndAgreesWithTheRestApi() throws Exception {
    String key = shop.liveKey("0");
    HandlerApi live = sandbox.withKey(key);
    shop.setPrice("wa", "FR", "0.35");
    shop.stock("any", "+33612345601", "+33612345602");

    JsonNode prices = live.json("getPrices", "service", "wa");
    assertThat(prices.get("78").get("wa").get("cost").decimalValue()).isEqualByComparingTo("0.35");
    assertThat(prices.get("78").get("wa").get("count").asInt()).isEqualTo(2);
    assertThat(prices.has("0")).as("countries without stock are left out").isFalse();
    JsonNode france = live.json("getPrices", "country", "78").get("78");
    assertThat(france).hasSize(Catalog.load().services().size());
    assertThat(france.get("tg").get("cost").decimalValue()).isEqualByComparingTo("0.50");
    assertThat(live.json("getPrices").get("78").get("wa").get("count").asInt()).isEqualTo(2);

    JsonNode rest = restGet("/api/v1/prices?service=wa&country=FR", key).get(0);
    assertThat(new BigDecimal(rest.get("price").asText()))
        .isEqualByComparingTo(prices.get("78").get("wa").get("cost").decimalValue());
    assertThat(rest.get("available").asInt()).isEqualTo(prices.get("78").get("wa").get("count").asInt());
    assertThat(live.call("getPrices", "service", "zz")).isEqualTo("BAD_SERVICE");
  }

  @Test
  void getTopCountriesByServiceRanksCountriesByStockThenPrice() {
    HandlerApi live = sandbox.withKey(shop.liveKey("0"));
    shop.setPrice("bw", "IT", "0.20");
    shop.stock("any", "+393123456701", "+393123456702", "+34612345601", "+34612345602");

    JsonNode top = live.json("getTopCountriesByService", "service", "bw", "freePrice", "true");
    List<Integer> ranked = top.findValues("country").stream().map(JsonNode::asInt).toList();
    assertThat(ranked.indexOf(86)).isLessThan(ranked.indexOf(56)).isNotNegative();
    JsonNode italy = top.get(String.valueOf(ranked.indexOf(86)));
    assertThat(italy.get("count").asInt()).isEqualTo(2);
    assertThat(italy.get("price").decimalValue()).isEqualByComparingTo("0.20");
    assertThat(italy.get("retail_price").decimalValue()).isEqualByComparingTo("0.20");
    assertThat(italy.get("freePriceMap").get("0.20").asInt()).isEqualTo(2);
    assertThat(live.json("getTopCountriesByService", "service", "bw").get("0").has("freePriceMap")).isFalse();
    assertThat(live.call("getTopCountriesByService")).isEqualTo("BAD_SERVICE");
  }

  @Test
  void anActivationBoughtHereIsTheSameActivationInTheRestApi() throws Exception {
    String key = shop.liveKey("10.00");
    HandlerApi live = sandbox.withKey(key);
    shop.stock("any", "+48512345601");
    HandlerApi.Bought bought = live.buy("service", "go", "country", "15");

    JsonNode viaRest = restGet("/api/v1/activations/" + bought.id(), key);
    assertThat(viaRest.get("phoneNumber").asText()).isEqualTo(bought.e164());
    assertThat(viaRest.get("serviceCode").asText()).isEqualTo("go");
    assertThat(viaRest.get("status").asText()).isEqualTo("WAITING");

    shop.deliver(bought.e164(), "Google", "G-314159 is your Google verification code.");
    assertThat(restPost("/api/v1/activations/" + bought.id() + "/finish", key).get("status").asText()).isEqualTo("FINISHED");
    assertThat(live.call("getStatus", "id", bought.idText())).isEqualTo("STATUS_OK:314159");
    assertThat(live.json("getHistory").get(0).get("status").asText()).isEqualTo("STATUS_OK");
    String restBalance = restGet("/api/v1/wallet/balance", key).get("balance").asText();
    assertThat(live.call("getBalance")).isEqualTo("ACCESS_BALANCE:" + restBalance);
  }

  private static JsonNode restGet(String path, String key) throws IOException, InterruptedException {
    return rest(HttpRequest.newBuilder(URI.create(app.baseUrl() + path)).GET(), key);
  }

  private static JsonNode restPost(String path, String key) throws IOException, InterruptedException {
    return rest(HttpRequest.newBuilder(URI.create(app.baseUrl() + path)).POST(HttpRequest.BodyPublishers.noBody()), key);
  }

  private static JsonNode rest(HttpRequest.Builder request, String key) throws IOException, InterruptedException {
    HttpResponse<String> response = HttpClient.newHttpClient()
        .send(request.header("x-api-key", key).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Json.MAPPER.readTree(response.body());
  }
}
