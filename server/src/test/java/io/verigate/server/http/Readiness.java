package io.verigate.server.http;

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
 * A probe as a load balancer sends it, read without {@link RawHttp}'s check that nothing answers 5xx: a node that cannot
 * reach its database answers 503, on purpose.
 */
record Readiness(int status, JsonNode body, Duration took) {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static Readiness probe(String baseUrl, String path) {
    long started = System.nanoTime();
    try {
      HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      return new Readiness(response.statusCode(), Json.MAPPER.readTree(response.body()),
          Duration.ofNanos(System.nanoTime() - started));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  String state() {
    return body.get("status").asText();
  }
}
