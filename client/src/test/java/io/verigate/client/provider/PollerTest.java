package io.verigate.client.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.verigate.client.provider.ProviderException.Reason;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PollerTest {
  private final ManualTime time = new ManualTime();
  private final Poller poller = new Poller(time, time);

  @Test
  void checksAtOnceThenEveryThreeSecondsGrowingByHalfUpToFifteen() throws InterruptedException {
    AtomicInteger checks = new AtomicInteger();

    String code = poller.await(Duration.ofMinutes(5), () -> checks.incrementAndGet() == 8 ? Optional.of("123456") : Optional.empty());

    assertThat(code).isEqualTo("123456");
    assertThat(time.sleeps()).containsExactly(Duration.ofMillis(3000), Duration.ofMillis(4500), Duration.ofMillis(6750),
        Duration.ofMillis(10125), Duration.ofSeconds(15), Duration.ofSeconds(15), Duration.ofSeconds(15));
  }

  @Test
  void aRateLimitedCheckWaitsAtLeastTheRetryAfterTheProviderAskedFor() throws InterruptedException {
    AtomicInteger checks = new AtomicInteger();

    String code = poller.await(Duration.ofMinutes(5), () -> {
      if (checks.incrementAndGet() == 1) {
        throw ProviderException.rateLimited("slow down", Duration.ofSeconds(40));
      }
      return Optional.of("777");
    });

    assertThat(code).isEqualTo("777");
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(40));
  }

  @Test
  void aRetryAfterShorterThanTheIntervalKeepsTheInterval() throws InterruptedException {
    AtomicInteger checks = new AtomicInteger();

    poller.await(Duration.ofMinutes(5), () -> {
      if (checks.incrementAndGet() == 1) {
        throw ProviderException.rateLimited("slow down", Duration.ofSeconds(1));
      }
      return Optional.of("777");
    });

    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(3));
  }

  @Test
  void givesUpWithTimeoutAtTheDeadlineWithoutSleepingPastIt() {
    assertThatThrownBy(() -> poller.await(Duration.ofSeconds(10), Optional::empty))
        .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TIMEOUT));

    assertThat(time.sleeps()).isEqualTo(List.of(Duration.ofMillis(3000), Duration.ofMillis(4500), Duration.ofMillis(2500)));
  }

  @Test
  void otherFailuresEndTheWait() {
    assertThatThrownBy(() -> poller.await(Duration.ofMinutes(1), () -> {
      throw new ProviderException(Reason.ENDED, "cancelled");
    })).isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(Reason.ENDED));
    assertThat(time.sleeps()).isEmpty();
  }
}
