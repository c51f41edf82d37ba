package io.verigate.client.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpCallsTest {
  private final ManualTime time = new ManualTime();

  private static HttpHeaders headers(Map<String, String> values) {
    Map<String, List<String>> lists = new java.util.HashMap<>();
    values.forEach((k, v) -> lists.put(k, List.of(v)));
    return HttpHeaders.of(lists, (k, v) -> true);
  }

  @Test
  void readsRetryAfterInSeconds() {
    assertThat(HttpCalls.retryAfter(headers(Map.of("Retry-After", "42")), time)).contains(Duration.ofSeconds(42));
  }

  @Test
  void readsRetryAfterAsAnHttpDate() {
    // ManualTime starts at 2026-12-01T10:00:00Z.
    assertThat(HttpCalls.retryAfter(headers(Map.of("Retry-After", "Tue, 1 Dec 2026 10:01:30 GMT")), time))
        .contains(Duration.ofSeconds(90));
  }

  @Test
  void readsASpentQuotasResetFromRateLimitHeaders() {
    assertThat(HttpCalls.retryAfter(headers(Map.of("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "7")), time))
        .contains(Duration.ofSeconds(7));
    assertThat(HttpCalls.retryAfter(headers(Map.of("RateLimit-Remaining", "0", "RateLimit-Reset", "3")), time))
        .contains(Duration.ofSeconds(3));
  }

  @Test
  void aQuotaNotYetSpentAsksForNoWait() {
    assertThat(HttpCalls.retryAfter(headers(Map.of("X-RateLimit-Remaining", "5", "X-RateLimit-Reset", "7")), time)).isEmpty();
    assertThat(HttpCalls.retryAfter(headers(Map.of("Retry-After", "soon")), time)).isEmpty();
  }
}
