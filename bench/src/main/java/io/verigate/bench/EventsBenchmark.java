package io.verigate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.verigate.server.account.Accounts;
import io.verigate.server.account.Actor;
import io.verigate.server.account.ApiKeys;
import io.verigate.server.account.Mode;
import io.verigate.server.notify.WebhookFormat;
import io.verigate.server.notify.WebhookOwner;
import io.verigate.server.notify.Webhooks;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Code to client: how long after the node acknowledged an inbound SMS its {@code activation.received} event reaches
 * the customer, by a signed webhook to a receiver on loopback and by an event stream among many open ones; and the
 * node's memory with those streams open. A benchmark, not a test: everything is bounded and stops by itself.
 *
 * <p>Method: senders push code messages through the HTTP gateway at {@code --event-rate} a second for {@code
 * --event-seconds}, each with a code of its own, to the seeded activations in turn, and notes when each was
 * acknowledged (after the journal commit). The receiver (the webhook's HTTP server, or the measuring stream's reader)
 * notes when each code arrived. Latency is arrival minus acknowledgement; an event that arrived before the sender
 * read its acknowledgement counts as 0. The other open streams belong to customers of their own, with no events:
 * they cost the node what an idle stream costs (memory, a keep-alive every 15 s). Their clients run in a JVM of their
 * own ({@link EventStreamClients}); the webhook receiver, the measuring stream and the SMS senders run in the node's,
 * so the RSS printed includes them; the heap after a full GC is the node's share.
 *
 * <pre>
 * java -Xmx512m -jar bench/target/verigate-bench.jar --run events --db postgres
 * </pre>
 * Each open stream takes one file descriptor in each of the two processes: 10,000 streams need {@code ulimit -n}
 * above 10,000 (plus the node's own files).
 */
final class EventsBenchmark {
  private static final Duration DRAIN = Duration.ofSeconds(10);
  private static final int SENDERS = 8;
  /** The streams one customer may hold open at once. */
  private static final int STREAMS_PER_CUSTOMER = 100;
  private final BenchOptions options;
  private final List<String> failures = new ArrayList<>();
  private final AtomicLong sequence = new AtomicLong();

  EventsBenchmark(BenchOptions options) {
    this.options = options;
  }

  /** What one delivery path measured. */
  private record Result(String path, int streams, int codes, long missed, Latencies latencies, double perSecond) {}

  boolean run() throws Exception {
    print("## Verigate events benchmark (db=%s)%n", options.db());
    print("- %d codes/s for %d s per run, after %d s at the same rate not counted (the delivery path's first codes "
        + "wait for the JIT compiler and new connections); %d seeded live activations; JVM max heap %d MiB; "
        + "ulimit -n decides how many streams can open%n", options.eventRate(), options.eventSeconds(),
        options.eventWarmupSeconds(), options.numbers(),
        Runtime.getRuntime().maxMemory() >> 20);
    List<Result> results = new ArrayList<>();
    List<String> memory = new ArrayList<>();
    try (BenchNode node = BenchNode.start(options); HttpGateway gateway = new HttpGateway(node)) {
      node.handNumbersTo(gateway.sourceId());
      results.add(webhook(node, gateway));
      for (int streams : options.streamCounts()) {
        results.add(streams(node, gateway, streams, memory));
      }
    }
    print("%nLatency runs from the node's acknowledgement of the SMS (its HTTP 200, after the journal commit) to the "
        + "arrival of the code's activation.received at the client.%n%n");
    print("| delivery | open streams | codes | codes/s | ack→seen p50 / p99 / max (ms) | missed |%n"
        + "|---|---|---|---|---|---|%n");
    for (Result r : results) {
      print("| %s | %d | %d | %,.0f | %s | %d |%n", r.path(), r.streams(), r.codes(), r.perSecond(),
          r.latencies().summary(), r.missed());
    }
    print("%n");
    memory.forEach(line -> print("- %s%n", line));
    targets(results);
    failures.forEach(failure -> print("CHECK FAILED: %s%n", failure));
    return failures.isEmpty();
  }

  /** The issue's targets on this machine, as ratios of measured to target (below 1 meets it). */
  private void targets(List<Result> results) {
    print("%nAgainst the targets (measured / target, below 1.00 meets it):%n");
    for (Result r : results) {
      double p99 = r.latencies().percentileMillis(0.99);
      if (r.streams() == 0) {
        print("- webhook p99 %.1f ms / 200 ms = %.2f%n", p99, p99 / 200);
      } else if (r.streams() == 1000) {
        print("- SSE p99 at 1,000 streams %.1f ms / 50 ms = %.2f%n", p99, p99 / 50);
      }
    }
  }

  private Result webhook(BenchNode node, HttpGateway gateway) throws Exception {
    Map<String, Long> seen = new ConcurrentHashMap<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    receiver.setExecutor(threads);
    receiver.createContext("/hook", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        noteCode(Api.JSON.readTree(in), seen);
      }
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    receiver.start();
    Webhooks webhooks = node.app().webhooks();
    WebhookOwner owner = new WebhookOwner(customerId(node), Mode.LIVE);
    long endpoint = webhooks.create(Actor.SYSTEM, owner, new Webhooks.NewEndpoint(
        "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook", List.of("activation.received"),
        WebhookFormat.STANDARD)).endpoint().id();
    try {
      return warmedUp("webhook (loopback receiver)", 0, gateway, node, seen);
    } finally {
      webhooks.delete(Actor.SYSTEM, owner, endpoint);
      receiver.stop(0);
      threads.shutdownNow();
    }
  }

  private Result streams(BenchNode node, HttpGateway gateway, int count, List<String> memory) throws Exception {
    Map<String, Long> seen = new ConcurrentHashMap<>();
    Socket measuring = EventStreamClients.open(node.app().port(), node.customerKey(), "?types=activation.received");
    Thread reader = new Thread(() -> readCodes(measuring, seen), "bench-sse-reader");
    reader.setDaemon(true);
    reader.start();
    try (EventStreamClients.Holder idle = EventStreamClients.holdIdle(node.app().port(),
        idleCustomers(node, count - 1), STREAMS_PER_CUSTOMER, count - 1)) {
      Result result = warmedUp("SSE, one stream measured", count, gateway, node, seen);
      MemoryMXBean heap = ManagementFactory.getMemoryMXBean();
      System.gc();
      memory.add(String.format(Locale.ROOT, "%,d open streams: node process RSS %d MiB (with the webhook and SMS "
              + "load generators; the idle streams' clients run in a process of their own), node heap used after a "
              + "full GC %d MiB", count, rssMiB(), heap.getHeapMemoryUsage().getUsed() >> 20));
      return result;
    } catch (IOException e) {
      failures.add(count + " streams: could not open them all (" + e.getMessage() + ")");
      return new Result("SSE (not all streams opened)", count, 0, 0, new Latencies(), 0);
    } finally {
      measuring.close();
    }
  }

  /** A warm-up at the run's rate, whose latencies are dropped, then the measured run. */
  private Result warmedUp(String path, int streams, HttpGateway gateway, BenchNode node, Map<String, Long> seen) {
    measure(path + " (warm-up)", streams, gateway, node, seen, options.eventWarmupSeconds());
    return measure(path, streams, gateway, node, seen, options.eventSeconds());
  }

  /** Sends {@code seconds} of codes at the set rate, then waits for the stragglers; returns the latencies. */
  private Result measure(String path, int streams, HttpGateway gateway, BenchNode node, Map<String, Long> seen,
      int seconds) {
    Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    int codes = options.eventRate() * seconds;
    long interval = 1_000_000_000L / options.eventRate();
    List<BenchNode.Target> targets = node.targets();
    // Senders of their own keep the schedule when one push takes longer than the interval.
    ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
    AtomicLong refused = new AtomicLong();
    long start = System.nanoTime();
    for (int i = 0; i < codes; i++) {
      long wait = start + i * interval - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      long n = sequence.incrementAndGet();
      String code = Long.toString(100_000 + n % 900_000);
      BenchNode.Target target = targets.get(i % targets.size());
      senders.execute(() -> {
        try {
          gateway.deliver(target.phone(), "Your WhatsApp code: " + code.substring(0, 3) + "-" + code.substring(3)
              + ". Don't share this code with others.", "bench-event-" + n);
          acknowledged.put(code, System.nanoTime());
        } catch (IOException e) {
          refused.incrementAndGet();
        }
      });
    }
    senders.shutdown();
    try {
      senders.awaitTermination(options.phaseLimit().toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    double perSecond = acknowledged.size() / ((System.nanoTime() - start) / 1e9);
    if (refused.get() > 0) {
      failures.add(path + " with " + streams + " streams: " + refused.get() + " pushes refused");
    }
    long drainUntil = System.nanoTime() + DRAIN.toNanos();
    while (!seen.keySet().containsAll(acknowledged.keySet()) && System.nanoTime() < drainUntil) {
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
    Latencies latencies = new Latencies();
    long missed = 0;
    for (Map.Entry<String, Long> ack : acknowledged.entrySet()) {
      Long arrived = seen.get(ack.getKey());
      if (arrived == null) {
        missed++;
      } else {
        latencies.add(Math.max(0, arrived - ack.getValue()));
      }
    }
    if (missed > 0) {
      failures.add(path + " with " + streams + " streams: " + missed + " of " + codes + " codes never arrived");
    }
    return new Result(path, streams, codes, missed, latencies, perSecond);
  }

  /** Customers of their own for the idle streams, each holding up to the 100 streams a customer may. */
  private static List<String> idleCustomers(BenchNode node, int streams) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i * STREAMS_PER_CUSTOMER < streams; i++) {
      Accounts.Customer customer = node.app().accounts().createCustomer(Actor.SYSTEM, "bench-listener-" + streams
          + "-" + i);
      keys.add(node.app().keys().issue(Actor.SYSTEM, customer.id(),
          ApiKeys.NewKey.unrestricted(Mode.LIVE, "bench")).secret());
    }
    return keys;
  }

  private static long customerId(BenchNode node) {
    return node.app().gate().customer(node.customerKey(), io.verigate.server.account.Operation.READ, "127.0.0.1")
        .customerId();
  }

  private static void readCodes(Socket stream, Map<String, Long> seen) {
    try {
      BufferedReader lines = new BufferedReader(new InputStreamReader(stream.getInputStream(), StandardCharsets.UTF_8));
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.startsWith("data: ")) {
          noteCode(Api.JSON.readTree(line.substring(6)), seen);
        }
      }
    } catch (IOException closed) {
      // the run closed the stream
    }
  }

  private static void noteCode(JsonNode message, Map<String, Long> seen) {
    String code = message.path("data").path("code").asText(null);
    if (code != null) {
      seen.putIfAbsent(code, System.nanoTime());
    }
  }

  /** This process's resident memory, from /proc (Linux); -1 elsewhere. */
  private static long rssMiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) >> 10;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    return -1;
  }

  private static void print(String format, Object... args) {
    System.out.print(String.format(Locale.ROOT, format, args));
    System.out.flush();
  }
}
