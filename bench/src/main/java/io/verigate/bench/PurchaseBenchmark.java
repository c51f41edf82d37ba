package io.verigate.bench;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * Purchases ({@code POST /api/v1/activations}) and status polls in every dialect, each set beside the reference it
 * should come close to: purchases beside the raw claim rate of the same PostgreSQL database (what it does when asked
 * for one free number by one statement, {@link ClaimLoad}), polls beside the bare endpoint {@code GET /health}. Every
 * load is closed-loop on the same number of connections (see {@link PollLoad}), measured after a warm-up. For each
 * window it prints the CPU per operation of the node (the process minus the load generator's threads) and of
 * PostgreSQL, and the machine's steal time. A benchmark, not a test: it prints the targets beside the figures
 * and fails only when requests fail.
 *
 * <pre>
 * mvn -q -pl bench -am package -DskipTests
 * java -jar bench/target/verigate-bench.jar --run purchases --db postgres
 * </pre>
 */
final class PurchaseBenchmark {
  private static final String PURCHASE = "{\"service\":\"wa\",\"country\":\"us\"}";
  private static final double PURCHASE_SHARE_TARGET = 0.50;
  private static final double POLL_SHARE_TARGET = 0.80;
  private static final double CPU_TARGET_MILLIS = 1.0;
  private static final double P99_TARGET_MILLIS = 50;
  /** The host steals CPU in bursts; a window with more than this says more about the host than the code. */
  private static final double STEAL_WARNING_PERCENT = 5;
  /** Other processes (other builds on a shared machine) taking more than this share of its cores compete with the run. */
  private static final double OTHERS_WARNING_SHARE = 0.10;

  private final BenchOptions options;
  private final List<String> failures = new ArrayList<>();

  PurchaseBenchmark(BenchOptions options) {
    this.options = options;
  }

  /** One measured load, with what the machine and PostgreSQL did in its window. */
  private record Measured(PollLoad.Result load, double stealPercent, double postgresCpuSeconds,
      double postgresSharedCpuSeconds, double busyCpuSeconds) {
    /** Cores that processes other than this one and PostgreSQL kept busy on average. */
    double otherCores() {
      return Math.max(0, busyCpuSeconds - load.cpuSeconds() - postgresCpuSeconds) / load.seconds();
    }

    double cpuMillisPer(double seconds) {
      return load.requests() == 0 ? 0 : seconds * 1000 / load.requests();
    }

    double nodeCpuSeconds() {
      return load.cpuSeconds() - load.generatorCpuSeconds();
    }
  }

  boolean run() throws Exception {
    int connections = options.pollConnections();
    print("## Verigate purchase benchmark (db=%s)%n", options.db());
    print("- JVM: %s %s; %d cores available; %s %s; load average %.2f at start%n",
        System.getProperty("java.vm.name"), System.getProperty("java.vm.version"),
        Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.version"),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    long seeding = System.nanoTime();
    try (BenchNode node = BenchNode.start(options)) {
      String databaseUrl = node.postgresUrl().orElseThrow();
      node.importStock(options.stock());
      List<String> buyers = node.fundedCustomers(options.customers(), options.stock());
      ClaimLoad claims = ClaimLoad.seed(databaseUrl, options.claimRows());
      vacuumAnalyze(databaseUrl);
      print("- Node: %s; pool size %d; server log level WARN%n", node.config().describe(),
          node.config().databasePoolSize());
      print("- Seeded in %.1f s: %d live activations to poll (one customer); %d numbers in stock for purchases; "
          + "%d funded buyers; %d free rows in bench_claim; then VACUUM ANALYZE (autovacuum may be off)%n",
          (System.nanoTime() - seeding) / 1e9, node.targets().size(), options.stock(), options.customers(),
          options.claimRows());
      print("- Every load: %d connections, one request in flight each, %d s warm-up then %d s measured%n%n",
          connections, options.pollWarmup().toSeconds(), options.pollDuration().toSeconds());

      try (PostgresCpu postgres = new PostgresCpu(databaseUrl)) {
        int port = node.app().port();
        String key = node.customerKey();
        List<BenchNode.Target> targets = node.targets();
        IntFunction<Integer> activation = n -> targets.get(Math.floorMod(n, targets.size())).activationId();
        Predicate<KeepAliveConnection.Response> ok = reply -> reply.status() == 200;

        Measured health = measure(postgres, "GET /health (bare endpoint)",
            c -> PollLoad.http(port, n -> KeepAliveConnection.get("/health", key), ok));
        List<Measured> polls = List.of(
            measure(postgres, "REST GET /api/v1/activations/{id}", c -> PollLoad.http(port,
                n -> KeepAliveConnection.get("/api/v1/activations/" + activation.apply(n), key), ok)),
            measure(postgres, "quick-start GET /status?id=", c -> PollLoad.http(port,
                n -> KeepAliveConnection.get("/status?id=" + activation.apply(n), key), ok)),
            // sms-activate answers every outcome with HTTP 200, refusals as tokens: only STATUS_* is a status.
            measure(postgres, "sms-activate getStatus", c -> PollLoad.http(port,
                n -> KeepAliveConnection.get("/stubs/handler_api.php?api_key=" + key + "&action=getStatus&id="
                    + activation.apply(n), key),
                reply -> reply.status() == 200 && reply.text().startsWith("STATUS_"))),
            measure(postgres, "5sim GET /v1/user/check/{id}", c -> PollLoad.http(port,
                n -> KeepAliveConnection.get("/v1/user/check/" + activation.apply(n), key), ok)));

        Measured claim = measure(postgres, "raw claim (JDBC, autocommit)", c -> claims.client());
        Predicate<KeepAliveConnection.Response> created = reply -> reply.status() == 201;
        Measured oneBuyer = measure(postgres, "POST /api/v1/activations, 1 customer", c -> PollLoad.http(port,
            n -> KeepAliveConnection.post("/api/v1/activations", buyers.get(0), PURCHASE), created));
        Measured manyBuyers = measure(postgres, "POST /api/v1/activations, " + buyers.size() + " customers",
            c -> PollLoad.http(port, n -> KeepAliveConnection.post("/api/v1/activations",
                buyers.get(c % buyers.size()), PURCHASE), created));

        printRates(health, polls, claim, List.of(oneBuyer, manyBuyers));
        printCpu(health, polls, claim, List.of(oneBuyer, manyBuyers));
      }
    }
    print("%nLoad average after the run: %.2f%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    failures.forEach(failure -> print("CHECK FAILED: %s%n", failure));
    return failures.isEmpty();
  }

  private Measured measure(PostgresCpu postgres, String name, IntFunction<PollLoad.Client> clients)
      throws InterruptedException {
    MachineWatch watch = MachineWatch.stealAndPostgres(postgres);
    PollLoad.Result load = PollLoad.run(name, options.pollConnections(), clients, options.pollWarmup(),
        options.pollDuration(), watch);
    Measured measured = new Measured(load, watch.stealPercent(), watch.postgresCpuSeconds(),
        watch.postgresSharedCpuSeconds(), watch.busyCpuSeconds());
    print("- measured %s: %,.0f/s; steal %.1f %%; other processes %.2f cores%n", name, load.perSecond(),
        measured.stealPercent(), measured.otherCores());
    if (measured.stealPercent() > STEAL_WARNING_PERCENT) {
      print("  WARNING: the host stole %.1f %% of the CPU in this window (over %.0f %%): its figures are unreliable%n",
          measured.stealPercent(), STEAL_WARNING_PERCENT);
    }
    int cores = Runtime.getRuntime().availableProcessors();
    if (measured.otherCores() > OTHERS_WARNING_SHARE * cores) {
      print("  WARNING: other processes kept %.2f of the %d cores busy in this window: its figures are low%n",
          measured.otherCores(), cores);
    }
    if (load.errors() > 0) {
      failures.add(String.format(Locale.ROOT, "%s: %d requests failed; the first: %s", name, load.errors(),
          load.firstError()));
    }
    return measured;
  }

  private void printRates(Measured health, List<Measured> polls, Measured claim, List<Measured> purchases) {
    print("%nThroughput against the references: purchases against the raw claim rate of the same database, polls "
        + "against the bare endpoint.%n%n");
    print("| load | per second | of reference | target | p50 / p99 / max (ms) | errors | steal | other processes "
        + "(cores) |%n|---|---|---|---|---|---|---|---|%n");
    rateRow(health, null, "reference");
    rateRow(claim, null, "reference");
    for (Measured purchase : purchases) {
      double p99 = purchase.load().latencies().percentileMillis(0.99);
      rateRow(purchase, claim, String.format(Locale.ROOT, "≥ %.0f %%: %s; p99 < %.0f ms: %s",
          PURCHASE_SHARE_TARGET * 100, met(share(purchase, claim) >= PURCHASE_SHARE_TARGET), P99_TARGET_MILLIS,
          met(p99 < P99_TARGET_MILLIS)));
    }
    for (Measured poll : polls) {
      rateRow(poll, health, String.format(Locale.ROOT, "≥ %.0f %%: %s", POLL_SHARE_TARGET * 100,
          met(share(poll, health) >= POLL_SHARE_TARGET)));
    }
  }

  private void rateRow(Measured m, Measured reference, String target) {
    print("| %s | %,.0f | %s | %s | %s | %d | %.1f %% | %.2f |%n", m.load().endpoint(), m.load().perSecond(),
        reference == null ? "—" : String.format(Locale.ROOT, "%.0f %%", 100 * share(m, reference)), target,
        m.load().latencies().summary(), m.load().errors(), m.stealPercent(), m.otherCores());
  }

  private void printCpu(Measured health, List<Measured> polls, Measured claim, List<Measured> purchases) {
    print("%nCPU per operation, in ms. The load generator runs in the node's JVM: 'generator' is its threads' own CPU "
        + "time, 'node' the process's minus that. On loopback the kernel does part of the receiving side's network "
        + "work in the sender's thread, so the split between the two is approximate. PostgreSQL is every postgres "
        + "process but other databases' backends; in brackets, its server-wide processes' part (WAL writer, "
        + "checkpointer...), which other databases on the server share. In the raw claim row 'node' is the idle node "
        + "and the JDBC clients are the generator.%n%n");
    print("| load | node | generator | PostgreSQL (server-wide part) | node + PostgreSQL | target |%n"
        + "|---|---|---|---|---|---|%n");
    cpuRow(health, "");
    cpuRow(claim, "");
    for (Measured purchase : purchases) {
      double total = purchase.cpuMillisPer(purchase.nodeCpuSeconds() + purchase.postgresCpuSeconds());
      cpuRow(purchase, String.format(Locale.ROOT, "≤ %.1f ms: %s", CPU_TARGET_MILLIS, met(total <= CPU_TARGET_MILLIS)));
    }
    for (Measured poll : polls) {
      cpuRow(poll, "");
    }
  }

  private void cpuRow(Measured m, String target) {
    print("| %s | %.3f | %.3f | %.3f (%.3f) | %.3f | %s |%n", m.load().endpoint(), m.cpuMillisPer(m.nodeCpuSeconds()),
        m.cpuMillisPer(m.load().generatorCpuSeconds()), m.cpuMillisPer(m.postgresCpuSeconds()),
        m.cpuMillisPer(m.postgresSharedCpuSeconds()),
        m.cpuMillisPer(m.nodeCpuSeconds() + m.postgresCpuSeconds()), target);
  }

  private static double share(Measured m, Measured reference) {
    return m.load().perSecond() / reference.load().perSecond();
  }

  private static String met(boolean met) {
    return met ? "met" : "MISSED";
  }

  /**
   * What autovacuum would do after a bulk import, done now because this server may run without it: planner statistics
   * for the fresh tables, and a visibility map, for the node's stock and the claim table alike.
   */
  private static void vacuumAnalyze(String databaseUrl) throws SQLException {
    try (Connection c = DriverManager.getConnection(databaseUrl); Statement s = c.createStatement()) {
      s.execute("VACUUM ANALYZE");
    }
  }

  private static void print(String format, Object... args) {
    System.out.print(String.format(Locale.ROOT, format, args));
    System.out.flush();
  }
}
