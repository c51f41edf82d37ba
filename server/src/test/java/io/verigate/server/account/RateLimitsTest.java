package io.verigate.server.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.verigate.server.system.Config;
import io.verigate.server.system.Quota;
import io.verigate.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Budgets in memory, on a clock the test moves: what is left, when it comes back, and when to try again. */
class RateLimitsTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
  private final RateLimits limits = RateLimits.inMemory(Map.of(
      LimitClass.PURCHASE, new Quota(3, Duration.ofMinutes(1)),
      LimitClass.POLL, new Quota(5, Duration.ofSeconds(10)),
      LimitClass.OTHER, new Quota(100, Duration.ofMinutes(1)),
      LimitClass.ANONYMOUS, new Quota(2, Duration.ofMinutes(1))), clock);

  @Test
  void spendsTheQuotaThenRefuses() {
    Verdict first = limits.take("key:k1", LimitClass.PURCHASE);
    assertThat(first).isEqualTo(new Verdict(true, "purchase", 3, 60, 2, 60, 0));
    clock.advance(Duration.ofSeconds(12));
    assertThat(limits.take("key:k1", LimitClass.PURCHASE).remaining()).isEqualTo(1);
    Verdict last = limits.take("key:k1", LimitClass.PURCHASE);
    assertThat(last.allowed()).isTrue();
    assertThat(last.remaining()).isZero();
    assertThat(last.resetSeconds()).as("the quota comes back when the window that began at the first request ends")
        .isEqualTo(48);

    Verdict refused = limits.take("key:k1", LimitClass.PURCHASE);

    assertThat(refused).isEqualTo(new Verdict(false, "purchase", 3, 60, 0, 48, 48));
  }

  @Test
  void givesTheWholeQuotaBackWhenTheWindowEnds() {
    IntStream.range(0, 3).forEach(i -> limits.take("key:k1", LimitClass.PURCHASE));
    clock.advance(Duration.ofSeconds(59));
    assertThat(limits.take("key:k1", LimitClass.PURCHASE).allowed()).as("a second before the window ends").isFalse();

    clock.advance(Duration.ofSeconds(1));

    Verdict back = limits.take("key:k1", LimitClass.PURCHASE);
    assertThat(back.allowed()).isTrue();
    assertThat(back.remaining()).isEqualTo(2);
    assertThat(back.resetSeconds()).isEqualTo(60);
  }

  @Test
  void retryAfterIsRoundedUpToAWholeSecondAndNeverZero() {
    IntStream.range(0, 5).forEach(i -> limits.take("key:k1", LimitClass.POLL));
    clock.advance(Duration.ofMillis(9_700));

    Verdict refused = limits.take("key:k1", LimitClass.POLL);

    assertThat(refused.allowed()).isFalse();
    assertThat(refused.resetSeconds()).as("300 ms left").isEqualTo(1);
    assertThat(refused.retryAfterSeconds()).isEqualTo(1);
  }

  @Test
  void eachPartitionAndEachClassHasABudgetOfItsOwn() {
    IntStream.range(0, 3).forEach(i -> limits.take("key:k1", LimitClass.PURCHASE));
    assertThat(limits.take("key:k1", LimitClass.PURCHASE).allowed()).isFalse();

    assertThat(limits.take("key:k2", LimitClass.PURCHASE).allowed()).as("another key").isTrue();
    assertThat(limits.take("key:k1", LimitClass.POLL).allowed()).as("another class of the same key").isTrue();
    assertThat(limits.take("addr:203.0.113.9", LimitClass.ANONYMOUS))
        .isEqualTo(new Verdict(true, "anonymous", 2, 60, 1, 60, 0));
  }

  @Test
  void aRefusalBecomesARateLimitedFailureThatSaysWhichBudgetIsSpent() {
    IntStream.range(0, 2).forEach(i -> limits.take("addr:203.0.113.9", LimitClass.ANONYMOUS));

    RateLimited limited = new RateLimited(limits.take("addr:203.0.113.9", LimitClass.ANONYMOUS));

    assertThat(limited.perAddress()).isTrue();
    assertThat(limited.retryAfterSeconds()).isEqualTo(60);
    assertThat(limited.getMessage()).contains("\"anonymous\"", "2 requests per 60 s");
    assertThatThrownBy(() -> new RateLimited(limits.take("key:k9", LimitClass.OTHER)))
        .as("an allowed verdict refuses nothing").isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void disabledAllowsEverythingAndCountsNothing() {
    RateLimits off = RateLimits.disabled();

    IntStream.range(0, 1_000).forEach(i -> assertThat(off.take("key:k1", LimitClass.PURCHASE).allowed()).isTrue());
    assertThat(off.take("key:k1", LimitClass.PURCHASE).counted()).isFalse();
  }

  @Test
  void followsTheConfiguration() {
    RateLimits configured = RateLimits.of(Config.defaults(Map.of("rate-limit-poll", "2/5s")), null, clock);
    assertThat(configured.take("key:k1", LimitClass.POLL)).isEqualTo(new Verdict(true, "poll", 2, 5, 1, 5, 0));
    assertThat(configured.take("key:k1", LimitClass.PURCHASE).quota()).as("the documented default").isEqualTo(600);

    RateLimits off = RateLimits.of(Config.defaults(Map.of("rate-limits", "off")), null, clock);
    assertThat(off.take("key:k1", LimitClass.POLL).counted()).isFalse();
  }
}
