package io.verigate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.testing.TestApp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What any HTTP client may rely on beyond the bodies: method errors, auth challenges, a funded sandbox. */
class HttpHygieneTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static TestApp app;

  @BeforeAll
  static void start() {
    app = TestApp.start();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void answersAWrongMethodOnAKnownPathWith405AndTheAllowedMethods() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v1/wallet/balance"))
        .DELETE().header("x-api-key", app.sandboxKey()));

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(response.body()).contains("\"code\":\"METHOD_NOT_ALLOWED\"");
  }

  @Test
  void challengesAMissingKeyWithWwwAuthenticate() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v1/wallet/balance")).GET());

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"verigate\"");
  }

  @Test
  void showsAFundedSandboxWalletBeforeTheFirstPurchase() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v1/wallet/balance"))
        .GET().header("x-api-key", app.sandboxKey()));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"balance\":\"100.00\"");
  }

  private static URI uri(String path) {
    return URI.create(app.baseUrl() + path);
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
