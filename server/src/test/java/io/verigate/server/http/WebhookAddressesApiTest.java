package io.verigate.server.http;

import static io.verigate.server.http.Refusals.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.http.support.Json;
import io.verigate.server.testing.TestApp;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A node as deployed (without {@code webhook-allow-private}) posts nowhere inside a network on a customer's word. */
class WebhookAddressesApiTest {
  private static TestApp app;
  private static RawHttp http;
  private static String key;

  @BeforeAll
  static void start() {
    app = TestApp.start();
    http = new RawHttp(app.baseUrl());
    key = app.liveCustomer("0").key();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1:7070/api/v1/keys", "http://10.0.0.1/hook",
      "http://169.254.169.254/latest/meta-data/", "http://[fd00::1]/hook", "http://localhost/hook",
      "https://192.168.0.10/hook", "http://100.64.1.1/"})
  void refusesToCreateAnEndpointAtAnAddressInsideANetwork(String url) {
    RawHttp.Reply refused = http.post("/api/v1/webhooks", Json.write(Map.of("url", url)), "x-api-key", key);

    assertProblem(refused, 400, "BAD_REQUEST");
    assertThat(refused.text("detail")).contains("not a public address");
    assertThat(http.get("/api/v1/webhooks", "x-api-key", key).json().get("items")).noneMatch(
        endpoint -> endpoint.get("url").asText().equals(url));
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1/hook", "http://[fd00::1]/hook", "http://localhost/hook"})
  void refusesToMoveAnEndpointThere(String url) {
    // A public address that is never posted to: no event reaches this endpoint.
    long id = http.post("/api/v1/webhooks", Json.write(Map.of("url", "https://93.184.216.34/hook")), "x-api-key", key)
        .json().get("id").asLong();

    RawHttp.Reply refused = http.send("PATCH", "/api/v1/webhooks/" + id, Json.write(Map.of("url", url)), "x-api-key",
        key);

    assertProblem(refused, 400, "BAD_REQUEST");
    assertThat(http.get("/api/v1/webhooks/" + id, "x-api-key", key).text("url")).isEqualTo("https://93.184.216.34/hook");
    http.send("DELETE", "/api/v1/webhooks/" + id, null, "x-api-key", key);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1/cb", "http://10.1.2.3/cb", "http://169.254.169.254/", "http://[fd00::1]/cb"})
  void refusesAPurchaseWhoseCallbackUrlIsInsideANetworkBeforeItBuysAnything(String url) {
    String buyer = app.liveCustomer("5.00").key();
    http.post("/api/v1/webhooks", Json.write(Map.of("url", "https://93.184.216.34/hook")), "x-api-key", buyer);

    RawHttp.Reply refused = http.post("/api/v1/activations",
        Json.write(Map.of("service", "wa", "country", "us", "callbackUrl", url)), "x-api-key", buyer);

    assertProblem(refused, 400, "BAD_REQUEST");
    assertThat(refused.text("detail")).contains("not a public address");
    assertThat(http.get("/api/v1/wallet/balance", "x-api-key", buyer).text("held")).isEqualTo("0.00");
  }
}
