package io.verigate.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The node's admin API over HTTP: JSON in and out, the admin token as Bearer. Every way a call can fail
 * becomes an {@link OperatorFailure} with its exit code, so commands only deal with the happy path.
 */
final class AdminClient {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(60);

  private final String base;
  private final String adminToken;

  /** {@code base} may carry a path prefix (a node behind a reverse proxy); admin paths are appended to it. */
  AdminClient(URI base, String adminToken) {
    this.base = base.toString().replaceAll("/+$", "");
    this.adminToken = adminToken;
  }

  /** An empty JSON object to fill as a request body; null fields are sent as JSON null, which the server reads as absent. */
  static ObjectNode body() {
    return MAPPER.createObjectNode();
  }

  /** A request body of the fields that have a value; null ones are left out. */
  static ObjectNode body(Map<String, ?> fields) {
    ObjectNode body = body();
    fields.forEach((name, value) -> {
      if (value != null) {
        body.set(name, MAPPER.valueToTree(value));
      }
    });
    return body;
  }

  /** A query-string value or a path segment, percent-encoded. */
  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static String pretty(JsonNode node) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed JSON tree always serialises", e);
    }
  }

  JsonNode get(String path) {
    return send(request(path).GET());
  }

  JsonNode post(String path, ObjectNode body) {
    return sendJson("POST", path, body);
  }

  JsonNode put(String path, ObjectNode body) {
    return sendJson("PUT", path, body);
  }

  JsonNode patch(String path, ObjectNode body) {
    return sendJson("PATCH", path, body);
  }

  JsonNode delete(String path) {
    return send(request(path).DELETE());
  }

  JsonNode postCsv(String path, String csv) {
    return send(request(path).header("Content-Type", "text/csv").POST(BodyPublishers.ofString(csv)));
  }

  private JsonNode sendJson(String method, String path, ObjectNode body) {
    return send(request(path).header("Content-Type", "application/json")
        .method(method, BodyPublishers.ofString(body.toString())));
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .timeout(REPLY_TIMEOUT)
        .header("Authorization", "Bearer " + adminToken)
        .header("Accept", "application/json");
  }

  /** The reply's JSON, or null for an empty reply (204). */
  private JsonNode send(HttpRequest.Builder builder) {
    HttpRequest request = builder.build();
    HttpResponse<String> response;
    try {
      response = HTTP.send(request, BodyHandlers.ofString());
    } catch (IOException e) {
      throw Unreachable.failure(base, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperatorFailure(Main.INTERNAL, "interrupted while waiting for " + base);
    }
    if (response.statusCode() >= 400) {
      throw refusal(response);
    }
    if (response.body().isBlank()) {
      return null;
    }
    try {
      return MAPPER.readTree(response.body());
    } catch (JsonProcessingException e) {
      throw new OperatorFailure(Main.INTERNAL, request.uri() + " did not answer with JSON; is " + base + " a Verigate node?");
    }
  }

  /** A problem document's detail and code; 4xx means the operator's input was refused, 5xx is the node's fault. */
  private static OperatorFailure refusal(HttpResponse<String> response) {
    int status = response.statusCode();
    boolean problem = response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json");
    if (problem) {
      try {
        JsonNode body = MAPPER.readTree(response.body());
        String message = body.path("detail").asText() + " (" + body.path("code").asText() + ")";
        return new OperatorFailure(status < 500 ? Main.DATA_ERROR : Main.INTERNAL, message);
      } catch (JsonProcessingException e) {
        // not a problem document after all: reported below like any other unexpected reply
      }
    }
    return new OperatorFailure(Main.INTERNAL, "unexpected HTTP " + status + " from " + response.uri());
  }
}
