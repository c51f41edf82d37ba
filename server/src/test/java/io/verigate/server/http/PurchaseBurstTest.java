package io.verigate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.account.Mode;
import io.verigate.server.testing.TestApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Bursts of first purchases on a fresh node, over HTTP in every dialect, as a new customer's bot farm sends them: none
 * may fail with a 5xx, a sandbox purchase is never refused for money and funds its wallet once, and a live wallet
 * sells exactly what it affords, each number once. {@link PurchaseBurstIT} runs the same on PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PurchaseBurstTest {
  private static final int SANDBOX_BURST = 64;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestApp app;

  TestApp startNode() {
    return TestApp.start(Map.of("db-pool-size", "16"));
  }

  @BeforeAll
  void start() {
    app = startNode();
  }

  @AfterAll
  void stop() {
    app.close();
  }

  /** One dialect's purchase request for a key, its success status, and how to read the number out of its answer. */
  private record Dialect(Function<String, HttpRequest> buy, int bought, Pattern number) {}

  private Dialect rest() {
    return new Dialect(key -> HttpRequest.newBuilder(URI.create(app.baseUrl() + "/api/v1/activations"))
        .header("x-api-key", key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"service\":\"wa\",\"country\":\"us\"}")).build(),
        201, Pattern.compile("\"phoneNumber\":\"\\+(\\d+)\""));
  }

  private Dialect smsActivate() {
    return new Dialect(key -> get("/stubs/handler_api.php?action=getNumber&service=wa&country=187&api_key=" + key, key),
        200, Pattern.compile("^ACCESS_NUMBER:\\d+:(\\d+)$"));
  }

  private Dialect fiveSim() {
    return new Dialect(key -> get("/v1/user/buy/activation/usa/any/whatsapp", key),
        200, Pattern.compile("\"phone\":\"\\+(\\d+)\""));
  }

  private Dialect quickStart() {
    return new Dialect(key -> get("/number?service=wa&country=us", key), 200, Pattern.compile("\"number\":\"\\+(\\d+)\""));
  }

  private HttpRequest get(String path, String key) {
    return HttpRequest.newBuilder(URI.create(app.baseUrl() + path))
        .header("x-api-key", key).header("Authorization", "Bearer " + key).GET().build();
  }

  @Test
  void sandboxBurstsInEveryDialectAreAllServedAndFundTheWalletOnce() throws Exception {
    for (Dialect dialect : List.of(rest(), smsActivate(), fiveSim(), quickStart())) {
      TestApp.Customer customer = app.sandboxCustomer();

      List<HttpResponse<String>> answers = burst(dialect.buy().apply(customer.key()), SANDBOX_BURST);

      assertThat(answers).as("every answer of %s", dialect.buy().apply(customer.key()).uri())
          .allSatisfy(answer -> assertThat(answer.statusCode()).as(answer.body()).isEqualTo(dialect.bought()));
      assertThat(numbers(answers, dialect.number())).hasSize(SANDBOX_BURST).doesNotHaveDuplicates();
      assertThat(sandboxTopUps(customer.id())).as("top-ups of the test wallet").isEqualTo(1);
    }
  }

  @Test
  void aLiveWalletThatAffordsTenSellsExactlyTenOfFortyFirstPurchases() throws Exception {
    app.setPrice("wa", "gb", "1.00");
    TestApp.Source source = app.createSource();
    app.stock(source.name(), "GB", null, 40);
    TestApp.Customer customer = app.liveCustomer("10.00");
    HttpRequest buy = HttpRequest.newBuilder(URI.create(app.baseUrl() + "/api/v1/activations"))
        .header("x-api-key", customer.key()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"service\":\"wa\",\"country\":\"gb\"}")).build();

    List<HttpResponse<String>> answers = burst(buy, 40);

    assertThat(answers).filteredOn(a -> a.statusCode() == 201).hasSize(10);
    assertThat(answers).filteredOn(a -> a.statusCode() != 201)
        .allSatisfy(refused -> {
          assertThat(refused.statusCode()).isEqualTo(402);
          assertThat(refused.body()).contains("NO_BALANCE");
        });
    assertThat(numbers(answers.stream().filter(a -> a.statusCode() == 201).toList(), rest().number()))
        .hasSize(10).doesNotHaveDuplicates();
    assertThat(app.app().wallets().reconciles(customer.id(), Mode.LIVE)).isTrue();
  }

  /** Sends {@code count} copies of the request at once and returns every answer. */
  private static List<HttpResponse<String>> burst(HttpRequest request, int count) throws Exception {
    ExecutorService senders = Executors.newFixedThreadPool(count);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<HttpResponse<String>>> pending = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        pending.add(senders.submit(() -> {
          go.await();
          return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        }));
      }
      go.countDown();
      List<HttpResponse<String>> answers = new ArrayList<>();
      for (Future<HttpResponse<String>> answer : pending) {
        answers.add(answer.get());
      }
      return answers;
    } finally {
      senders.shutdownNow();
    }
  }

  private static List<String> numbers(List<HttpResponse<String>> answers, Pattern number) {
    return answers.stream().map(answer -> {
      Matcher found = number.matcher(answer.body());
      assertThat(found.find()).as("a number in %s", answer.body()).isTrue();
      return found.group(1);
    }).toList();
  }

  private long sandboxTopUps(long customerId) {
    return app.app().database().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM ledger_entry e "
            + "JOIN wallet w ON w.id = e.wallet_id WHERE w.customer_id = :c AND w.mode = 'test' AND e.kind = 'CREDIT'")
        .bind("c", customerId).mapTo(Long.class).one());
  }
}
