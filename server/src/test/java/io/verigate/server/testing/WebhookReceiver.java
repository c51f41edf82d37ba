package io.verigate.server.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * A customer's webhook receiver on loopback (the JDK's HTTP server): it keeps every request it gets and answers each
 * with the next scripted answer, 200 once the script runs out.
 */
public final class WebhookReceiver implements AutoCloseable {
  /** One request as it arrived. */
  public record Received(String path, Map<String, List<String>> headers, String body) {
    public String header(String name) {
      List<String> values = headers.get(name);
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Whether the request carries a valid Standard Webhooks signature by this secret. */
    public boolean signedBy(String secret) {
      return StandardWebhooks.verifies(secret, header("Webhook-id"), header("Webhook-timestamp"), body,
          header("Webhook-signature"));
    }
  }

  /** What to answer: a status, a body, and a header more (name, value) or none. */
  public record Answer(int status, String body, String... header) {}

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
  /** Set: the next request is kept waiting, unanswered, until this latch opens. */
  private final AtomicReference<CountDownLatch> holdNext = new AtomicReference<>();

  public WebhookReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        received.add(new Received(exchange.getRequestURI().toString(), Map.copyOf(exchange.getRequestHeaders()),
            new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      }
      CountDownLatch hold = holdNext.getAndSet(null);
      if (hold != null) {
        try {
          hold.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      Answer answer = script.poll();
      answer = answer == null ? new Answer(200, "ok") : answer;
      for (int i = 0; i + 1 < answer.header().length; i += 2) {
        exchange.getResponseHeaders().add(answer.header()[i], answer.header()[i + 1]);
      }
      byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    // Its own threads, so that a request kept waiting holds up no other.
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  /** The URL of a path on this receiver, e.g. {@code /hooks}. */
  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** Answers the next requests so, in order. */
  public void answer(Answer... answers) {
    script.addAll(List.of(answers));
  }

  /** Keeps the next request waiting, unanswered, until the returned latch is counted down (or a minute passed). */
  public CountDownLatch holdNext() {
    CountDownLatch latch = new CountDownLatch(1);
    holdNext.set(latch);
    return latch;
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  /** Waits until {@code count} requests passing the test arrived; returns them, oldest first. */
  public List<Received> await(int count, Predicate<Received> which) {
    return Eventually.within(Duration.ofSeconds(20), count + " webhook requests",
        () -> received.stream().filter(which).toList(), list -> list.size() >= count);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
