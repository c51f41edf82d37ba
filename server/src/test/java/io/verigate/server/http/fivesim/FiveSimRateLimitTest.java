package io.verigate.server.http.fivesim;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.verigate.server.account.RateLimited;
import io.verigate.server.account.Verdict;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A spent budget in 5sim's words: 429 for a key's, 503 for a client address's (requests without a valid key), as 5sim
 * answers and its clients tell apart (ErikPelli's fivesim: API_KEY_LIMIT and LIMIT_ERROR), with the draft's fields.
 */
class FiveSimRateLimitTest {
  private Javalin server;

  @BeforeEach
  void start() {
    server = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.routes.get("/v1/user/check/1", FiveSimRoutes.answered(ctx -> {
        throw new RateLimited(new Verdict(false, "poll", 12000, 60, 0, 41, 41));
      }));
      cfg.routes.get("/v1/guest/countries", FiveSimRoutes.answered(ctx -> {
        throw new RateLimited(new Verdict(false, "anonymous", 600, 60, 0, 5, 5));
      }));
    }).start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  @Test
  void aKeysSpentBudgetIs429WithTheApiLimitInItsWords() throws Exception {
    HttpResponse<String> answer = get("/v1/user/check/1");

    assertThat(answer.statusCode()).isEqualTo(429);
    assertThat(answer.body()).isEqualTo("api limit is 12000 requests per 60 seconds");
    assertThat(answer.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
    assertThat(answer.headers().firstValue("Retry-After")).hasValue("41");
    assertThat(answer.headers().firstValue("RateLimit")).hasValue("\"poll\";r=0;t=41");
  }

  @Test
  void anAddressesSpentBudgetIs503WithTheIpAddressLimit() throws Exception {
    HttpResponse<String> answer = get("/v1/guest/countries");

    assertThat(answer.statusCode()).isEqualTo(503);
    assertThat(answer.body()).isEqualTo("ip address limit is 600 requests per 60 seconds");
    assertThat(answer.headers().firstValue("Retry-After")).hasValue("5");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
