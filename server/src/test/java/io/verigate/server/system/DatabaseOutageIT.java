package io.verigate.server.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.http.support.Json;
import io.verigate.server.testing.TcpProxy;
import io.verigate.server.testing.TestApp;
import io.verigate.server.testing.TestDatabases;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL taken away from a running node through a proxy: refused (a stopped server) and frozen (a partition
 * without resets). Requests fail fast with each dialect's retry answer, readiness says so, nothing answers 2xx for a
 * message it did not store, and the node heals by itself once the database is back.
 */
class DatabaseOutageIT {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Duration FAST = Duration.ofSeconds(8);

  private record Reply(int status, String body, HttpResponse<String> raw) {
    JsonNode json() {
      try {
        return Json.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new AssertionError(body, e);
      }
    }
  }

  private static Reply send(String method, String url, String body, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    long started = System.nanoTime();
    try {
      HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(Duration.ofNanos(System.nanoTime() - started)).as("%s %s answered in time", method, url).isLessThan(FAST);
      return new Reply(response.statusCode(), response.body(), response);
    } catch (IOException e) {
      throw new AssertionError(method + " " + url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The same database URL, reached through the proxy. */
  private static String through(TcpProxy proxy, String databaseUrl) {
    Matcher m = Pattern.compile("jdbc:postgresql://([^:/]+)(:(\\d+))?/").matcher(databaseUrl);
    assertThat(m.find()).isTrue();
    return databaseUrl.substring(0, m.start(1)) + "127.0.0.1:" + proxy.port() + databaseUrl.substring(m.end(m.group(2) == null ? 1 : 2));
  }

  private static TcpProxy proxyFor(String databaseUrl) {
    Matcher m = Pattern.compile("jdbc:postgresql://([^:/]+)(:(\\d+))?/").matcher(databaseUrl);
    assertThat(m.find()).isTrue();
    return new TcpProxy(m.group(1), m.group(3) == null ? 5432 : Integer.parseInt(m.group(3)));
  }

  private static void assertOutageAnswers(TestApp node, String key) {
    String api = node.baseUrl();
    Reply rest = send("GET", api + "/api/v1/wallet/balance", null, "x-api-key", key);
    assertThat(rest.status()).as(rest.body()).isEqualTo(503);
    assertThat(rest.json().get("code").asText()).isEqualTo("SERVICE_UNAVAILABLE");
    assertThat(rest.raw().headers().firstValue("Retry-After")).isPresent();

    Reply quick = send("GET", api + "/balance?key=" + key, null);
    assertThat(quick.status()).isEqualTo(503);
    assertThat(quick.json().get("error").asText()).isEqualTo("SERVICE_UNAVAILABLE");

    Reply legacy = send("GET", api + "/stubs/handler_api.php?api_key=" + key + "&action=getBalance", null);
    assertThat(legacy.body()).isEqualTo("ERROR_SQL");

    Reply fiveSim = send("GET", api + "/v1/user/profile", null, "Authorization", "Bearer " + key);
    assertThat(fiveSim.status()).isEqualTo(503);

    Reply push = send("POST", api + "/api/v1/inbound/sms", "{\"to\":\"+14155550100\",\"text\":\"code 1234\"}",
        "Authorization", "Bearer vgs_anything", "Content-Type", "application/json");
    assertThat(push.status()).as("never a 2xx for a message that was not stored").isGreaterThanOrEqualTo(500);

    assertThat(send("GET", api + "/health/ready", null).status()).isEqualTo(503);
    assertThat(send("GET", api + "/health", null).status()).isEqualTo(200);
  }

  private static void awaitHealed(TestApp node, String key) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (send("GET", node.baseUrl() + "/api/v1/wallet/balance", null, "x-api-key", key).status() == 200) {
        assertThat(send("GET", node.baseUrl() + "/health/ready", null).status()).isEqualTo(200);
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the node did not heal within 30 s of the database coming back");
  }

  @Test
  void aRefusedDatabaseIsAnOutageInEveryDialectAndTheNodeHealsWhenItReturns() throws InterruptedException {
    String database = TestDatabases.freshPostgres();
    try (TcpProxy proxy = proxyFor(database);
        TestApp node = TestApp.start(false, Map.of("db-url", through(proxy, database), "db-wait", "1s"),
            Clock.systemUTC())) {
      String key = node.sandboxCustomer().key();
      assertThat(send("GET", node.baseUrl() + "/api/v1/wallet/balance", null, "x-api-key", key).status()).isEqualTo(200);

      proxy.mode(TcpProxy.Mode.REFUSE);
      assertOutageAnswers(node, key);

      proxy.mode(TcpProxy.Mode.PASS);
      awaitHealed(node, key);
    } finally {
      TestDatabases.dropPostgres(database);
    }
  }

  @Test
  void aFrozenConnectionTimesOutAndTheNodeHealsWithoutARestart() throws InterruptedException {
    String database = TestDatabases.freshPostgres();
    try (TcpProxy proxy = proxyFor(database);
        TestApp node = TestApp.start(false, Map.of("db-url", through(proxy, database), "db-wait", "1s",
            "db-socket-timeout", "3s"), Clock.systemUTC())) {
      String key = node.sandboxCustomer().key();
      assertThat(send("GET", node.baseUrl() + "/api/v1/wallet/balance", null, "x-api-key", key).status()).isEqualTo(200);

      proxy.mode(TcpProxy.Mode.FREEZE);
      Reply frozen = send("GET", node.baseUrl() + "/api/v1/activations?limit=1", null, "x-api-key", key);
      assertThat(frozen.status()).as(frozen.body()).isEqualTo(503);

      proxy.mode(TcpProxy.Mode.PASS);
      awaitHealed(node, key);
    } finally {
      TestDatabases.dropPostgres(database);
    }
  }
}
