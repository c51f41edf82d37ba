package io.verigate.server.system;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Background work (sweeps, sandbox deliveries). A failing task is logged and never kills its schedule. */
public final class Scheduler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Scheduler.class);
  private final ScheduledExecutorService executor;

  public Scheduler(int threads) {
    AtomicInteger n = new AtomicInteger();
    this.executor = Executors.newScheduledThreadPool(threads, r -> {
      Thread t = new Thread(r, "verigate-scheduler-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  public void every(Duration interval, String name, Runnable task) {
    executor.scheduleWithFixedDelay(guarded(name, task), interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  public void after(Duration delay, String name, Runnable task) {
    executor.schedule(guarded(name, task), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static Runnable guarded(String name, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (DatabaseUnavailable outage) {
        // The database logged the outage once; the task simply runs again next time.
        log.debug("background task '{}' skipped: {}", name, outage.getMessage());
      } catch (RuntimeException e) {
        log.error("background task '{}' failed", name, e);
      }
    };
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
