package io.verigate.server.inbound.smpp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), new Random(42));

  @Test
  void doublesEachWaitUpToTheCapWithinTheUpperHalfOfEachStep() {
    long[] steps = {1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000};
    for (long step : steps) {
      assertThat(backoff.next().toMillis()).isBetween(step / 2, step);
    }
  }

  @Test
  void spreadsTheWaitsOfLinksThatFailedTogether() {
    List<Long> firstWaits = new ArrayList<>();
    for (int link = 0; link < 20; link++) {
      firstWaits.add(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), new Random(link)).next().toMillis());
    }
    assertThat(new HashSet<>(firstWaits)).as("distinct first waits").hasSizeGreaterThan(10);
  }

  @Test
  void startsOverAfterASuccessfulBind() {
    for (int i = 0; i < 10; i++) {
      backoff.next();
    }

    backoff.reset();

    assertThat(backoff.next().toMillis()).isBetween(500L, 1_000L);
  }
}
