package io.verigate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node process on PostgreSQL killed with SIGKILL in the middle of a mixed load (purchases, inbound messages,
 * finishes, cancels), then started again: every operation it acknowledged is in the database, the ledger adds up, and
 * no hold is left pending for an activation that ended.
 */
class CrashIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final String ADMIN = "crash-test-admin-token";
  private static final String MASTER_KEY = "Y3Jhc2gtdGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzISE=";
  private static final String CREDIT = "1000.00";

  @TempDir
  Path dir;

  /** What the node acknowledged, by kind. */
  private final Set<Integer> purchased = ConcurrentHashMap.newKeySet();
  private final Set<String> messages = ConcurrentHashMap.newKeySet();
  private final Set<Integer> finished = ConcurrentHashMap.newKeySet();
  private final Set<Integer> canceled = ConcurrentHashMap.newKeySet();

  /** Refusals by status and code, to tell why a run acknowledged too little. */
  private final Map<String, Integer> refusals = new ConcurrentHashMap<>();

  private int port;
  private String database;

  @Test
  void everyAcknowledgedOperationSurvivesAKillMidLoad() throws Exception {
    assumeTrue("postgres".equals(System.getProperty("verigate.test.db")), "crash test runs on PostgreSQL (CI)");
    database = freshDatabase();
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    NodeProcess node = start();
    String key;
    String sourceToken;
    try {
      long customer = admin("POST", "/admin/v1/customers", Map.of("name", "crash")).get("id").asLong();
      key = admin("POST", "/admin/v1/customers/" + customer + "/keys", Map.of("mode", "live")).get("key").asText();
      admin("POST", "/admin/v1/customers/" + customer + "/wallet/credit", Map.of("amount", CREDIT));
      sourceToken = admin("POST", "/admin/v1/sources", Map.of("name", "crash-gw")).get("token").asText();
      List<String> numbers = new ArrayList<>();
      for (int i = 0; i < 3000; i++) {
        numbers.add("+1201555" + String.format("%04d", i));
      }
      admin("POST", "/admin/v1/numbers", Map.of("source", "crash-gw", "numbers", numbers));

      AtomicBoolean running = new AtomicBoolean(true);
      ExecutorService clients = Executors.newFixedThreadPool(4);
      for (int i = 0; i < 4; i++) {
        clients.submit(() -> load(key, sourceToken, running));
      }
      // mid-load: once every kind of operation has been acknowledged a few times
      waitUntil(Duration.ofSeconds(20), () -> purchased.size() >= 60 && finished.size() >= 10 && canceled.size() >= 10);
      int beforeKill = purchased.size();
      node.kill();
      node.close();
      node = start();
      waitUntil(Duration.ofSeconds(20), () -> purchased.size() >= beforeKill + 30);
      running.set(false);
      clients.shutdown();
      assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

      assertThat(beforeKill).as("purchases acknowledged before the kill; refusals %s", refusals).isGreaterThanOrEqualTo(20);
      assertThat(purchased.size()).as("purchases after the restart too; refusals %s", refusals).isGreaterThan(beforeKill);
      assertThat(finished).isNotEmpty();
      assertThat(canceled).isNotEmpty();
    } finally {
      node.close();
    }

    try (Connection sql = DriverManager.getConnection(url(database))) {
      assertThat(ints(sql, "SELECT id FROM activation")).as("acknowledged purchases").containsAll(purchased);
      assertThat(strings(sql, "SELECT provider_id FROM inbound_message")).as("acknowledged messages")
          .containsAll(messages);
      assertThat(ints(sql, "SELECT id FROM activation WHERE status = 'FINISHED'")).as("acknowledged finishes")
          .containsAll(finished);
      assertThat(ints(sql, "SELECT id FROM activation WHERE status = 'CANCELED'")).as("acknowledged cancels")
          .containsAll(canceled);
      // the wallet's shards add up to its entries; each shard holds exactly its open holds and is never negative
      String heldBy = "SUM(CASE WHEN e.kind = 'HOLD' THEN e.amount WHEN e.kind IN ('POST', 'VOID', 'EXPIRE') "
          + "THEN -e.amount ELSE 0 END)";
      assertThat(ints(sql, "SELECT w.id FROM wallet w WHERE "
          + "(SELECT COALESCE(SUM(s.posted), 0) FROM wallet_shard s WHERE s.wallet_id = w.id) <> (SELECT COALESCE(SUM("
          + "CASE WHEN e.kind = 'CREDIT' THEN e.amount WHEN e.kind IN ('DEBIT', 'POST') THEN -e.amount ELSE 0 END), 0) "
          + "FROM ledger_entry e WHERE e.wallet_id = w.id) "
          + "OR (SELECT COALESCE(SUM(s.held), 0) FROM wallet_shard s WHERE s.wallet_id = w.id) <> (SELECT COALESCE("
          + heldBy + ", 0) FROM ledger_entry e WHERE e.wallet_id = w.id) "
          + "OR EXISTS (SELECT 1 FROM wallet_shard s WHERE s.wallet_id = w.id AND (s.posted - s.held < 0 OR s.held <> "
          + "(SELECT COALESCE(" + heldBy + ", 0) FROM ledger_entry e WHERE e.wallet_id = w.id AND e.shard = s.shard)))"))
          .as("wallets whose balance is not their entries").isEmpty();
      // each activation holds its price once; a hold is resolved once, and only while the activation lives is it open
      assertThat(ints(sql, "SELECT a.id FROM activation a JOIN ledger_entry h ON h.id = a.hold_id "
          + "WHERE h.kind <> 'HOLD' OR h.amount <> a.price")).as("activations without their hold").isEmpty();
      assertThat(ints(sql, "SELECT a.id FROM activation a WHERE a.status NOT IN ('WAITING', 'RECEIVED') AND NOT EXISTS "
          + "(SELECT 1 FROM ledger_entry r WHERE r.resolves_hold = a.hold_id)")).as("ended activations with a pending hold")
          .isEmpty();
      assertThat(ints(sql, "SELECT a.id FROM activation a WHERE a.status IN ('WAITING', 'RECEIVED') AND EXISTS "
          + "(SELECT 1 FROM ledger_entry r WHERE r.resolves_hold = a.hold_id)")).as("live activations already settled")
          .isEmpty();
      assertThat(ints(sql, "SELECT CAST(h.id AS INTEGER) FROM ledger_entry h WHERE h.kind = 'HOLD' AND NOT EXISTS "
          + "(SELECT 1 FROM activation a WHERE a.hold_id = h.id)")).as("holds of no activation").isEmpty();
      assertThat(ints(sql, "SELECT CAST(COUNT(*) AS INTEGER) FROM ledger_entry WHERE kind = 'POST'"))
          .containsExactly(ints(sql, "SELECT CAST(COUNT(*) AS INTEGER) FROM activation WHERE status = 'FINISHED'").get(0));
    } finally {
      dropDatabase(database);
    }
  }

  /** One client: buys, then either cancels, or has a code pushed and finishes; records what the node acknowledged. */
  private void load(String key, String sourceToken, AtomicBoolean running) {
    String[] services = {"wa", "tg"};
    while (running.get()) {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      try {
        HttpResponse<String> bought = send("POST", "/api/v1/activations", "{\"serviceCode\":\""
            + services[random.nextInt(services.length)] + "\",\"countryIso\":\"US\"}", "x-api-key", key);
        if (bought.statusCode() != 201) {
          refused("purchase", bought);
          continue;
        }
        JsonNode activation = JSON.readTree(bought.body());
        int id = activation.get("id").asInt();
        purchased.add(id);
        if (random.nextInt(3) == 0) {
          HttpResponse<String> cancel = send("POST", "/api/v1/activations/" + id + "/cancel", null, "x-api-key", key);
          if (cancel.statusCode() == 200) {
            canceled.add(id);
          } else {
            refused("cancel", cancel);
          }
          continue;
        }
        String messageId = UUID.randomUUID().toString();
        HttpResponse<String> pushed = send("POST", "/api/v1/inbound/sms", JSON.writeValueAsString(Map.of(
            "to", activation.get("phoneNumber").asText(), "from", "WhatsApp", "text", "Your code is " + (100000 + id),
            "messageId", messageId)), "Authorization", "Bearer " + sourceToken);
        if (pushed.statusCode() / 100 != 2) {
          refused("message", pushed);
          continue;
        }
        messages.add(messageId);
        HttpResponse<String> finish = send("POST", "/api/v1/activations/" + id + "/finish", null, "x-api-key", key);
        if (finish.statusCode() == 200) {
          finished.add(id);
        } else {
          refused("finish", finish);
        }
      } catch (IOException down) {
        pause(); // the node is down or restarting: nothing acknowledged
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException bug) {
        refusals.merge("client error " + bug, 1, Integer::sum); // shown by the assertions, not lost with the thread
        return;
      }
    }
  }

  private void refused(String operation, HttpResponse<String> answer) {
    String code = answer.body().replaceAll("(?s).*\"code\":\"([A-Z_]+)\".*", "$1");
    refusals.merge(operation + " " + answer.statusCode() + " " + (code.length() > 40 ? "" : code), 1, Integer::sum);
  }

  private static void waitUntil(Duration patience, java.util.function.BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (!done.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private NodeProcess start() {
    ProcessBuilder serve = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx384m", "-jar", System.getProperty("verigate.jar"), "serve",
        "--port", String.valueOf(port), "--host", "127.0.0.1", "--data-dir", dir.toString(),
        "--db-url", url(database), "--rate-limits", "off", "--max-live-activations", "off",
        "--early-cancel-guard", "0s", "--sweep-interval", "1s");
    serve.environment().keySet().removeIf(name -> name.startsWith("VERIGATE_"));
    serve.environment().put("VERIGATE_ADMIN_TOKEN", ADMIN);
    serve.environment().put("VERIGATE_MASTER_KEY", MASTER_KEY);
    return NodeProcess.start(serve, Duration.ofSeconds(120));
  }

  private HttpResponse<String> send(String method, String path, String body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode admin(String method, String path, Map<String, ?> body) throws IOException, InterruptedException {
    HttpResponse<String> response = send(method, path, JSON.writeValueAsString(body), "Authorization", "Bearer " + ADMIN);
    assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isBetween(200, 299);
    return JSON.readTree(response.body());
  }

  private static String url(String database) {
    String server = System.getProperty("verigate.test.pgurl");
    return server.replaceFirst("/[^/?]*(\\?|$)", "/" + database + "$1");
  }

  private static String freshDatabase() throws SQLException {
    String name = "crash_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection admin = DriverManager.getConnection(System.getProperty("verigate.test.pgurl"));
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    }
    return name;
  }

  private static void dropDatabase(String name) throws SQLException {
    try (Connection admin = DriverManager.getConnection(System.getProperty("verigate.test.pgurl"));
        Statement statement = admin.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
  }

  private static List<Integer> ints(Connection sql, String query) throws SQLException {
    List<Integer> values = new ArrayList<>();
    try (Statement statement = sql.createStatement(); ResultSet rows = statement.executeQuery(query)) {
      while (rows.next()) {
        values.add(rows.getInt(1));
      }
    }
    return values;
  }

  private static Set<String> strings(Connection sql, String query) throws SQLException {
    Set<String> values = new HashSet<>();
    try (Statement statement = sql.createStatement(); ResultSet rows = statement.executeQuery(query)) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return values;
  }
}
