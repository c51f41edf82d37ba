package io.verigate.server.http.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.http.support.Json;
import io.verigate.server.testing.TestApp;
import io.verigate.server.testing.TestNumbers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test node seen from outside, over real HTTP: the operator setting up sources and numbers, a customer buying
 * a live number, and the raw requests a gateway or Twilio would send.
 */
final class SupplyNode {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final AtomicInteger NEXT = new AtomicInteger(3000);

  private final TestApp app;

  SupplyNode(TestApp app) {
    this.app = app;
  }

  /** A live customer's activation waiting for a WhatsApp code. */
  record Bought(String key, int id, String phone) {}

  /** A unique name for a source, so each test reads health counters of its own. */
  static String uniqueName(String prefix) {
    return prefix + NEXT.incrementAndGet();
  }

  /** A valid mobile number of the country not used before in this JVM. */
  static String freshNumber(String countryIso) {
    return TestNumbers.freshMobile(countryIso);
  }

  JsonNode admin(String method, String path, String json) {
    HttpResponse<String> reply = send(method, path, "application/json", json.getBytes(StandardCharsets.UTF_8),
        "Authorization", "Bearer " + app.adminToken());
    assertThat(reply.statusCode()).as("%s %s: %s", method, path, reply.body()).isBetween(200, 299);
    return json(reply);
  }

  void importNumber(String source, String number) {
    admin("POST", "/admin/v1/numbers", "{\"source\":\"" + source + "\",\"numbers\":[\"" + number + "\"]}");
  }

  JsonNode health(String source) {
    return admin("GET", "/admin/v1/sources/" + source, "").get("health");
  }

  /** A new customer with a funded live key buys WhatsApp in the country; each test buys in a country of its own. */
  Bought buyWhatsApp(String countryIso) {
    String key = app.liveCustomer("5.00").key();
    HttpResponse<String> bought = send("POST", "/api/v1/activations", "application/json",
        ("{\"service\":\"wa\",\"country\":\"" + countryIso + "\"}").getBytes(StandardCharsets.UTF_8),
        "Authorization", "Bearer " + key);
    assertThat(bought.statusCode()).as(bought.body()).isBetween(200, 299);
    JsonNode activation = json(bought);
    return new Bought(key, activation.get("id").asInt(), activation.get("phoneNumber").asText());
  }

  JsonNode activation(Bought bought) {
    HttpResponse<String> reply = send("GET", "/api/v1/activations/" + bought.id(), null, null,
        "Authorization", "Bearer " + bought.key());
    assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
    return json(reply);
  }

  /** {@code headers} are name, value pairs; a null body sends none. */
  HttpResponse<String> send(String method, String path, String contentType, byte[] body, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.baseUrl() + path)).timeout(Duration.ofSeconds(10))
        .method(method, body == null || method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null && body != null) {
      request.header("Content-Type", contentType);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> reply = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(reply.statusCode()).as("%s %s answered %s", method, path, reply.body()).isLessThan(500);
      return reply;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(HttpResponse<String> reply) {
    try {
      return Json.MAPPER.readTree(reply.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
