package io.verigate.server.testing;

import io.verigate.server.system.App;
import io.verigate.server.system.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real Verigate node for a test: started through {@link App#create} on a random port, with its own data
 * directory and its own fresh database (H2 in memory, or PostgreSQL for {@code *IT} tests).
 */
public final class TestApp implements AutoCloseable {
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
    return new TestApp(node(databaseUrl, overrides, Clock.systemUTC()), databaseUrl, null);
  }

  private static App node(String databaseUrl, Map<String, String> overrides, Clock clock) {
    Map<String, String> values = new HashMap<>();
    values.put("port", "0");
    values.put("host", "127.0.0.1");
    values.put("data-dir", tempDir().toString());
    values.put("sandbox-delivery-delay", "300ms");
    values.put("admin-token", "test-admin-token");
    values.put("db-url", databaseUrl);
    values.putAll(overrides);
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

  /** Sets a price rule through the admin API, as an operator would. */
  public void setPrice(String service, String countryIso, String price) {
    String body = "{\"service\":\"" + service + "\",\"country\":\"" + countryIso + "\",\"price\":\"" + price + "\"}";
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/admin/v1/prices"))
        .header("Authorization", "Bearer " + adminToken())
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(body))
        .build();
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("setting a price failed: " + response.statusCode() + " " + response.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
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
