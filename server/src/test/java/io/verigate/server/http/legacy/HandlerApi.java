package io.verigate.server.http.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.http.support.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * {@code handler_api.php} as an sms-activate client calls it, for one API key. Every answer is checked the way
 * the protocol demands: HTTP 200 (errors included), and a token or JSON, never an HTML page.
 */
final class HandlerApi {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  /** The sandbox delivers a code within a second; this bounds a poll that would otherwise never end. */
  private static final int POLLS = 200;
  private static final Duration POLL_PAUSE = Duration.ofMillis(50);

  private final String baseUrl;
  private final String key;

  HandlerApi(String baseUrl, String key) {
    this.baseUrl = baseUrl;
    this.key = key;
  }

  HandlerApi withKey(String otherKey) {
    return new HandlerApi(baseUrl, otherKey);
  }

  /** One action with name, value pairs of parameters, sent as GET: the answer's body. */
  String call(String action, String... params) {
    return get(query(action, params)).body();
  }

  /** A JSON answer, refusing a token where JSON was due. */
  JsonNode json(String action, String... params) {
    String body = call(action, params);
    JsonNode json = parse(body);
    assertThat(json).as("%s answered %s", action, body).isNotNull();
    return json;
  }

  /** Polls getStatus until the answer matches, and returns it. */
  String awaitStatus(Bought bought, Predicate<String> done) throws InterruptedException {
    String status = call("getStatus", "id", bought.idText());
    for (int i = 0; i < POLLS && !done.test(status); i++) {
      Thread.sleep(POLL_PAUSE.toMillis());
      status = call("getStatus", "id", bought.idText());
    }
    assertThat(done.test(status)).as("activation %s still answers %s", bought.id(), status).isTrue();
    return status;
  }

  /** A number bought with getNumber: the activation id, and the phone in E.164 as gateways address it. */
  record Bought(int id, String e164) {
    String idText() {
      return String.valueOf(id);
    }
  }

  /** Buys a number with getNumber, asserting the ACCESS_NUMBER shape. */
  Bought buy(String... params) {
    String answer = call("getNumber", params);
    assertThat(answer).matches("ACCESS_NUMBER:\\d+:\\d+");
    String[] parts = answer.split(":");
    return new Bought(Integer.parseInt(parts[1]), "+" + parts[2]);
  }

  /** The raw query string of a request with this key, for requests that break the rules on purpose. */
  String query(String action, String... params) {
    List<String> pairs = new ArrayList<>();
    if (key != null) {
      pairs.add("api_key=" + encode(key));
    }
    if (action != null) {
      pairs.add("action=" + encode(action));
    }
    for (int i = 0; i < params.length; i += 2) {
      pairs.add(encode(params[i]) + "=" + encode(params[i + 1]));
    }
    return String.join("&", pairs);
  }

  record Reply(int status, String contentType, String body) {}

  Reply get(String query) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + LegacyRoutes.PATH + (query.isEmpty() ? "" : "?" + query))).GET());
  }

  Reply postForm(String form) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + LegacyRoutes.PATH))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)));
  }

  static JsonNode parse(String body) {
    try {
      return Json.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static Reply send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = CLIENT.send(request.timeout(Duration.ofSeconds(20)).build(),
          HttpResponse.BodyHandlers.ofString());
      Reply reply = new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
          response.body());
      assertThat(reply.status()).as("answered %s", reply.body()).isEqualTo(200);
      assertThat(reply.contentType()).as(reply.body()).matches("(text/plain|application/json).*");
      assertThat(reply.body()).doesNotContain("<");
      return reply;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
