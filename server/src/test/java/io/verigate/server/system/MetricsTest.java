package io.verigate.server.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.testing.PrometheusText;
import org.junit.jupiter.api.Test;

/** The series that no node-level test drives yet: the rate limiter's, which its limiter reports through here. */
class MetricsTest {
  private final Metrics metrics = new Metrics();

  @Test
  void countsRateLimitedRequestsByLimitClass() {
    metrics.rateLimited("purchase");
    metrics.rateLimited("purchase");
    metrics.rateLimited("status-poll");

    PrometheusText scrape = PrometheusText.parse(metrics.scrape());

    assertThat(scrape.value("verigate_rate_limited_total", "limit", "purchase")).hasValue(2);
    assertThat(scrape.value("verigate_rate_limited_total", "limit", "status-poll")).hasValue(1);
    assertThat(scrape.matching("verigate_rate_limited_total")).hasSize(2);
  }

  @Test
  void countsAMethodOutsideHttpsUsualOnesAsOther() {
    metrics.httpRequest(Metrics.UNMATCHED_ROUTE, "PROPFIND", 404, 1_000_000);
    metrics.httpRequest(Metrics.UNMATCHED_ROUTE, "BREW", 404, 1_000_000);

    PrometheusText scrape = PrometheusText.parse(metrics.scrape());

    assertThat(scrape.value("verigate_http_requests_seconds_count", "route", "unmatched", "method", "OTHER",
        "status", "404")).hasValue(2);
  }
}
