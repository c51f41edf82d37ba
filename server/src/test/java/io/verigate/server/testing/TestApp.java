package io.verigate.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.account.ApiKeys;
import io.verigate.server.account.Actor;
import io.verigate.server.account.Mode;
import io.verigate.server.account.Operation;
import io.verigate.server.account.Principal;
import io.verigate.server.http.support.Json;
import io.verigate.server.inbound.InboundMessage;
import io.verigate.server.App;
import io.verigate.server.system.Config;
import io.verigate.server.wallet.Money;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real Verigate node for a test: started through {@link App#create} on a random port, with its own data
 * directory and its own fresh database (H2 in memory, or PostgreSQL for {@code *IT} tests). The operator's side
 * of a test (customers, keys, credit, prices, number sources and their numbers) goes through the admin API, as a
 * real operator's would.
 */
public final class TestApp implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  /** Customer and source names must be unique per node; one counter for every node keeps them so. */
  private static final AtomicInteger NEXT_NAME = new AtomicInteger();

  private final App app;
  private final String databaseUrl;
  /** The PostgreSQL database this node created and drops when it closes; null on H2 and for another node. */
  private final String ownedPostgresUrl;

  private TestApp(App app, String databaseUrl, String ownedPostgresUrl) {
    this.app = app;
    this.databaseUrl = databaseUrl;
    this.ownedPostgresUrl = ownedPostgresUrl;
  }

  /** On H2, with a short sandbox delay and the given overrides of configuration keys. */
  public static TestApp start(Map<String, String> overrides) {
    return start(false, overrides, Clock.systemUTC());
  }

  public static TestApp start() {
    return start(Map.of());
  }

  /** On a fresh PostgreSQL database: for {@code *IT} tests. */
  public static TestApp startOnPostgres(Map<String, String> overrides) {
    return start(true, overrides, Clock.systemUTC());
  }

  public static TestApp start(boolean postgres, Map<String, String> overrides, Clock clock) {
    String pg = postgres ? TestDatabases.freshPostgres() : null;
    String databaseUrl = postgres ? pg : TestDatabases.freshH2();
    return new TestApp(node(databaseUrl, overrides, clock), databaseUrl, pg);
  }

  /**
   * Another node on this node's database, as a second process behind the same load balancer would be. Closing it
   * leaves the database to the first node.
   */
  public TestApp anotherNode(Map<String, String> overrides) {
    return anotherNode(overrides, Clock.systemUTC());
  }

  /** {@link #anotherNode(Map)} on the given clock, e.g. a node restarted on the test's clock. */
  public TestApp anotherNode(Map<String, String> overrides, Clock clock) {
    return new TestApp(node(databaseUrl, overrides, clock), databaseUrl, null);
  }

  /**
   * The master key of every test node on PostgreSQL, where nodes generate none: nodes on one database share it, as an
   * operator configures one key on every node. On H2 each node generates its own into its data directory.
   */
  private static final String POSTGRES_MASTER_KEY = Base64.getEncoder()
      .encodeToString("tests-share-this-master-key-32b!".getBytes(StandardCharsets.US_ASCII));

  private static App node(String databaseUrl, Map<String, String> overrides, Clock clock) {
    Map<String, String> values = new HashMap<>();
    values.put("port", "0");
    values.put("host", "127.0.0.1");
    values.put("data-dir", tempDir().toString());
    values.put("sandbox-delivery-delay", "300ms");
    values.put("admin-token", "test-admin-token");
    values.put("db-url", databaseUrl);
    values.putAll(overrides);
    if (values.get("db-url").startsWith("jdbc:postgresql:")) {
      values.putIfAbsent("master-key", POSTGRES_MASTER_KEY);
    }
    return App.create(Config.defaults(values), clock).start();
  }

  public App app() {
    return app;
  }

  public String databaseUrl() {
    return databaseUrl;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + app.port();
  }

  public String sandboxKey() {
    return app.credentials().sandboxKey().orElseThrow();
  }

  public String adminToken() {
    return app.credentials().adminToken().orElseThrow();
  }

  /** The texts the inbound journal holds for a receiving number, oldest first. */
  public List<String> journal(String receiver) {
    return app.database().withHandle(h -> h.createQuery("SELECT text FROM inbound_message WHERE receiver = :r ORDER BY id")
        .bind("r", receiver).mapTo(String.class).list());
  }


  /** A customer as the operator set it up: its id and one API key. */
  public record Customer(long id, String key) {}

  /** A number source as its gateway knows it: the id its messages carry, its name for imports, its push token. */
  public record Source(long id, String name, String token) {}

  /** A new customer with a live key and {@code credit} in its live wallet ("0" leaves it empty). */
  public Customer liveCustomer(String credit) {
    Customer customer = customer("live");
    if (!credit.equals("0")) {
      credit(customer.id(), credit);
    }
    return customer;
  }

  /**
   * A new customer with a live key and {@code funds} in its live wallet, set up through the services rather than the
   * admin API, as the key's owner for calling the services directly.
   */
  public Principal livePrincipal(String name, Money funds) {
    long customer = app.accounts().createCustomer(Actor.SYSTEM, name).id();
    String key = app.keys().issue(Actor.SYSTEM, customer, ApiKeys.NewKey.unrestricted(Mode.LIVE, "test key")).secret();
    app.wallets().credit(Actor.SYSTEM, customer, Mode.LIVE, funds, "test funds");
    return principal(key);
  }

  /** The caller behind a key, as the access gate admits it from this machine. */
  public Principal principal(String key) {
    return app.gate().customer(key, Operation.READ, "127.0.0.1");
  }

  /** A new customer with a test-mode key, for tests that count its activations or money. */
  public Customer sandboxCustomer() {
    return customer("test");
  }

  /** Credits the customer's live wallet. */
  public void credit(long customerId, String amount) {
    admin("POST", "/admin/v1/customers/" + customerId + "/wallet/credit", Map.of("amount", amount));
  }

  /** Sets a price rule. */
  public void setPrice(String service, String countryIso, String price) {
    setPrice(service, countryIso, "any", price);
  }

  public void setPrice(String service, String countryIso, String operator, String price) {
    admin("PUT", "/admin/v1/prices", Map.of("service", service, "country", countryIso, "operator", operator,
        "price", price));
  }

  /** A new number source of the generic HTTP type, under a name of its own. */
  public Source createSource() {
    JsonNode created = admin("POST", "/admin/v1/sources", Map.of("name", "gw" + NEXT_NAME.incrementAndGet()));
    return new Source(created.get("id").asLong(), created.get("name").asText(), created.get("token").asText());
  }

  /** Imports these numbers (E.164) from the source, with this operator (null for none); each must be new. */
  public void importNumbers(String source, String operator, List<String> numbers) {
    Map<String, Object> body = new HashMap<>(Map.of("source", source, "numbers", numbers));
    if (operator != null) {
      body.put("operator", operator);
    }
    JsonNode imported = admin("POST", "/admin/v1/numbers", body);
    if (imported.get("added").asInt() != numbers.size()) {
      throw new IllegalStateException("importing " + numbers + " added fewer: " + imported);
    }
  }

  /** Imports {@code count} fresh mobile numbers of the country from the source, with this operator; returns them. */
  public List<String> stock(String source, String countryIso, String operator, int count) {
    List<String> numbers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      numbers.add(TestNumbers.freshMobile(countryIso));
    }
    importNumbers(source, operator, numbers);
    return numbers;
  }

  /** An SMS from the source to one of its numbers, received at {@code at}, through the node's inbound pipeline. */
  public void deliver(Source source, String to, String from, String text, Instant at) {
    app.pipeline().accept(new InboundMessage(source.id(), UUID.randomUUID().toString(), to, from, text, at));
  }

  /** One admin API call that must succeed: its JSON answer. {@code body} is written as JSON; null sends none. */
  public JsonNode admin(String method, String path, Map<String, ?> body) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
        .timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + adminToken())
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(Json.write(body)))
        .build();
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException(method + " " + path + " failed: " + response.statusCode() + " " + response.body());
      }
      return Json.MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Customer customer(String mode) {
    long id = admin("POST", "/admin/v1/customers", Map.of("name", "customer " + NEXT_NAME.incrementAndGet()))
        .get("id").asLong();
    return new Customer(id, admin("POST", "/admin/v1/customers/" + id + "/keys", Map.of("mode", mode)).get("key").asText());
  }

  @Override
  public void close() {
    app.close();
    if (ownedPostgresUrl != null) {
      TestDatabases.dropPostgres(ownedPostgresUrl);
    }
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("verigate-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
