package io.verigate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The node's HTTP API as the benchmark's clients call it: HTTP/1.1 with keep-alive (the JDK client pools its
 * connections), the customer's live key as Bearer.
 */
final class Api {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final String baseUrl;
  private final String customerKey;

  Api(String baseUrl, String customerKey) {
    this.baseUrl = baseUrl;
    this.customerKey = customerKey;
  }

  static HttpClient newClient() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
  }

  /** A GET as the customer, e.g. {@code /api/v1/activations/42}. */
  HttpRequest get(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(TIMEOUT)
        .header("Authorization", "Bearer " + customerKey).GET().build();
  }

  /** A POST of a JSON body with the given Bearer token. */
  HttpRequest post(String path, String bearer, String json) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT)
        .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build();
  }

  /** The code {@code GET /api/v1/activations/{id}} shows right now, if any. */
  Optional<String> code(HttpClient client, int activationId) throws IOException, InterruptedException {
    HttpResponse<String> reply = client.send(get("/api/v1/activations/" + activationId),
        HttpResponse.BodyHandlers.ofString());
    if (reply.statusCode() != 200) {
      throw new IOException("GET activation " + activationId + " answered " + reply.statusCode() + ": " + reply.body());
    }
    JsonNode code = JSON.readTree(reply.body()).get("code");
    return code == null || code.isNull() ? Optional.empty() : Optional.of(code.asText());
  }
}
