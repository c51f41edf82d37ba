package io.verigate.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Clients polling as fast as they can, in the manner of wrk: a fixed number of keep-alive connections, each with one
 * request in flight and the next sent as soon as the previous answer is in. A request counts when it starts after the
 * warm-up and ends within the measured window; requests/second is that count over the window.
 */
final class PollLoad {

  record Result(String endpoint, int connections, long requests, long errors, double seconds, double cpuSeconds,
      Latencies latencies) {
    double perSecond() {
      return requests / seconds;
    }

    double coresUsed() {
      return cpuSeconds / seconds;
    }
  }

  /**
   * Polls {@code pathFor(i)} for i = 0, 1, 2, ... spread over the connections, with the key as Bearer, and measures
   * after the warm-up.
   */
  static Result run(String endpoint, int port, String bearer, IntFunction<String> pathFor, int connections,
      Duration warmup, Duration measured) throws InterruptedException {
    Latencies latencies = new Latencies();
    AtomicLong errors = new AtomicLong();
    AtomicInteger next = new AtomicInteger();
    long windowStart = System.nanoTime() + warmup.toNanos();
    long windowEnd = windowStart + measured.toNanos();
    Runnable polling = () -> {
      try (KeepAliveConnection connection = new KeepAliveConnection(port)) {
        for (long sent = System.nanoTime(); sent < windowEnd; sent = System.nanoTime()) {
          byte[] request = KeepAliveConnection.get(pathFor.apply(next.getAndIncrement()), bearer);
          boolean ok;
          try {
            ok = connection.exchange(request).status() == 200;
          } catch (IOException e) {
            ok = false;
          }
          long done = System.nanoTime();
          if (sent >= windowStart && done <= windowEnd) {
            if (ok) {
              latencies.add(done - sent);
            } else {
              errors.incrementAndGet();
            }
          }
        }
      }
    };
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      Thread poller = new Thread(polling, "bench-poller-" + i);
      threads.add(poller);
      poller.start();
    }
    sleepUntil(windowStart);
    long cpuStart = CpuClock.nanos();
    sleepUntil(windowEnd);
    double cpuSeconds = (CpuClock.nanos() - cpuStart) / 1e9;
    for (Thread poller : threads) {
      poller.join();
    }
    return new Result(endpoint, connections, latencies.count(), errors.get(), measured.toNanos() / 1e9, cpuSeconds,
        latencies);
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
      Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
    }
  }
}
