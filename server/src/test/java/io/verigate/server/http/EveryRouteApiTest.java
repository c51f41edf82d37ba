package io.verigate.server.http;

import static io.verigate.server.http.Refusals.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.testing.TestApp;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What holds on every route at once: the health probe, problem JSON for unknown paths, API keys required
 * and accepted in every documented form, and no 500 for any garbage a client might send.
 */
class EveryRouteApiTest {
  /** Each authenticated customer route, as "METHOD path"; {@code {x}} is where ids and parameters go. */
  private static final List<String> CUSTOMER_ROUTES = List.of(
      "GET /api/v1/wallet/balance",
      "GET /api/v1/wallet/transactions?limit={x}&before={x}",
      "POST /api/v1/activations",
      "GET /api/v1/activations?status={x}&service={x}&country={x}&limit={x}&before={x}",
      "GET /api/v1/activations/{x}",
      "POST /api/v1/activations/{x}/cancel",
      "POST /api/v1/activations/{x}/finish",
      "POST /api/v1/activations/{x}/resend",
      "POST /api/v1/activations/{x}/ban",
      "GET /api/v1/prices?service={x}&country={x}&operator={x}",
      "POST /api/v1/sandbox/activations/{x}/sms",
      "GET /api/v1/esims/plans?country={x}&region={x}&minDataMb={x}&maxPrice={x}&type={x}",
      "POST /api/v1/esims/orders",
      "GET /api/v1/esims/orders/{x}",
      "GET /api/v1/esims?limit={x}&before={x}",
      "GET /api/v1/esims/{x}",
      "GET /api/v1/esims/{x}/usage",
      "GET /api/v1/esims/{x}/qr.png",
      "POST /api/v1/esims/{x}/topups",
      "POST /api/v1/esims/{x}/refund",
      "POST /api/v1/sandbox/esims/{x}/usage");
  private static final List<String> OTHER_ROUTES = List.of(
      "GET /health",
      "GET /api/v1/services",
      "GET /api/v1/countries",
      "GET /number?service={x}&country={x}&operator={x}",
      "GET /status?id={x}",
      "GET /cancel?id={x}",
      "GET /finish?id={x}",
      "GET /resend?id={x}",
      "GET /balance",
      "POST /api/v1/inbound/sms",
      "GET /admin/v1/customers",
      "POST /admin/v1/customers",
      "POST /admin/v1/customers/{x}/keys",
      "GET /admin/v1/customers/{x}/keys",
      "GET /admin/v1/customers/{x}/wallet?mode={x}",
      "POST /admin/v1/customers/{x}/wallet/credit",
      "DELETE /admin/v1/keys/{x}",
      "POST /admin/v1/sources",
      "GET /admin/v1/sources/{x}",
      "PATCH /admin/v1/sources/{x}",
      "POST /admin/v1/numbers",
      "POST /admin/v1/numbers/import?source={x}",
      "PUT /admin/v1/prices",
      "GET /admin/v1/esims/plans",
      "PUT /admin/v1/esims/plans/{x}",
      "POST /admin/v1/esims/plans/{x}/profiles",
      "POST /admin/v1/esims/catalog/sync",
      "PUT /admin/v1/esims/{x}/usage");
  private static final List<String> GARBAGE_PARAMETERS =
      List.of("abc", "-1", "0", "99999999999", "%F0%9F%92%A9", "1e9", "", "%20", "%27%22%3B--", "%00");
  private static final List<String> GARBAGE_BODIES = List.of(
      "", "{", "[]", "null", "\"wa\"", "{\"serviceCode\":", "[".repeat(5000) + "]".repeat(5000),
      "{\"serviceCode\":[],\"countryIso\":{},\"countries\":[null,{}],\"maxPrice\":\"1e400\",\"operator\":7,"
          + "\"text\":[],\"from\":{},\"to\":5,\"messageId\":[],\"receivedAt\":\"-1\",\"amount\":\"99999999999999999\","
          + "\"numbers\":[null,{}],\"name\":{},\"mode\":\"x\",\"service\":[],\"country\":null,\"price\":\"NaN\"}",
      "{\"serviceCode\":\"" + "w".repeat(5_000) + "\",\"countryIso\":\"us\",\"text\":\"" + "9".repeat(5_000) + "\"}");

  private static TestApp app;
  private static RawHttp http;
  private static String sourceToken;

  @BeforeAll
  static void start() {
    app = TestApp.start();
    http = new RawHttp(app.baseUrl());
    sourceToken = new AdminSetup(app).gateway().token();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void healthAnswersUp() {
    RawHttp.Reply health = http.get("/health");

    assertThat(health.status()).isEqualTo(200);
    assertThat(health.text("status")).isEqualTo("UP");
  }

  @Test
  void anUnknownPathIsANotFoundProblem() {
    assertProblem(http.get("/api/v1/nothing-here"), 404, "NOT_FOUND");
    assertProblem(http.post("/api/v2/activations", "{}"), 404, "NOT_FOUND");
  }

  @Test
  void everyCustomerRouteRefusesAMissingOrInvalidKey() {
    for (String route : CUSTOMER_ROUTES) {
      String method = route.substring(0, route.indexOf(' '));
      String path = route.substring(route.indexOf(' ') + 1).replace("{x}", "1");
      String body = method.equals("POST") ? "{\"serviceCode\":\"wa\",\"countryIso\":\"us\",\"text\":\"1234\"}" : null;
      assertProblem(http.send(method, path, body), 401, "BAD_KEY");
      assertProblem(http.send(method, path, body, "x-api-key", "vg_live_bogus"), 401, "BAD_KEY");
      assertProblem(http.send(method, path, body, "Authorization", "Bearer " + app.adminToken()), 401, "BAD_KEY");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"x-api-key", "Authorization", "key", "api_key"})
  void acceptsTheKeyAsHeaderBearerOrQueryParameter(String carrier) {
    String key = app.sandboxKey();
    RawHttp.Reply balance = switch (carrier) {
      case "x-api-key" -> http.get("/api/v1/wallet/balance", "x-api-key", key);
      case "Authorization" -> http.get("/api/v1/wallet/balance", "Authorization", "Bearer " + key);
      default -> http.get("/api/v1/wallet/balance?" + carrier + "=" + key);
    };

    assertThat(balance.status()).as(balance.body()).isEqualTo(200);
    assertThat(balance.text("currency")).isEqualTo("USD");
  }

  @Test
  void noRouteAnswersGarbageWithAServerError() {
    for (String route : concat(CUSTOMER_ROUTES, OTHER_ROUTES)) {
      String method = route.substring(0, route.indexOf(' '));
      boolean hasBody = List.of("POST", "PUT", "PATCH").contains(method);
      int rounds = Math.max(GARBAGE_PARAMETERS.size(), hasBody ? GARBAGE_BODIES.size() : 0);
      for (int i = 0; i < rounds; i++) {
        String path = route.substring(route.indexOf(' ') + 1).replace("{x}", GARBAGE_PARAMETERS.get(i % GARBAGE_PARAMETERS.size()));
        String body = hasBody ? GARBAGE_BODIES.get(i % GARBAGE_BODIES.size()) : null;
        // RawHttp fails the test on any 5xx; every answer must also be JSON, never an HTML error page.
        RawHttp.Reply reply = http.send(method, path, body, credentialsFor(path));
        assertThat(reply.json()).as("%s %s answered %s", method, path, reply.body()).isNotNull();
      }
    }
  }

  private static String[] credentialsFor(String path) {
    if (path.startsWith("/admin/")) {
      return new String[] {"Authorization", "Bearer " + app.adminToken()};
    }
    if (path.startsWith("/api/v1/inbound/")) {
      return new String[] {"Authorization", "Bearer " + sourceToken};
    }
    return new String[] {"x-api-key", app.sandboxKey()};
  }

  private static List<String> concat(List<String> first, List<String> second) {
    return Stream.concat(first.stream(), second.stream()).toList();
  }
}
