package io.verigate.server.inbound.smpp;

import static io.verigate.server.testing.Eventually.eventually;
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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test node as the operator and a customer see it over HTTP (SMPP sources, numbers, a live purchase), and its
 * inbound journal as the tests read it.
 */
final class SmppNode {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final AtomicInteger NEXT = new AtomicInteger(5000);

  private final TestApp app;

  SmppNode(TestApp app) {
    this.app = app;
  }

  /** A live customer's activation waiting for a WhatsApp code on {@code phone}. */
  record Bought(String key, int id, String phone) {}

  static String uniqueName(String prefix) {
    return prefix + NEXT.incrementAndGet();
  }

  /** A valid mobile number of the country not used before in this JVM, in E.164. */
  static String freshNumber(String countryIso) {
    return TestNumbers.freshMobile(countryIso);
  }

  /** An smpp source bound to the SMSC's account; {@code extra} adds JSON fields such as {@code "bindType":"transceiver"}. */
  String smppSource(FakeSmsc smsc, String systemId, String password, String extra) {
    String name = uniqueName("smsc");
    admin("POST", "/admin/v1/sources", "{\"name\":\"" + name + "\",\"type\":\"smpp\",\"host\":\"127.0.0.1\",\"port\":"
        + smsc.port() + ",\"systemId\":\"" + systemId + "\",\"password\":\"" + password + "\"" + extra + "}");
    return name;
  }

  JsonNode admin(String method, String path, String json) {
    HttpResponse<String> reply = send(method, path, json, app.adminToken());
    assertThat(reply.statusCode()).as("%s %s: %s", method, path, reply.body()).isBetween(200, 299);
    return json(reply);
  }

  JsonNode source(String name) {
    return admin("GET", "/admin/v1/sources/" + name, null);
  }

  /** A new funded live customer buys WhatsApp on a number the source serves, in a country no other test uses. */
  Bought buyWhatsApp(String source, String countryIso) {
    String number = freshNumber(countryIso);
    admin("POST", "/admin/v1/numbers", "{\"source\":\"" + source + "\",\"numbers\":[\"" + number + "\"]}");
    String key = app.liveCustomer("5.00").key();
    HttpResponse<String> bought = send("POST", "/api/v1/activations", "{\"service\":\"wa\",\"country\":\"" + countryIso + "\"}", key);
    assertThat(bought.statusCode()).as(bought.body()).isBetween(200, 299);
    JsonNode activation = json(bought);
    assertThat(activation.get("phoneNumber").asText()).isEqualTo(number);
    return new Bought(key, activation.get("id").asInt(), number);
  }

  JsonNode activation(Bought bought) {
    HttpResponse<String> reply = send("GET", "/api/v1/activations/" + bought.id(), null, bought.key());
    assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
    return json(reply);
  }

  /**
   * Waits until the source's link reports its {@code binds}-th bind. Only the ESME knows when a bind is complete: the
   * SMSC sends bind_resp before the ESME has read it, and cutting the link in between loses the resp.
   */
  void awaitBound(String source, int binds) {
    eventually(source + " bound " + binds + " times", () -> {
      JsonNode link = source(source).get("smpp");
      return link.get("binds").asInt() >= binds && link.get("linkState").asText().equals("bound");
    });
  }

  /** The texts the inbound journal holds for a receiving number, oldest first. */
  List<String> journal(String receiver) {
    return app.journal(receiver);
  }

  HttpResponse<String> send(String method, String path, String json, String bearer) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.baseUrl() + path)).timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + bearer)
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    try {
      return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
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
