package io.verigate.server.http;

import static io.verigate.server.http.Refusals.assertProblem;
import static io.verigate.server.testing.Eventually.within;
import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.client.Activation;
import io.verigate.client.BuyRequest;
import io.verigate.server.testing.PrometheusText;
import io.verigate.server.testing.TestApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} as Prometheus scrapes it: after a purchase, an inbound SMS and a long poll on a fresh node, each
 * series carries exactly what happened, labelled by route template, outcome and code, never by a raw path or id.
 */
class MetricsApiTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  private static TestApp app;
  private static RawHttp http;
  private static AdminSetup.Gateway gateway;
  private static AdminSetup.Customer customer;
  private static Activation bought;
  private static PrometheusText duringPoll;
  private static PrometheusText after;

  /** One story on a fresh node, so every count below is exact; the tests read the scrapes it took. */
  @BeforeAll
  static void runTheStory() throws Exception {
    app = TestApp.start();
    http = new RawHttp(app.baseUrl());
    AdminSetup admin = new AdminSetup(app);
    gateway = admin.gateway();
    customer = admin.liveCustomer("10.00");
    admin.stock(gateway, "us", 1);

    bought = customer.client().buy(BuyRequest.of("wa", "us"));
    assertThat(http.post("/api/v1/activations", "{\"serviceCode\":\"nosuchservice\",\"countryIso\":\"us\"}",
        "x-api-key", customer.key()).status()).isEqualTo(400);
    assertThat(http.post("/api/v1/activations", "{\"serviceCode\":\"wa\",\"countryIso\":\"us\"}",
        "x-api-key", customer.key()).status()).isEqualTo(409);

    CompletableFuture<HttpResponse<String>> poll = HttpClient.newHttpClient().sendAsync(
        HttpRequest.newBuilder(URI.create(app.baseUrl() + "/api/v1/activations/" + bought.id() + "?wait=20"))
            .header("x-api-key", customer.key()).build(),
        HttpResponse.BodyHandlers.ofString());
    duringPoll = within(PATIENCE, "the long poll is parked", MetricsApiTest::scrape,
        scrape -> scrape.value("verigate_long_polls_parked").orElse(0) > 0);

    String messageId = "m-" + bought.id();
    assertThat(gateway.push(bought.phoneNumber(), "WhatsApp", "Your WhatsApp code: 482-913", messageId).status())
        .isEqualTo(200);
    assertThat(poll.get().statusCode()).isEqualTo(200);
    assertThat(gateway.push(bought.phoneNumber(), "WhatsApp", "Your WhatsApp code: 482-913", messageId).status())
        .isEqualTo(200);
    assertThat(gateway.push("+14155550101", "WhatsApp", "Your WhatsApp code: 111-222", "m-nobody").status())
        .isEqualTo(200);
    assertThat(gateway.push("not a number", "WhatsApp", "Your WhatsApp code: 111-222", "m-bad").status())
        .isEqualTo(400);
    assertThat(http.get("/no/such/path/" + bought.id()).status()).isEqualTo(404);

    // The poll is timed once its answer is written, which may follow its completion by a moment.
    after = within(PATIENCE, "the long poll is measured", MetricsApiTest::scrape,
        scrape -> scrape.value("verigate_http_requests_seconds_count", "route", "/api/v1/activations/{id}",
            "method", "GET", "status", "200").isPresent());
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void countsPurchasesByOutcomeAndRefusalsByCode() {
    assertThat(after.value("verigate_purchases_total", "outcome", "bought")).hasValue(1);
    assertThat(after.value("verigate_purchases_total", "outcome", "refused")).hasValue(2);
    assertThat(after.value("verigate_purchases_total", "outcome", "replayed")).hasValue(0);
    assertThat(after.value("verigate_purchases_total", "outcome", "failed")).hasValue(0);
    assertThat(after.value("verigate_purchase_refusals_total", "code", "UNKNOWN_SERVICE")).hasValue(1);
    assertThat(after.value("verigate_purchase_refusals_total", "code", "NO_NUMBERS")).hasValue(1);
    assertThat(after.value("verigate_purchase_refusals_total", "code", "NO_BALANCE")).hasValue(0);
  }

  @Test
  void countsInboundMessagesBySourceAndOutcome() {
    String source = gateway.name();

    assertThat(after.value("verigate_inbound_messages_total", "source", source, "outcome", "matched")).hasValue(1);
    assertThat(after.value("verigate_inbound_messages_total", "source", source, "outcome", "duplicate")).hasValue(1);
    assertThat(after.value("verigate_inbound_messages_total", "source", source, "outcome", "unmatched")).hasValue(1);
    assertThat(after.value("verigate_inbound_messages_total", "source", source, "outcome", "rejected")).hasValue(1);
  }

  @Test
  void timesHttpRequestsByRouteTemplateMethodAndStatus() {
    assertThat(after.value("verigate_http_requests_seconds_count", "route", "/api/v1/activations", "method", "POST",
        "status", "201")).hasValue(1);
    assertThat(after.value("verigate_http_requests_seconds_count", "route", "/api/v1/activations", "method", "POST",
        "status", "409")).hasValue(1);
    assertThat(after.value("verigate_http_requests_seconds_count", "route", "unmatched", "method", "GET",
        "status", "404")).hasValue(1);
    // The long poll was held until the SMS landed, and its time says so.
    assertThat(after.value("verigate_http_requests_seconds_sum", "route", "/api/v1/activations/{id}", "method", "GET",
        "status", "200").orElseThrow()).isGreaterThan(0.0);
    assertThat(after.value("verigate_http_requests_seconds_bucket", "route", "/api/v1/activations", "method", "POST",
        "status", "201", "le", "30.0")).hasValue(1);
  }

  @Test
  void labelsNeverCarryARawPathOrAnId() {
    String id = String.valueOf(bought.id());

    assertThat(after.samples()).isNotEmpty().allSatisfy(sample -> sample.labels().values().forEach(label -> {
      assertThat(label).doesNotContain(id).doesNotContain("/no/such/path");
      assertThat(label).doesNotContain(bought.phoneNumber());
    }));
  }

  @Test
  void gaugesParkedLongPollsWhileTheyWait() {
    assertThat(duringPoll.value("verigate_long_polls_parked")).hasValue(1);
    assertThat(after.value("verigate_long_polls_parked")).hasValue(0);
  }

  @Test
  void reportsTheConnectionPool() {
    assertThat(after.value("verigate_hikaricp_connections_max", "pool", "verigate")).hasValue(10);
    assertThat(after.value("verigate_hikaricp_connections_active", "pool", "verigate").orElseThrow())
        .isBetween(0.0, 10.0);
    assertThat(after.value("verigate_hikaricp_connections_acquire_seconds_count", "pool", "verigate").orElseThrow())
        .isPositive();
    assertThat(after.value("verigate_db_connection_wait_seconds_count").orElseThrow()).isPositive();
    assertThat(after.value("verigate_db_connection_queue")).hasValue(0);
  }

  @Test
  void wantsTheAdminTokenUnlessMetricsArePublic() {
    assertProblem(http.get("/metrics"), 401, "BAD_KEY");
    assertProblem(http.get("/metrics", "Authorization", "Bearer " + customer.key()), 401, "BAD_KEY");

    try (TestApp open = TestApp.start(Map.of("metrics-public", "true"))) {
      RawHttp.Reply scraped = new RawHttp(open.baseUrl()).get("/metrics");
      assertThat(scraped.status()).isEqualTo(200);
      assertThat(PrometheusText.parse(scraped.body()).value("verigate_purchases_total", "outcome", "bought")).hasValue(0);
    }
  }

  private static PrometheusText scrape() {
    RawHttp.Reply scraped = http.get("/metrics", "Authorization", "Bearer " + app.adminToken());
    assertThat(scraped.status()).isEqualTo(200);
    assertThat(scraped.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    return PrometheusText.parse(scraped.body());
  }
}
