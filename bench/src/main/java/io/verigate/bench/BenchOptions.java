package io.verigate.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The benchmark's command line: {@code --name value} pairs, each with a default that the usage text shows. */
record BenchOptions(
    String run,
    String db,
    int messages,
    int warmupMessages,
    int numbers,
    int senders,
    List<String> paths,
    int pollConnections,
    Duration pollWarmup,
    Duration pollDuration,
    Duration phaseLimit,
    String postgresServer,
    int stock,
    int customers,
    int claimRows,
    int eventRate,
    int eventSeconds,
    int eventWarmupSeconds,
    List<Integer> streamCounts) {

  private static final Map<String, String> DEFAULTS = defaults();

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("run", "inbound");
    d.put("db", "h2");
    d.put("messages", "20000");
    d.put("warmup-messages", "2000");
    d.put("numbers", "1000");
    d.put("senders", "32");
    d.put("paths", "http,smpp");
    d.put("poll-connections", "64");
    d.put("poll-warmup-seconds", "5");
    d.put("poll-seconds", "10");
    d.put("max-seconds", "300");
    d.put("pg-server", "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
    d.put("stock", "400000");
    d.put("customers", "16");
    d.put("claim-rows", "500000");
    d.put("event-rate", "100");
    d.put("event-seconds", "10");
    d.put("event-warmup-seconds", "5");
    d.put("stream-counts", "1000,10000");
    return d;
  }

  static String usage() {
    StringBuilder text = new StringBuilder("usage: java -jar bench/target/verigate-bench.jar [--name value]...\n");
    DEFAULTS.forEach((name, value) -> text.append("  --").append(name).append(" (default ").append(value).append(")\n"));
    return text.append("run is inbound (code messages in, then status polls) or purchases (purchases against the "
        + "database's raw claim rate, and polls in every dialect; PostgreSQL only). db is h2 (a file in a temporary "
        + "directory) or postgres (a fresh database on pg-server, dropped afterwards); paths is a comma-separated subset "
        + "of http,smpp; max-seconds bounds each measured inbound run. In the purchases run every load uses "
        + "poll-connections connections, poll-warmup-seconds of warm-up and poll-seconds measured; stock is the numbers "
        + "imported for purchases (each purchase uses one up), customers the buyers of the many-customer run, "
        + "claim-rows the free rows seeded for the raw claims. The events run pushes event-rate codes a second for "
        + "event-seconds to a webhook receiver, then to one event stream among each of stream-counts open ones, each "
        + "after event-warmup-seconds at the same rate that are not counted.")
        .toString();
  }

  static BenchOptions parse(String[] args) {
    Map<String, String> given = new LinkedHashMap<>(DEFAULTS);
    for (int i = 0; i < args.length; i += 2) {
      String name = args[i].startsWith("--") ? args[i].substring(2) : "";
      if (!DEFAULTS.containsKey(name) || i + 1 >= args.length) {
        throw new IllegalArgumentException("unknown option or missing value: " + args[i]);
      }
      given.put(name, args[i + 1]);
    }
    BenchOptions options = new BenchOptions(
        given.get("run"),
        given.get("db"),
        positive(given, "messages"),
        positive(given, "warmup-messages"),
        positive(given, "numbers"),
        positive(given, "senders"),
        List.of(given.get("paths").split(",")),
        positive(given, "poll-connections"),
        Duration.ofSeconds(positive(given, "poll-warmup-seconds")),
        Duration.ofSeconds(positive(given, "poll-seconds")),
        Duration.ofSeconds(positive(given, "max-seconds")),
        given.get("pg-server"),
        positive(given, "stock"),
        positive(given, "customers"),
        positive(given, "claim-rows"),
        positive(given, "event-rate"),
        positive(given, "event-seconds"),
        positive(given, "event-warmup-seconds"),
        streamCounts(given.get("stream-counts")));
    if (!List.of("inbound", "purchases", "events").contains(options.run)) {
      throw new IllegalArgumentException("--run must be inbound, purchases or events");
    }
    if (options.run.equals("purchases") && !options.db.equals("postgres")) {
      // The raw claim rate and the database's CPU are read from a PostgreSQL server; H2 lives inside the node.
      throw new IllegalArgumentException("--run purchases needs --db postgres");
    }
    if (!List.of("h2", "postgres").contains(options.db)) {
      throw new IllegalArgumentException("--db must be h2 or postgres");
    }
    if (!List.of("http", "smpp").containsAll(options.paths)) {
      throw new IllegalArgumentException("--paths must be http, smpp or http,smpp");
    }
    if (options.numbers < options.senders) {
      throw new IllegalArgumentException("each sender needs an activation of its own: --numbers must be at least --senders");
    }
    // Every message carries a code of its own, and codes have six digits.
    if ((long) (options.messages + options.warmupMessages) * options.paths.size() > InboundLoad.DISTINCT_CODES) {
      throw new IllegalArgumentException("at most " + InboundLoad.DISTINCT_CODES + " messages in all");
    }
    return options;
  }

  private static List<Integer> streamCounts(String value) {
    try {
      List<Integer> counts = java.util.Arrays.stream(value.split(",")).map(String::trim).map(Integer::parseInt).toList();
      if (counts.stream().allMatch(n -> n > 0)) {
        return counts;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--stream-counts must be positive whole numbers separated by commas, got "
        + value);
  }

  private static int positive(Map<String, String> given, String name) {
    try {
      int value = Integer.parseInt(given.get(name));
      if (value > 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--" + name + " must be a positive whole number, got " + given.get(name));
  }
}
