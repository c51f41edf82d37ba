package io.verigate.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * The inbound hot path and the status polls of one node, measured on loopback: a benchmark, not a test. It starts a
 * real node in-process, seeds live activations, pushes code messages through the HTTP adapter and an SMPP bind (see
 * {@link InboundLoad} for how each message is timed), checks that every acknowledged message is in the journal with
 * its code, then polls activation status as customers do (see {@link PollLoad}). Everything is bounded in count and
 * time and stops by itself; the figures go to standard output as Markdown.
 *
 * <pre>
 * mvn -q -pl bench -am package -DskipTests
 * java -jar bench/target/verigate-bench.jar --db h2 --messages 20000
 * java -jar bench/target/verigate-bench.jar --db postgres --messages 20000
 * </pre>
 */
public final class InboundBenchmark {
  private final BenchOptions options;
  private final List<String> failures = new ArrayList<>();

  InboundBenchmark(BenchOptions options) {
    this.options = options;
  }

  /** The jar's entry point was this class before there were two runs; {@link Bench} chooses the run now. */
  public static void main(String[] args) throws Exception {
    Bench.main(args);
  }

  boolean run() throws Exception {
    print("## Verigate inbound benchmark (db=%s)%n", options.db());
    printEnvironment();
    long seeding = System.nanoTime();
    // Gateways outlive the node: an SMSC that went away first would have the node's link redialling it meanwhile.
    List<Gateway> gateways = new ArrayList<>();
    try (BenchNode node = BenchNode.start(options)) {
      print("- Node: %s; pool size %d; server log level WARN%n", node.config().describe(), node.config().databasePoolSize());
      print("- Seeded %d live WhatsApp activations (one customer, one number each) in %.1f s%n",
          node.targets().size(), (System.nanoTime() - seeding) / 1e9);
      print("- Inbound: per path %d warm-up messages (not measured), then %d measured; %d senders, each delivering "
          + "a message and reading its code back before the next; each run stops after %d s at most%n",
          options.warmupMessages(), options.messages(), options.senders(), options.phaseLimit().toSeconds());
      print("- Polls: %d keep-alive connections per endpoint, %d s warm-up, then %d s measured%n%n",
          options.pollConnections(), options.pollWarmup().toSeconds(), options.pollDuration().toSeconds());
      List<InboundLoad.Result> inbound = measureInbound(node, gateways);
      List<PollLoad.Result> polls = measurePolls(node);
      printInbound(inbound);
      printPolls(polls);
    } finally {
      gateways.forEach(Gateway::close);
    }
    print("%nLoad average after the run: %.2f%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    failures.forEach(failure -> print("CHECK FAILED: %s%n", failure));
    return failures.isEmpty();
  }

  private List<InboundLoad.Result> measureInbound(BenchNode node, List<Gateway> gateways) throws Exception {
    InboundLoad load = new InboundLoad(node.targets(), new Api(node.customerKey()), node.app().port(), options.senders());
    List<InboundLoad.Result> results = new ArrayList<>();
    for (String path : options.paths()) {
      Gateway gateway = path.equals("http") ? new HttpGateway(node) : SmppGateway.bind(node);
      gateways.add(gateway);
      node.handNumbersTo(gateway.sourceId());
      InboundLoad.Result warmup = load.run(gateway, options.warmupMessages(), options.phaseLimit());
      InboundLoad.Result measured = load.run(gateway, options.messages(), options.phaseLimit());
      results.add(measured);
      check(measured);
      long acknowledged = warmup.acknowledged() + measured.acknowledged();
      long journaled = node.journaledWithCode(gateway.sourceId());
      print("- %s: %d of %d acknowledged messages are in the journal with their code on their activation%n",
          gateway.path(), journaled, acknowledged);
      if (journaled != acknowledged) {
        failures.add(gateway.path() + ": " + journaled + " journaled of " + acknowledged + " acknowledged");
      }
    }
    return results;
  }

  private void check(InboundLoad.Result result) {
    if (result.refused() > 0 || result.unread() > 0) {
      failures.add(String.format("%s: %d messages refused, %d acknowledged but never readable", result.path(),
          result.refused(), result.unread()));
    }
    if (result.cutShort()) {
      print("- %s: the time limit stopped the measured run after %d messages; the figures cover those%n",
          result.path(), result.acknowledged());
    }
  }

  private List<PollLoad.Result> measurePolls(BenchNode node) throws InterruptedException {
    int port = node.app().port();
    String key = node.customerKey();
    List<BenchNode.Target> targets = node.targets();
    IntFunction<Integer> activation = i -> targets.get(Math.floorMod(i, targets.size())).activationId();
    List<PollLoad.Result> results = List.of(
        poll("GET /health (bare endpoint: no key, no database)", port, key, i -> "/health"),
        poll("GET /api/v1/activations/{id}", port, key, i -> "/api/v1/activations/" + activation.apply(i)),
        poll("GET /status?id= (quick-start)", port, key, i -> "/status?id=" + activation.apply(i)));
    results.stream().filter(r -> r.errors() > 0)
        .forEach(r -> failures.add(r.endpoint() + ": " + r.errors() + " requests failed or were not answered 200"));
    return results;
  }

  private PollLoad.Result poll(String endpoint, int port, String key, IntFunction<String> pathFor)
      throws InterruptedException {
    return PollLoad.run(endpoint, port, key, pathFor, options.pollConnections(), options.pollWarmup(),
        options.pollDuration());
  }

  private void printEnvironment() {
    Runtime runtime = Runtime.getRuntime();
    String flags = String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments());
    String collectors = ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
        .collect(Collectors.joining(", "));
    print("- JVM: %s %s (%s); max heap %.1f GiB; GC %s; flags: %s%n", System.getProperty("java.vm.name"),
        System.getProperty("java.vm.version"), System.getProperty("java.vendor"), runtime.maxMemory() / (double) (1L << 30),
        collectors, flags.isBlank() ? "(none)" : flags);
    print("- Machine: %d cores available to the JVM; %s %s %s; load average %.2f before the run. The load generators "
        + "run in the node's JVM and share its cores; 'cores used' is this process's CPU time over a run's wall time%n",
        runtime.availableProcessors(), System.getProperty("os.name"),
        System.getProperty("os.version"), System.getProperty("os.arch"),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  private void printInbound(List<InboundLoad.Result> results) {
    print("%nInbound: msg/s counts messages delivered and read back; latencies run from the send to the "
        + "acknowledgement (sent after the journal commit) and to the return of the first GET /api/v1/activations/{id} "
        + "showing the message's code (issued on the acknowledgement).%n%n");
    print("| path | db | messages | msg/s | send→ack p50 / p99 / max (ms) | send→readable p50 / p99 / max (ms) | "
        + "re-reads | cores used |%n|---|---|---|---|---|---|---|---|%n");
    for (InboundLoad.Result r : results) {
      print("| %s | %s | %d | %,.0f | %s | %s | %d | %.2f |%n", r.path(), options.db(), r.acknowledged(),
          r.perSecond(), r.acknowledgement().summary(), r.readable().summary(), r.extraReads(), r.coresUsed());
    }
  }

  private void printPolls(List<PollLoad.Result> results) {
    print("%nStatus polls: plain HTTP/1.1 keep-alive sockets (wrk-style), one request in flight per connection, each "
        + "answered before the next is sent; the activations cycle over every seeded one.%n%n");
    print("| endpoint | db | connections | req/s | p50 / p99 / max (ms) | cores used |%n|---|---|---|---|---|---|%n");
    for (PollLoad.Result r : results) {
      print("| %s | %s | %d | %,.0f | %s | %.2f |%n", r.endpoint(), options.db(), r.connections(), r.perSecond(),
          r.latencies().summary(), r.coresUsed());
    }
  }

  private static void print(String format, Object... args) {
    System.out.print(String.format(Locale.ROOT, format, args));
    System.out.flush();
  }
}
