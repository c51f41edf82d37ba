package io.verigate.server.http;

import static io.verigate.server.http.Refusals.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.http.support.Json;
import io.verigate.server.testing.TestApp;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests the HTTP server refuses before any route runs (a NUL, an encoded separator or dot segment, a broken
 * escape, an oversized header) are answered in the dialect of their path, never with Jetty's HTML page. Paths
 * the JDK's client will not send go over a raw socket, byte for byte.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedRequestTest {
  private final TestApp app = TestApp.start();

  @AfterAll
  void stop() {
    app.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/api/v1/activations/%00",
      "/health%00",
      "/api/v1/wallet%2Fbalance",
      "/api/v1/activations/%2e%2e/admin/v1/customers",
      "/api/v1/activations/%25",
      "/api/v1/activations/%zz",
      "/api/v1/activations/12%",
      "/api/v1/activations/%C0%AF",
      "/api/v1/activations/%u002F",
      "/admin/v1/customers/%00/keys"})
  void aMalformedPathIsABadRequestProblem(String path) throws IOException {
    Exchange reply = exchange(path);

    assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
    assertThat(reply.header("content-type")).as(reply.toString()).startsWith("application/problem+json");
    JsonNode problem = Json.MAPPER.readTree(reply.body());
    assertThat(problem.get("code").asText()).isEqualTo("BAD_REQUEST");
    assertThat(problem.get("status").asInt()).isEqualTo(400);
    assertThat(problem.get("detail").asText()).startsWith("the request could not be read");
    assertThat(reply.header("connection")).as("the connection is not reused").isEqualTo("close");
    assertThat(reply.header("x-content-type-options")).isEqualTo("nosniff");
    assertNoPageAndNoStack(reply);
  }

  @Test
  void theJdkClientGetsTheSameProblemForAPathItWillSend() {
    RawHttp http = new RawHttp(app.baseUrl());

    assertProblem(http.get("/api/v1/activations/%00", "x-api-key", app.sandboxKey()), 400, "BAD_REQUEST");
    assertProblem(http.get("/api/v1/wallet%2Fbalance", "x-api-key", app.sandboxKey()), 400, "BAD_REQUEST");
  }

  /** Jetty drops the connection after a refusal; a client that pooled it would fail its next request. */
  @Test
  void aRefusalDoesNotBreakTheClientsNextRequest() {
    RawHttp http = new RawHttp(app.baseUrl());

    for (int i = 0; i < 20; i++) {
      assertThat(http.get("/api/v1/activations/%00").status()).isEqualTo(400);
      assertThat(http.get("/health").status()).isEqualTo(200);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/stubs/%2e%2e/handler_api.php", "/stubs/handler_api.php%2F", "/stubs/handler%25api.php"})
  void aMalformedSmsActivatePathIsTheBadActionTokenWithHttp200(String path) throws IOException {
    Exchange reply = exchange(path + "?api_key=" + app.sandboxKey() + "&action=getBalance");

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(reply.header("content-type")).as(reply.toString()).startsWith("text/plain");
    assertThat(reply.body()).isEqualTo("BAD_ACTION");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/v1/user%2Fprofile", "/v1/user/check/%2e%2e", "/v1/guest/products/%u0041/any"})
  void aMalformedFiveSimPathIsAPlainTextBadRequest(String path) throws IOException {
    Exchange reply = exchange(path, "Authorization: Bearer " + app.sandboxKey());

    assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
    assertThat(reply.header("content-type")).as(reply.toString()).startsWith("text/plain");
    assertThat(reply.body()).startsWith("the request could not be read");
    assertNoPageAndNoStack(reply);
  }

  /** Jetty keeps no path of a request line it cannot parse, so no dialect can be told: a problem, never a page. */
  @ParameterizedTest
  @ValueSource(strings = {"/stubs/handler_api.php%00", "/v1/user/check/%zz"})
  void aRequestLineTooBrokenToParseIsAProblemWhateverItsPath(String path) throws IOException {
    Exchange reply = exchange(path);

    assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
    assertThat(reply.header("content-type")).as(reply.toString()).startsWith("application/problem+json");
    assertThat(Json.MAPPER.readTree(reply.body()).get("code").asText()).isEqualTo("BAD_REQUEST");
    assertThat(reply.header("x-content-type-options")).isEqualTo("nosniff");
    assertThat(reply.header("cache-control")).isEqualTo("no-store");
    assertNoPageAndNoStack(reply);
  }

  @Test
  void anOversizedHeaderIsAProblemToo() throws IOException {
    Exchange reply = exchange("/api/v1/wallet/balance", "X-Padding: " + "x".repeat(10 * 1024));

    assertThat(reply.status()).as(reply.toString()).isBetween(400, 499);
    assertThat(reply.header("content-type")).as(reply.toString()).startsWith("application/problem+json");
    assertNoPageAndNoStack(reply);
  }

  private static void assertNoPageAndNoStack(Exchange reply) {
    assertThat(reply.body()).doesNotContain("<", "org.eclipse", "Exception", "\tat ");
  }

  /** A GET over a fresh socket, its request line and headers sent exactly as written. */
  private Exchange exchange(String path, String... headerLines) throws IOException {
    return Exchange.get(app.app().port(), path, headerLines);
  }

  /** One HTTP/1.1 exchange: the status, the headers by lower-case name, and the body. */
  private record Exchange(int status, Map<String, String> headers, String body) {
    static Exchange get(int port, String path, String... headerLines) throws IOException {
      StringBuilder request = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      for (String line : headerLines) {
        request.append(line).append("\r\n");
      }
      request.append("Connection: close\r\n\r\n");
      try (Socket socket = new Socket("127.0.0.1", port)) {
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return parse(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      }
    }

    private static Exchange parse(String response) {
      int end = response.indexOf("\r\n\r\n");
      assertThat(end).as("no complete response head in %s", response).isPositive();
      String[] lines = response.substring(0, end).split("\r\n");
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
      return new Exchange(Integer.parseInt(lines[0].split(" ")[1]), headers, response.substring(end + 4));
    }

    String header(String name) {
      return headers.getOrDefault(name, "");
    }
  }
}
