package io.verigate.server.http.fivesim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.http.support.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The 5sim dialect as its clients call it: GET with an optional {@code Authorization: Bearer} key. Every reply
 * is checked to be no 5xx, because no request of a 5sim client may produce one.
 */
final class FiveSimHttp {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String baseUrl;

  FiveSimHttp(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** A reply; {@code json} is null when the body is not JSON. */
  record Reply(int status, String contentType, String body, JsonNode json) {}

  Reply guest(String pathAndQuery) {
    return send(pathAndQuery, null);
  }

  Reply get(String pathAndQuery, String key) {
    return send(pathAndQuery, key);
  }

  /** A successful JSON reply, as 5sim's clients require it (PyFiveSim checks the exact content type). */
  JsonNode json(String pathAndQuery, String key) {
    Reply reply = send(pathAndQuery, key);
    assertThat(reply.status()).as("GET %s: %s", pathAndQuery, reply.body()).isEqualTo(200);
    assertThat(reply.contentType()).isEqualTo("application/json");
    return reply.json();
  }

  /** Asserts a 5sim refusal: this status and exactly this plain-text body. */
  static void assertRefused(Reply reply, int status, String text) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.body()).isEqualTo(text);
    assertThat(reply.contentType()).startsWith("text/plain");
  }

  private Reply send(String pathAndQuery, String key) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
        .timeout(Duration.ofSeconds(30))
        .header("Accept", "application/json")
        .GET();
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    try {
      HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
      Reply reply = new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
          response.body(), parse(response.body()));
      assertThat(reply.status()).as("GET %s answered %s", pathAndQuery, reply.body()).isLessThan(500);
      return reply;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode parse(String body) {
    try {
      return body == null || body.isBlank() ? null : Json.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
