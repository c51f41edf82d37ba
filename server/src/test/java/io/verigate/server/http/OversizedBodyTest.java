package io.verigate.server.http;

import static io.verigate.server.http.Refusals.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.http.gateway.SmsHubPushRoutes;
import io.verigate.server.http.support.BodyLimit;
import io.verigate.server.http.support.Json;
import io.verigate.server.testing.LogCapture;
import io.verigate.server.testing.TestApp;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A body over {@link BodyLimit#MAX_BYTES} is refused with 413 in every dialect's own format, whether it declares its
 * length or comes in chunks that a route reads, and the node logs no failure and no stack trace for it.
 */
class OversizedBodyTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final int OVERSIZED = (int) BodyLimit.MAX_BYTES + 1024;

  private static TestApp app;
  private static LogCapture log;

  @BeforeAll
  static void start() {
    app = TestApp.start();
    log = new LogCapture();
  }

  @AfterAll
  static void stop() {
    log.close();
    app.close();
  }

  @Test
  void restAnswersAProblem() throws Exception {
    for (boolean chunked : new boolean[] {false, true}) {
      RawHttp.Reply reply = post("/api/v1/activations", "application/json", jsonPadded(), chunked,
          "x-api-key", app.sandboxKey());

      assertProblem(reply, 413, "PAYLOAD_TOO_LARGE");
    }
    assertNothingFailed();
  }

  @Test
  void adminAndInboundAnswerAProblem() throws Exception {
    RawHttp.Reply admin = post("/admin/v1/numbers/import?source=nowhere", "text/csv", padded("+14155550101\n"), false,
        "Authorization", "Bearer " + app.adminToken());
    RawHttp.Reply inbound = post("/api/v1/inbound/sms", "application/json", jsonPadded(), true,
        "Authorization", "Bearer " + app.createSource().token());

    assertProblem(admin, 413, "PAYLOAD_TOO_LARGE");
    assertProblem(inbound, 413, "PAYLOAD_TOO_LARGE");
    assertNothingFailed();
  }

  @Test
  void smsActivateAnswersAToken() throws Exception {
    for (boolean chunked : new boolean[] {false, true}) {
      RawHttp.Reply reply = post("/stubs/handler_api.php", "application/x-www-form-urlencoded",
          padded("api_key=" + app.sandboxKey() + "&action=getBalance&padding="), chunked);

      assertThat(reply.status()).isEqualTo(413);
      assertThat(reply.contentType()).startsWith("text/plain");
      assertThat(reply.body()).isEqualTo("REQUEST_TOO_LARGE");
    }
    assertNothingFailed();
  }

  @Test
  void fiveSimAnswersItsPlainText() throws Exception {
    RawHttp.Reply reply = send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/v1/user/profile"))
        .header("Authorization", "Bearer " + app.sandboxKey())
        .method("GET", HttpRequest.BodyPublishers.ofByteArray(padded(""))));

    assertThat(reply.status()).isEqualTo(413);
    assertThat(reply.contentType()).startsWith("text/plain");
    assertThat(reply.body()).isEqualTo("the request body is larger than " + BodyLimit.MAX_BYTES + " bytes");
    assertNothingFailed();
  }

  @Test
  void smsHubAnswersItsErrorStatus() throws Exception {
    for (boolean chunked : new boolean[] {false, true}) {
      RawHttp.Reply reply = post(SmsHubPushRoutes.PATH, "application/json", jsonPadded(), chunked);

      assertThat(reply.status()).isEqualTo(413);
      assertThat(reply.json().get("status").asText()).isEqualTo("ERROR");
      assertThat(reply.json().get("error").asText()).contains("larger than");
    }
    assertNothingFailed();
  }

  private static void assertNothingFailed() {
    assertThat(log.events()).noneMatch(event -> event.getThrowableProxy() != null || event.getLevel() == Level.ERROR);
  }

  /** A JSON object with one long text field, well-formed but over the limit. */
  private static byte[] jsonPadded() {
    byte[] body = padded("{\"padding\":\"");
    body[body.length - 2] = '"';
    body[body.length - 1] = '}';
    return body;
  }

  /** {@code start} followed by letters, over the limit in all. */
  private static byte[] padded(String start) {
    byte[] body = new byte[OVERSIZED];
    Arrays.fill(body, (byte) 'x');
    byte[] head = start.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(head, 0, body, 0, head.length);
    return body;
  }

  /** A POST whose length is declared, or sent in chunks of unknown total length. */
  private static RawHttp.Reply post(String path, String contentType, byte[] body, boolean chunked, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.baseUrl() + path))
        .header("Content-Type", contentType)
        .POST(chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
            : HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return send(request);
  }

  private static RawHttp.Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode json = null;
    try {
      json = Json.MAPPER.readTree(response.body());
    } catch (IOException notJson) {
      // a text answer
    }
    return new RawHttp.Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
        response.body(), json, response.headers());
  }
}
