package io.verigate.bench;

import io.verigate.server.account.ApiKeys;
import io.verigate.server.account.Operation;
import io.verigate.server.account.Accounts;
import io.verigate.server.account.Actor;
import io.verigate.server.account.Mode;
import io.verigate.server.account.Principal;
import io.verigate.server.activation.Activation;
import io.verigate.server.activation.PurchaseRequest;
import io.verigate.server.inventory.Inventory;
import io.verigate.server.inventory.NumberSources;
import io.verigate.server.App;
import io.verigate.server.system.Config;
import io.verigate.server.wallet.Money;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * A real node started through {@link App#create} on a random loopback port, with a database of its own (an H2 file in
 * a temporary directory, as a default install has, or a fresh PostgreSQL database), seeded through its services with
 * one live customer, one HTTP gateway source and a live WhatsApp activation on each of its numbers. Closing it stops
 * the node and removes the database.
 */
final class BenchNode implements AutoCloseable {
  private static final String SERVICE = "wa";
  private static final String COUNTRY = "us";
  /** San Francisco numbers from +1 415 200 0000 up: possible NANP numbers, so the inventory takes them. */
  private static final long FIRST_NUMBER = 14152000000L;
  /** New York numbers from +1 212 200 0000 up: the stock purchases draw from. */
  private static final long FIRST_STOCK_NUMBER = 12122000000L;

  /** A live activation waiting for codes on its number. */
  record Target(int activationId, String phone) {}

  private final App app;
  private final Config config;
  private final Scratch scratch;
  private final Thread cleanupOnExit;
  private final String customerKey;
  private final NumberSources.CreatedSource gateway;
  private final List<Target> targets;

  private BenchNode(App app, Config config, Scratch scratch, Thread cleanupOnExit, String customerKey,
      NumberSources.CreatedSource gateway, List<Target> targets) {
    this.app = app;
    this.config = config;
    this.scratch = scratch;
    this.cleanupOnExit = cleanupOnExit;
    this.customerKey = customerKey;
    this.gateway = gateway;
    this.targets = targets;
  }

  static BenchNode start(BenchOptions options) throws IOException {
    Scratch scratch = Scratch.create(options);
    // A run stopped half-way (Ctrl-C) leaves no database behind either.
    Thread cleanupOnExit = new Thread(scratch::remove, "bench-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanupOnExit);
    Map<String, String> settings = new HashMap<>();
    settings.put("host", "127.0.0.1");
    settings.put("port", "0");
    settings.put("data-dir", scratch.dataDir().toString());
    settings.put("admin-token", "bench-admin-" + UUID.randomUUID());
    // The loads are far above any customer's budget by design: one key buys the whole stock and polls at full speed.
    settings.put("rate-limits", "off");
    settings.put("max-live-activations", "off");
    // The events run's webhook receiver listens on loopback.
    settings.put("webhook-allow-private", "true");
    // The events run opens 10,000 streams right after closing the previous run's 1,000, which the node counts until
    // their next keep-alive write finds them gone.
    settings.put("sse-max-streams", "100000");
    // Without db-url the node keeps an H2 file in its data directory, as a default install does. On PostgreSQL the
    // SMPP link's password is a source secret, which needs a configured master key there.
    scratch.postgresUrl().ifPresent(url -> {
      settings.put("db-url", url);
      byte[] masterKey = new byte[32];
      new SecureRandom().nextBytes(masterKey);
      settings.put("master-key", Base64.getEncoder().encodeToString(masterKey));
    });
    Config config = Config.defaults(settings);
    App app = App.create(config).start();
    try {
      Accounts.Customer customer = app.accounts().createCustomer(Actor.SYSTEM, "bench");
      String key = app.keys().issue(Actor.SYSTEM, customer.id(), ApiKeys.NewKey.unrestricted(Mode.LIVE, "bench")).secret();
      app.wallets().credit(Actor.SYSTEM, customer.id(), Mode.LIVE, Money.parse(options.numbers() + ".00"), "bench funding");
      NumberSources.CreatedSource gateway = app.numberSources().create(Actor.SYSTEM, "bench-gateway", "http");
      List<String> numbers = IntStream.range(0, options.numbers()).mapToObj(i -> "+" + (FIRST_NUMBER + i)).toList();
      Inventory.ImportResult imported = app.inventory().importNumbers(Actor.SYSTEM, "bench-gateway", null, numbers);
      if (imported.added() != numbers.size()) {
        throw new IllegalStateException("the inventory took " + imported.added() + " of " + numbers.size()
            + " numbers; rejected: " + imported.rejected());
      }
      Principal buyer = app.gate().customer(key, Operation.BUY, "127.0.0.1");
      List<Target> targets = new ArrayList<>();
      for (int i = 0; i < numbers.size(); i++) {
        Activation bought = app.activations().purchase(buyer, PurchaseRequest.of(SERVICE, COUNTRY));
        targets.add(new Target(bought.id(), bought.phone()));
      }
      return new BenchNode(app, config, scratch, cleanupOnExit, key, gateway, List.copyOf(targets));
    } catch (RuntimeException e) {
      app.close();
      throw e;
    }
  }

  App app() {
    return app;
  }

  Config config() {
    return config;
  }

  String customerKey() {
    return customerKey;
  }

  /** The HTTP gateway source: its id in the journal, and the token it pushes with. */
  NumberSources.CreatedSource gateway() {
    return gateway;
  }

  List<Target> targets() {
    return targets;
  }

  /**
   * New customers, each with a live key and a wallet holding one currency unit per number in stock (a purchase costs
   * the default price, below one unit), so that no customer's purchases stop for want of balance. Returns their keys.
   */
  List<String> fundedCustomers(int count, int stock) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Accounts.Customer customer = app.accounts().createCustomer(Actor.SYSTEM, "bench-buyer-" + i);
      keys.add(app.keys().issue(Actor.SYSTEM, customer.id(), ApiKeys.NewKey.unrestricted(Mode.LIVE, "bench")).secret());
      app.wallets().credit(Actor.SYSTEM, customer.id(), Mode.LIVE, Money.parse(stock + ".00"), "bench funding");
    }
    return keys;
  }

  /**
   * Imports {@code count} more live US numbers into the gateway source, through the inventory as an operator's import
   * does, in batches so no one transaction grows huge. They are New York numbers, apart from the seeded San Francisco
   * ones. A number serves a service once and stays leased while its activation waits, so each purchase uses one up.
   */
  void importStock(int count) {
    final int batch = 10_000;
    for (int from = 0; from < count; from += batch) {
      List<String> numbers = LongStream.range(from, Math.min(count, from + batch))
          .mapToObj(i -> "+" + (FIRST_STOCK_NUMBER + i)).toList();
      Inventory.ImportResult imported = app.inventory().importNumbers(Actor.SYSTEM, "bench-gateway", null, numbers);
      if (imported.added() != numbers.size()) {
        throw new IllegalStateException("the inventory took " + imported.added() + " of " + numbers.size()
            + " numbers; rejected: " + imported.rejected());
      }
    }
  }

  /** The JDBC URL of the node's own PostgreSQL database; empty on H2. */
  Optional<String> postgresUrl() {
    return scratch.postgresUrl();
  }

  /** How many messages from the source the journal holds committed with their code on a matched activation. */
  /**
   * Makes the source the owner of every target's number. A source delivers SMS only to its own numbers, and each inbound
   * path of a run sends to the same activations through a source of its own, so each path takes the numbers over first.
   */
  void handNumbersTo(long sourceId) {
    List<String> phones = targets.stream().map(Target::phone).toList();
    app.database().withHandle(h -> h.createUpdate("UPDATE phone_number SET source_id = :s WHERE e164 IN (<phones>)")
        .bind("s", sourceId).bindList("phones", phones).execute());
  }

  long journaledWithCode(long sourceId) {
    return app.database().withHandle(h -> h.createQuery(
            "SELECT COUNT(*) FROM inbound_message WHERE source_id = :s AND activation_id IS NOT NULL AND code IS NOT NULL")
        .bind("s", sourceId).mapTo(Long.class).one());
  }

  @Override
  public void close() {
    app.close();
    Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
    scratch.remove();
  }

  /** The node's throwaway storage: a temporary data directory and, on PostgreSQL, a database of its own. */
  private record Scratch(Path dataDir, String postgresServer, String database) {

    static Scratch create(BenchOptions options) throws IOException {
      Path dataDir = Files.createTempDirectory("verigate-bench");
      if (!options.db().equals("postgres")) {
        return new Scratch(dataDir, null, null);
      }
      Scratch scratch = new Scratch(dataDir, options.postgresServer(),
          "verigate_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
      try {
        execute(scratch.postgresServer, "CREATE DATABASE " + scratch.database);
      } catch (RuntimeException e) {
        deleteTree(dataDir);
        throw e;
      }
      return scratch;
    }

    /** The server URL with its database name replaced, its parameters (user, password) kept. */
    Optional<String> postgresUrl() {
      if (database == null) {
        return Optional.empty();
      }
      int slash = postgresServer.indexOf('/', "jdbc:postgresql://".length());
      int query = postgresServer.indexOf('?');
      return Optional.of(postgresServer.substring(0, slash + 1) + database
          + (query < 0 ? "" : postgresServer.substring(query)));
    }

    /** Safe to run twice: the shutdown hook of an interrupted run may follow a close that got half-way. */
    void remove() {
      if (database != null) {
        execute(postgresServer, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      }
      deleteTree(dataDir);
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void execute(String serverUrl, String sql) {
    try (Connection c = DriverManager.getConnection(serverUrl); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL at " + serverUrl + " refused '" + sql + "': " + e.getMessage(), e);
    }
  }
}
