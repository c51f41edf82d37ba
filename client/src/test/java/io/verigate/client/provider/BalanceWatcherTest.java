package io.verigate.client.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BalanceWatcherTest {
  private final ManualTime time = new ManualTime();
  private final InMemoryProvider provider = new InMemoryProvider("fake", new BigDecimal("1.20"), time, time);
  private final List<BigDecimal> alerts = new CopyOnWriteArrayList<>();
  private final List<ProviderException> errors = new CopyOnWriteArrayList<>();
  private final BalanceWatcher watcher = new BalanceWatcher(provider, new BigDecimal("1.00"), alerts::add, errors::add);

  @Test
  void callsBackOnceWhenTheBalanceFallsBelowTheThreshold() {
    assertThat(watcher.check()).isEqualByComparingTo("1.20");
    assertThat(alerts).isEmpty();

    provider.buy(Order.of("wa", "us"));
    watcher.check();
    provider.buy(Order.of("wa", "us"));
    watcher.check();

    assertThat(alerts).hasSize(1);
    assertThat(alerts.get(0)).isEqualByComparingTo("0.70");
  }

  @Test
  void callsBackAgainAfterATopUpAndAnotherFall() {
    provider.setBalance(new BigDecimal("0.90"));
    watcher.check();
    provider.setBalance(new BigDecimal("1.00"));
    watcher.check();
    provider.setBalance(new BigDecimal("0.99"));
    watcher.check();

    assertThat(alerts).extracting(BigDecimal::toPlainString).containsExactly("0.90", "0.99");
  }

  @Test
  void aScheduledWatcherReportsFailedReadsAndKeepsChecking() throws InterruptedException {
    VerificationProvider flaky = new VerificationProvider() {
      private int reads;

      @Override
      public String name() {
        return "flaky";
      }

      @Override
      public synchronized BigDecimal balance() {
        if (reads++ == 0) {
          throw ProviderException.down("first read fails", null);
        }
        return BigDecimal.ZERO;
      }

      @Override
      public BoughtNumber buy(Order order) {
        throw new UnsupportedOperationException();
      }

      @Override
      public String awaitCode(BoughtNumber number, Duration timeout) {
        throw new UnsupportedOperationException();
      }

      @Override
      public void finish(BoughtNumber number) {}

      @Override
      public void cancel(BoughtNumber number) {}

      @Override
      public void resend(BoughtNumber number) {}
    };
    CountDownLatch low = new CountDownLatch(1);
    try (BalanceWatcher scheduled = new BalanceWatcher(flaky, BigDecimal.ONE, balance -> low.countDown(), errors::add)
        .every(Duration.ofMillis(10))) {
      assertThat(low.await(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).reason()).isEqualTo(ProviderException.Reason.PROVIDER_DOWN);
  }
}
