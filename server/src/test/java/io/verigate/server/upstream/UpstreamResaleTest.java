package io.verigate.server.upstream;

import static io.verigate.server.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.verigate.client.Activation;
import io.verigate.client.Balance;
import io.verigate.client.BuyRequest;
import io.verigate.client.ListFilter;
import io.verigate.client.VerigateClient;
import io.verigate.client.VerigateException;
import io.verigate.server.testing.Eventually;
import io.verigate.server.testing.MutableClock;
import io.verigate.server.testing.TcpProxy;
import io.verigate.server.testing.TestApp;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Node A resells from node B, a real second node: A's customers buy with A's own stock empty, get B's number, and
 * the code B receives for it; A charges its own price, B charges A's account there. A reaches B through a TCP proxy,
 * so the last test can take B away. A's clock stands still until a test moves it, so lifetimes pass without waiting.
 * Every test works in a country of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpstreamResaleTest {
  private static final Duration UPSTREAM_TIMEOUT = Duration.ofSeconds(2);

  private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
  private TestApp b;
  private TestApp a;
  private TcpProxy toB;
  private TestApp.Source gatewayOnB;
  /** A's account at B: what B charges for the numbers A resells. */
  private VerigateClient resellerAtB;

  @BeforeAll
  void start() {
    b = TestApp.start(Map.of("early-cancel-guard", "0s"));
    gatewayOnB = b.createSource();
    TestApp.Customer reseller = b.liveCustomer("10.00");
    resellerAtB = VerigateClient.create(b.baseUrl(), reseller.key());
    toB = new TcpProxy("127.0.0.1", b.app().port());
    a = TestApp.start(false, Map.of("early-cancel-guard", "0s", "upstream-timeout", UPSTREAM_TIMEOUT.toSeconds() + "s",
        "sweep-interval", "100ms"), clock);
    JsonNode registered = a.admin("POST", "/admin/v1/upstreams", Map.of("name", "node-b", "protocol", "verigate",
        "baseUrl", "http://127.0.0.1:" + toB.port(), "apiKey", reseller.key(), "markupPercent", 25));
    assertThat(registered.has("apiKey")).as("the key is never shown").isFalse();
  }

  @AfterAll
  void stop() {
    a.close();
    toB.close();
    b.close();
  }

  @Test
  @Order(0)
  void aNodeRefusesItsOwnCustomersKeyAsAnUpstreamSoItCannotResellFromItself() {
    String ownKey = a.liveCustomer("1.00").key();

    assertThatThrownBy(() -> a.admin("POST", "/admin/v1/upstreams", Map.of("name", "myself", "protocol", "verigate",
        "baseUrl", a.baseUrl(), "apiKey", ownKey, "markupPercent", 10)))
        .hasMessageContaining("400").hasMessageContaining("cannot resell from itself");
  }

  @Test
  @Order(1)
  void aCustomerOfAGetsBsNumberAndTheCodeBReceivesAndEachNodeChargesItsPrice() throws Exception {
    List<String> onB = b.stock(gatewayOnB.name(), "de", null, 1);
    b.setPrice("wa", "de", "0.30");
    a.setPrice("wa", "de", "0.50");
    VerigateClient customer = customerOfA();
    Balance resellerBefore = resellerAtB.balance();

    Activation bought = customer.buy(BuyRequest.of("wa", "de"));

    assertThat(bought.phoneNumber()).isEqualTo(onB.get(0));
    assertThat(bought.userCost()).isEqualByComparingTo("0.50");
    assertBalance(customer, "9.50", "0.50");
    assertBalance(resellerAtB, resellerBefore.balance().subtract(new BigDecimal("0.30")), "0.30");

    b.deliver(gatewayOnB, bought.phoneNumber(), "WhatsApp", "Your WhatsApp code: 482-913", Instant.now());
    assertThat(customer.awaitCode(bought.id(), Duration.ofSeconds(10)).code()).isEqualTo("482913");

    assertThat(customer.finish(bought.id()).status()).isEqualTo("FINISHED");
    assertBalance(customer, "9.50", "0.00");
    eventually("B finished A's number and charged A 0.30", () -> onlyActivationAtB("de").status().equals("FINISHED")
        && resellerAtB.balance().held().signum() == 0);
    assertBalance(resellerAtB, resellerBefore.balance().subtract(new BigDecimal("0.30")), "0.00");
  }

  @Test
  @Order(2)
  void aResendOnAIsForwardedToBAndTheNextCodeRelayed() throws Exception {
    b.stock(gatewayOnB.name(), "pl", null, 1);
    b.setPrice("wa", "pl", "0.30");
    VerigateClient customer = customerOfA();
    Activation bought = customer.buy(BuyRequest.of("wa", "pl"));
    b.deliver(gatewayOnB, bought.phoneNumber(), "WhatsApp", "Your WhatsApp code: 111-222", Instant.now());
    assertThat(customer.awaitCode(bought.id(), Duration.ofSeconds(10)).code()).isEqualTo("111222");

    customer.resend(bought.id());

    eventually("B was asked for another code", () -> onlyActivationAtB("pl").status().equals("WAITING"));
    b.deliver(gatewayOnB, bought.phoneNumber(), "WhatsApp", "Your WhatsApp code: 333-444", Instant.now());
    assertThat(customer.awaitCode(bought.id(), Duration.ofSeconds(10)).code()).isEqualTo("333444");
    customer.finish(bought.id());
    eventually("B finished it", () -> onlyActivationAtB("pl").status().equals("FINISHED"));
  }

  @Test
  @Order(2)
  void aCancelOnARefundsOnBothSides() {
    b.stock(gatewayOnB.name(), "fr", null, 1);
    b.setPrice("wa", "fr", "0.30");
    VerigateClient customer = customerOfA();
    Balance resellerBefore = resellerAtB.balance();
    Activation bought = customer.buy(BuyRequest.of("wa", "fr"));
    assertThat(resellerAtB.balance().held()).isPositive();

    assertThat(customer.cancel(bought.id()).status()).isEqualTo("CANCELED");

    assertBalance(customer, "10.00", "0.00");
    eventually("B cancelled A's number and refunded A", () -> onlyActivationAtB("fr").status().equals("CANCELED"));
    assertBalance(resellerAtB, resellerBefore.balance(), "0.00");
  }

  @Test
  @Order(3)
  void anExpiryOnARefundsOnBothSides() {
    b.stock(gatewayOnB.name(), "nl", null, 1);
    b.setPrice("wa", "nl", "0.30");
    VerigateClient customer = customerOfA();
    Balance resellerBefore = resellerAtB.balance();
    Activation bought = customer.buy(BuyRequest.of("wa", "nl"));

    clock.advance(Duration.between(bought.createdAt(), bought.expiresAt()).plusSeconds(1));

    eventually("A's activation expired", () -> customer.activation(bought.id()).status().equals("EXPIRED"));
    assertBalance(customer, "10.00", "0.00");
    eventually("B cancelled A's number and refunded A", () -> onlyActivationAtB("nl").status().equals("CANCELED"));
    assertBalance(resellerAtB, resellerBefore.balance(), "0.00");
  }

  @Test
  @Order(4)
  void theAdminApiShowsTheUpstreamsBalanceAndCircuit() {
    JsonNode upstreams = a.admin("GET", "/admin/v1/upstreams", null);

    assertThat(upstreams).hasSize(1);
    JsonNode nodeB = upstreams.get(0);
    assertThat(nodeB.get("name").asText()).isEqualTo("node-b");
    assertThat(nodeB.get("protocol").asText()).isEqualTo("verigate");
    assertThat(nodeB.get("markupPercent").asInt()).isEqualTo(25);
    assertThat(new BigDecimal(nodeB.get("balance").asText())).isEqualByComparingTo(resellerAtB.balance().balance());
    assertThat(nodeB.get("circuit").asText()).isEqualTo("CLOSED");
    assertThat(nodeB.get("recentFailures")).isEmpty();
  }

  @Test
  @Order(5)
  void anUpstreamSellingAboveThePriceRuleIsNotBoughtFrom() {
    b.stock(gatewayOnB.name(), "be", null, 1);
    b.setPrice("wa", "be", "0.45");
    a.setPrice("wa", "be", "0.50");
    VerigateClient customer = customerOfA();

    // A 25 % markup on A's 0.50 buys at most at 0.40 upstream.
    refused(() -> customer.buy(BuyRequest.of("wa", "be")), "NO_NUMBERS");

    assertBalance(customer, "10.00", "0.00");
    assertThat(resellerAtB.activations(ListFilter.all().withCountry("be")).items()).isEmpty();
  }

  @Test
  @Order(6)
  void withBFrozenAPurchaseWaitsHoldingNoPooledConnectionAndWithBDownItIsRefusedAtOnce() throws Exception {
    b.stock(gatewayOnB.name(), "at", null, 2);
    b.setPrice("wa", "at", "0.30");
    VerigateClient customer = customerOfA();
    HikariDataSource pool = (HikariDataSource) a.app().database().dataSource();

    toB.mode(TcpProxy.Mode.FREEZE);
    long started = System.nanoTime();
    CompletableFuture<Throwable> frozen = CompletableFuture.supplyAsync(() -> refusal(
        () -> customer.buy(BuyRequest.of("wa", "at"))));
    // Well into the wait on B, A's pool has no connection in use: the purchase holds none while it waits.
    Eventually.within(UPSTREAM_TIMEOUT, "no pooled connection in use while the purchase waits on B",
        () -> List.of(System.nanoTime() - started, pool.getHikariPoolMXBean().getActiveConnections(), frozen.isDone()),
        seen -> (long) seen.get(0) > UPSTREAM_TIMEOUT.toNanos() / 2 && (int) seen.get(1) == 0
            && !(boolean) seen.get(2));
    assertThat(frozen.get(UPSTREAM_TIMEOUT.toSeconds() * 3, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(VerigateException.class, e -> assertThat(e.code()).isEqualTo("NO_NUMBERS"));

    toB.mode(TcpProxy.Mode.REFUSE);
    long refusedAt = System.nanoTime();
    refused(() -> customer.buy(BuyRequest.of("wa", "at")), "NO_NUMBERS");
    assertThat(Duration.ofNanos(System.nanoTime() - refusedAt)).isLessThan(Duration.ofSeconds(1));
    assertBalance(customer, "10.00", "0.00");

    JsonNode nodeB = a.admin("GET", "/admin/v1/upstreams", null).get(0);
    assertThat(nodeB.get("balance").isNull()).isTrue();
    assertThat(nodeB.get("balanceError").asText()).contains("PROVIDER_DOWN");
    assertThat(nodeB.get("recentFailures").get(0).get("reason").asText()).isEqualTo("PROVIDER_DOWN");
  }

  private VerigateClient customerOfA() {
    return VerigateClient.create(a.baseUrl(), a.liveCustomer("10.00").key());
  }

  /** A's one activation at B in this test's country, as B's customer (A) sees it. */
  private Activation onlyActivationAtB(String country) {
    List<Activation> items = resellerAtB.activations(ListFilter.all().withCountry(country)).items();
    assertThat(items).hasSize(1);
    return items.get(0);
  }

  private static Throwable refusal(Runnable call) {
    try {
      call.run();
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }

  private static void refused(Runnable call, String code) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(VerigateException.class,
        e -> assertThat(e.code()).isEqualTo(code));
  }

  private static void assertBalance(VerigateClient client, String available, String held) {
    assertBalance(client, new BigDecimal(available), held);
  }

  private static void assertBalance(VerigateClient client, BigDecimal available, String held) {
    Balance balance = client.balance();
    assertThat(balance.balance()).as("available").isEqualByComparingTo(available);
    assertThat(balance.held()).as("held").isEqualByComparingTo(held);
  }
}
