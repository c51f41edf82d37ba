package io.verigate.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Clients polling as fast as they can, in the manner of wrk: a fixed number of keep-alive connections, each with one
 * request in flight and the next sent as soon as the previous answer is in. Requests go through the JDK client's async
 * API, so a few threads drive every connection. A request counts when it starts after the warm-up and ends within the
 * measured window; requests/second is that count over the window.
 */
final class PollLoad {

  record Result(String endpoint, int clients, long requests, long errors, double seconds, Latencies latencies) {
    double perSecond() {
      return requests / seconds;
    }
  }

  /** Polls {@code requestFor(i)} for i = 0, 1, 2, ... spread over the connections, and measures after the warm-up. */
  static Result run(String endpoint, IntFunction<HttpRequest> requestFor, int clients, Duration warmup,
      Duration measured) throws InterruptedException {
    HttpClient client = Api.newClient();
    Latencies latencies = new Latencies();
    AtomicLong errors = new AtomicLong();
    long windowStart = System.nanoTime() + warmup.toNanos();
    long windowEnd = windowStart + measured.toNanos();
    CountDownLatch stopped = new CountDownLatch(clients);
    for (int c = 0; c < clients; c++) {
      new Connection(client, requestFor, latencies, errors, windowStart, windowEnd, stopped).next();
    }
    if (!stopped.await(warmup.plus(measured).toSeconds() + 30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(endpoint + ": the clients did not stop within 30 s of the window's end");
    }
    return new Result(endpoint, clients, latencies.count(), errors.get(), measured.toNanos() / 1e9, latencies);
  }

  /** One connection's chain of requests, each sent from the completion of the previous one. */
  private record Connection(HttpClient client, IntFunction<HttpRequest> requestFor, Latencies latencies,
      AtomicLong errors, long windowStart, long windowEnd, CountDownLatch stopped) {
    private static final AtomicInteger NEXT = new AtomicInteger();

    void next() {
      long sent = System.nanoTime();
      if (sent >= windowEnd) {
        stopped.countDown();
        return;
      }
      client.sendAsync(requestFor.apply(NEXT.getAndIncrement()), HttpResponse.BodyHandlers.ofString())
          .whenComplete((reply, failure) -> {
            long done = System.nanoTime();
            boolean counted = sent >= windowStart && done <= windowEnd;
            if (counted && (failure != null || reply.statusCode() != 200)) {
              errors.incrementAndGet();
            } else if (counted) {
              latencies.add(done - sent);
            }
            next();
          });
    }
  }
}
