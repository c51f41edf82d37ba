package io.verigate.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * Clients sending as fast as they can, in the manner of wrk: a fixed number of connections, each with one request in
 * flight and the next sent as soon as the previous answer is in. A request counts when it starts after the warm-up and
 * ends within the measured window; requests/second is that count over the window. Status polls use it over HTTP
 * keep-alive connections, and so do purchases; the raw claim rate uses it over JDBC connections.
 */
final class PollLoad {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /**
   * One connection of the load, used by one thread. {@link #send} makes the run's {@code n}-th request and returns when
   * it is answered; it throws when the answer is not the expected one, with the reason as message.
   */
  interface Client extends AutoCloseable {
    void send(int n) throws Exception;

    @Override
    void close();
  }

  /**
   * {@code generatorCpuSeconds} is what the clients' own threads spent in the window: the load runs in the node's JVM,
   * so {@code cpuSeconds} (the whole process) includes it. {@code firstError} says why the first failed request failed.
   */
  record Result(String endpoint, int connections, long requests, long errors, double seconds, double cpuSeconds,
      double generatorCpuSeconds, String firstError, Latencies latencies) {
    double perSecond() {
      return requests / seconds;
    }

    double coresUsed() {
      return cpuSeconds / seconds;
    }
  }

  /**
   * Polls {@code pathFor(i)} for i = 0, 1, 2, ... spread over the connections, with the key as Bearer, and measures
   * after the warm-up; a poll counts when answered 200.
   */
  static Result run(String endpoint, int port, String bearer, IntFunction<String> pathFor, int connections,
      Duration warmup, Duration measured) throws InterruptedException {
    return run(endpoint, connections, c -> http(port, n -> KeepAliveConnection.get(pathFor.apply(n), bearer),
        reply -> reply.status() == 200), warmup, measured, MachineWatch.NONE);
  }

  /** A client on a keep-alive connection of its own, sending {@code requestFor(n)}; {@code expected} judges answers. */
  static Client http(int port, IntFunction<byte[]> requestFor, Predicate<KeepAliveConnection.Response> expected) {
    KeepAliveConnection connection = new KeepAliveConnection(port);
    return new Client() {
      @Override
      public void send(int n) throws Exception {
        KeepAliveConnection.Response reply = connection.exchange(requestFor.apply(n));
        if (!expected.test(reply)) {
          throw new IllegalStateException("answered " + reply.status() + ": " + reply.text());
        }
      }

      @Override
      public void close() {
        connection.close();
      }
    };
  }

  /**
   * Opens {@code clientFor(c)} for each connection c and has each send until the window ends; {@code watch} starts and
   * stops with the measured window.
   */
  static Result run(String endpoint, int connections, IntFunction<Client> clientFor, Duration warmup, Duration measured,
      MachineWatch watch) throws InterruptedException {
    Latencies latencies = new Latencies();
    AtomicLong errors = new AtomicLong();
    AtomicLong generatorCpu = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    AtomicInteger next = new AtomicInteger();
    long windowStart = System.nanoTime() + warmup.toNanos();
    long windowEnd = windowStart + measured.toNanos();
    List<Thread> threads = new ArrayList<>();
    // A client keeps its connection open until the watch has stopped: a database backend that exits inside the window
    // takes its CPU time out of /proc before the watch can read it (the raw claim's backends did).
    CountDownLatch watchStopped = new CountDownLatch(1);
    for (int i = 0; i < connections; i++) {
      int index = i;
      Runnable sending = () -> {
        long cpuAtStart = -1;
        try (Client client = clientFor.apply(index)) {
          for (long sent = System.nanoTime(); sent < windowEnd; sent = System.nanoTime()) {
            if (cpuAtStart < 0 && sent >= windowStart) {
              cpuAtStart = THREADS.getCurrentThreadCpuTime();
            }
            String failure = null;
            try {
              client.send(next.getAndIncrement());
            } catch (Exception e) {
              failure = e.toString();
            }
            long done = System.nanoTime();
            if (sent >= windowStart && done <= windowEnd) {
              if (failure == null) {
                latencies.add(done - sent);
              } else {
                errors.incrementAndGet();
                firstError.compareAndSet(null, failure);
              }
            }
          }
          watchStopped.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
          // A client that could not even connect (the database's max_connections, say) shows in the errors.
          errors.incrementAndGet();
          firstError.compareAndSet(null, e.toString());
        }
        if (cpuAtStart >= 0) {
          generatorCpu.addAndGet(THREADS.getCurrentThreadCpuTime() - cpuAtStart);
        }
      };
      Thread sender = new Thread(sending, "bench-client-" + i);
      threads.add(sender);
      sender.start();
    }
    sleepUntil(windowStart);
    long cpuStart = CpuClock.nanos();
    watch.start();
    sleepUntil(windowEnd);
    watch.stop();
    watchStopped.countDown();
    double cpuSeconds = (CpuClock.nanos() - cpuStart) / 1e9;
    for (Thread sender : threads) {
      sender.join();
    }
    return new Result(endpoint, connections, latencies.count(), errors.get(), measured.toNanos() / 1e9, cpuSeconds,
        generatorCpu.get() / 1e9, firstError.get(), latencies);
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
      Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
    }
  }
}
