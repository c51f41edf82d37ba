package io.verigate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.verigate.server.testing.TestApp;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The quick-start client from the integration guides, run unchanged against a sandbox node except for its
 * base URL and key: buy a WhatsApp number in the US, then poll {@code /status} every 3 s, growing by 2 s up
 * to 15 s, until {@code code} is truthy, giving up after 120 s. It reads only the JSON bodies, never the
 * HTTP status, exactly like that client.
 */
class QuickStartFlowTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void theQuickStartClientGetsACodeFromTheSandbox() throws Exception {
    try (TestApp app = TestApp.start()) {
      String api = app.baseUrl();
      String key = URLEncoder.encode(app.sandboxKey(), StandardCharsets.UTF_8);

      JsonNode number = get(api + "/number?key=" + key + "&service=whatsapp&country=us");
      String activationId = number.get("activation_id").asText();
      assertThat(number.get("number").asText()).startsWith("+1");

      String code = pollForCode(api + "/status?key=" + key + "&id=" + activationId);

      assertThat(code).as("the code the client prints").matches("\\d{6}");
    }
  }

  /** The client's loop; returns the code, or null when it gives up. */
  private static String pollForCode(String statusUrl) throws Exception {
    long giveUpAt = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    long delaySeconds = 3;
    while (System.nanoTime() < giveUpAt) {
      Thread.sleep(Duration.ofSeconds(delaySeconds).toMillis());
      JsonNode code = get(statusUrl).get("code");
      if (truthy(code)) {
        return code.asText();
      }
      delaySeconds = Math.min(delaySeconds + 2, 15);
    }
    return null;
  }

  /** Truth as the scripting languages of those clients see it: null, false, 0 and "" are false. */
  private static boolean truthy(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return false;
    }
    if (value.isBoolean()) {
      return value.asBoolean();
    }
    if (value.isNumber()) {
      return value.asDouble() != 0;
    }
    return !value.isTextual() || !value.asText().isEmpty();
  }

  private static JsonNode get(String url) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }
}
