package io.verigate.server.http.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.verigate.server.account.RateLimited;
import io.verigate.server.account.Verdict;
import io.verigate.server.system.Failure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The draft's fields as Structured Field lists, and the REST dialect's 429 problem for a spent budget. */
class RateLimitHeadersTest {
  private static final Verdict ALLOWED = new Verdict(true, "purchase", 600, 60, 599, 12, 0);
  private static final Verdict REFUSED = new Verdict(false, "poll", 20, 10, 0, 7, 7);

  private Javalin server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void writesThePolicyAsAQuotedNameWithQuotaAndWindow() {
    assertThat(RateLimitHeaders.policy(ALLOWED)).isEqualTo("\"purchase\";q=600;w=60");
  }

  @Test
  void writesTheLimitAsWhatIsLeftAndTheSecondsUntilTheQuotaIsBack() {
    assertThat(RateLimitHeaders.limit(ALLOWED)).isEqualTo("\"purchase\";r=599;t=12");
    assertThat(RateLimitHeaders.limit(REFUSED)).isEqualTo("\"poll\";r=0;t=7");
  }

  @Test
  void answersAnAllowedRequestWithBothFieldsAndNoRetryAfter() throws Exception {
    HttpResponse<String> answer = serve(ctx -> {
      RateLimitHeaders.write(ctx, ALLOWED);
      ctx.result("ok");
    });

    assertThat(answer.headers().firstValue("RateLimit-Policy")).hasValue("\"purchase\";q=600;w=60");
    assertThat(answer.headers().firstValue("RateLimit")).hasValue("\"purchase\";r=599;t=12");
    assertThat(answer.headers().firstValue("Retry-After")).isEmpty();
  }

  @Test
  void writesNothingWhenNoBudgetWasSpent() throws Exception {
    HttpResponse<String> answer = serve(ctx -> {
      RateLimitHeaders.write(ctx, new Verdict(true, null, 0, 0, 0, 0, 0));
      ctx.result("ok");
    });

    assertThat(answer.headers().map()).doesNotContainKeys("ratelimit", "ratelimit-policy", "retry-after");
  }

  @Test
  void refusesASpentBudgetWith429AProblemNamingThePolicyAndRetryAfter() throws Exception {
    HttpResponse<String> answer = serve(ctx -> {
      throw new RateLimited(REFUSED);
    });

    assertThat(answer.statusCode()).isEqualTo(429);
    assertThat(answer.headers().firstValue("Content-Type")).hasValue(Problems.CONTENT_TYPE);
    assertThat(answer.headers().firstValue("Retry-After")).hasValue("7");
    assertThat(answer.headers().firstValue("RateLimit")).hasValue("\"poll\";r=0;t=7");
    assertThat(answer.headers().firstValue("RateLimit-Policy")).hasValue("\"poll\";q=20;w=10");
    JsonNode problem = Json.MAPPER.readTree(answer.body());
    assertThat(problem.get("status").asInt()).isEqualTo(429);
    assertThat(problem.get("code").asText()).isEqualTo("RATE_LIMITED");
    assertThat(problem.get("violated-policies").toString()).isEqualTo("[\"poll\"]");
    assertThat(problem.get("detail").asText()).contains("try again in 7 s");
  }

  /** One GET against a route, with failures written as the REST and admin dialects write them. */
  private HttpResponse<String> serve(io.javalin.http.Handler handler) throws Exception {
    server = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.routes.get("/answer", handler);
      cfg.routes.exception(Failure.class, (failure, ctx) -> Problems.write(ctx, failure));
    }).start("127.0.0.1", 0);
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/answer")).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
