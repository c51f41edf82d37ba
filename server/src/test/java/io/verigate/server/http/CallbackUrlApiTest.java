package io.verigate.server.http;

import static io.verigate.server.http.Refusals.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.http.support.Json;
import io.verigate.server.testing.TestApp;
import io.verigate.server.testing.WebhookReceiver;
import io.verigate.server.testing.WebhookReceiver.Received;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A purchase's {@code callbackUrl}: every event of that activation is posted there as well, signed with the secret of
 * the customer's first enabled endpoint, whatever that endpoint's own filter; other activations' events are not.
 */
class CallbackUrlApiTest {
  private static TestApp app;
  private static RawHttp http;

  @BeforeAll
  static void start() {
    app = TestApp.start(Map.of("webhook-allow-private", "true"));
    http = new RawHttp(app.baseUrl());
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void theEventsOfThatActivationAloneArePostedToItsCallbackSignedWithTheFirstEndpointsSecret() throws Exception {
    String key = app.sandboxCustomer().key();
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      String secret = http.post("/api/v1/webhooks", Json.write(Map.of("url", receiver.url("/endpoint"),
          "eventTypes", List.of("wallet.credited"))), "x-api-key", key).text("secret");

      RawHttp.Reply bought = http.post("/api/v1/activations", Json.write(Map.of("service", "wa", "country", "us",
          "callbackUrl", receiver.url("/callback?order=17"))), "x-api-key", key);
      assertThat(bought.status()).as(bought.body()).isEqualTo(201);
      long id = bought.json().get("id").asLong();
      RawHttp.Reply other = http.post("/api/v1/activations", Json.write(Map.of("service", "wa", "country", "us")),
          "x-api-key", key);
      assertThat(other.status()).isEqualTo(201);

      List<Received> posted = receiver.await(2, r -> true);
      assertThat(posted).allSatisfy(r -> {
        assertThat(r.path()).isEqualTo("/callback?order=17");
        assertThat(r.signedBy(secret)).isTrue();
      });
      JsonNode created = Json.MAPPER.readTree(posted.get(0).body());
      assertThat(created.get("type").asText()).isEqualTo("activation.created");
      assertThat(created.at("/data/activationId").asLong()).isEqualTo(id);
      assertThat(created.at("/data/callbackUrl").asText()).isEqualTo(receiver.url("/callback?order=17"));
      JsonNode received = Json.MAPPER.readTree(posted.get(1).body());
      assertThat(received.get("type").asText()).isEqualTo("activation.received");
      assertThat(received.at("/data/code").asText()).isNotBlank();

      http.post("/api/v1/activations/" + id + "/finish", "", "x-api-key", key);
      assertThat(receiver.await(3, r -> true).get(2).body()).contains("activation.finished");
      Thread.sleep(Duration.ofSeconds(1).toMillis());
      assertThat(receiver.received()).as("nothing for the other activation, nothing at the endpoint")
          .hasSize(3).allSatisfy(r -> assertThat(r.body()).contains("\"activationId\":" + id));
    }
  }

  @Test
  void aCallbackNeedsAnEndpointToSignItAndAUrlThatIsOne() {
    String key = app.liveCustomer("5.00").key();
    assertProblem(http.post("/api/v1/activations", Json.write(Map.of("service", "wa", "country", "us",
        "callbackUrl", "https://93.184.216.34/cb")), "x-api-key", key), 409, "CONFLICT");
    http.post("/api/v1/webhooks", Json.write(Map.of("url", "https://93.184.216.34/hook")), "x-api-key", key);
    assertProblem(http.post("/api/v1/activations", Json.write(Map.of("service", "wa", "country", "us",
        "callbackUrl", "ftp://93.184.216.34/cb")), "x-api-key", key), 400, "BAD_REQUEST");
    assertProblem(http.post("/api/v1/activations", Json.write(Map.of("service", "wa", "country", "us",
        "callbackUrl", List.of("https://93.184.216.34/cb"))), "x-api-key", key), 400, "BAD_REQUEST");
  }
}
