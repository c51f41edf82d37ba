package io.verigate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.http.support.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Plain HTTP for what the SDK does not speak: quick-start routes, admin setup, gateway pushes and
 * deliberately broken requests. Every reply is checked to be no 5xx, because bad input never is one.
 */
final class RawHttp {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String baseUrl;
  private final boolean refuseServerErrors;

  RawHttp(String baseUrl) {
    this(baseUrl, true);
  }

  private RawHttp(String baseUrl, boolean refuseServerErrors) {
    this.baseUrl = baseUrl;
    this.refuseServerErrors = refuseServerErrors;
  }

  /** The same client for a test that expects a 5xx on purpose (5sim's 503 for a spent address budget). */
  RawHttp allowingServerErrors() {
    return new RawHttp(baseUrl, false);
  }

  /** A reply; {@code json} is null when the body is not JSON. */
  record Reply(int status, String contentType, String body, JsonNode json, HttpHeaders headers) {
    String text(String field) {
      JsonNode value = json.get(field);
      return value == null || value.isNull() ? null : value.asText();
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  Reply get(String pathAndQuery, String... headers) {
    return send("GET", pathAndQuery, null, headers);
  }

  Reply post(String path, String body, String... headers) {
    return send("POST", path, body, headers);
  }

  Reply put(String path, String body, String... headers) {
    return send("PUT", path, body, headers);
  }

  /** {@code headers} are name, value pairs. */
  Reply send(String method, String pathAndQuery, String body, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
        .timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
      Reply reply = new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
          response.body(), parse(response.body()), response.headers());
      if (refuseServerErrors) {
        assertThat(reply.status()).as("%s %s answered %s", method, pathAndQuery, reply.body()).isLessThan(500);
      }
      return reply;
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + pathAndQuery + " failed", e);
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
