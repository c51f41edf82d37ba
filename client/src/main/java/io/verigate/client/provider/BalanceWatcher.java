package io.verigate.client.provider;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Alerts before a provider's balance runs out: each {@link #check()} reads the balance and calls {@code onLow} when it
 * has fallen below the threshold, once per fall (it calls again only after the balance was back at or above the
 * threshold, e.g. after a top-up). {@link #every} runs the checks on a daemon thread; a failed read goes to
 * {@code onError} and the next check tries again.
 */
public final class BalanceWatcher implements AutoCloseable {
  private final VerificationProvider provider;
  private final BigDecimal threshold;
  private final Consumer<BigDecimal> onLow;
  private final Consumer<ProviderException> onError;
  private boolean low;
  private ScheduledExecutorService schedule;

  public BalanceWatcher(VerificationProvider provider, BigDecimal threshold, Consumer<BigDecimal> onLow,
      Consumer<ProviderException> onError) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.threshold = Objects.requireNonNull(threshold, "threshold");
    this.onLow = Objects.requireNonNull(onLow, "onLow");
    this.onError = Objects.requireNonNull(onError, "onError");
  }

  /** Reads the balance once and returns it, calling {@code onLow} if it just fell below the threshold. */
  public BigDecimal check() {
    BigDecimal balance = provider.balance();
    boolean below = balance.compareTo(threshold) < 0;
    boolean fell;
    synchronized (this) {
      fell = below && !low;
      low = below;
    }
    if (fell) {
      onLow.accept(balance);
    }
    return balance;
  }

  /** Checks now and then every {@code period} until closed. */
  public synchronized BalanceWatcher every(Duration period) {
    if (schedule != null) {
      throw new IllegalStateException("already watching " + provider.name());
    }
    schedule = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "balance-watcher-" + provider.name());
      thread.setDaemon(true);
      return thread;
    });
    schedule.scheduleWithFixedDelay(() -> {
      try {
        check();
      } catch (ProviderException e) {
        onError.accept(e);
      }
    }, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  @Override
  public synchronized void close() {
    if (schedule != null) {
      schedule.shutdownNow();
    }
  }
}
