package io.verigate.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.client.VerigateClient;
import io.verigate.client.provider.BoughtNumber;
import io.verigate.client.provider.Budget;
import io.verigate.client.provider.Endpoint;
import io.verigate.client.provider.FailoverProvider;
import io.verigate.client.provider.Order;
import io.verigate.client.provider.Verification;
import io.verigate.client.provider.VerigateProvider;
import io.verigate.server.testing.Eventually;
import io.verigate.server.testing.TcpProxy;
import io.verigate.server.testing.TestApp;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The failover with its preferred node behind a fault-injecting TCP proxy: a partition that answers nothing, and
 * connections reset in the middle of a long poll. The backup node speaks 5sim's dialect.
 */
class FaultInjectionApiTest {
  private static final Order SLOW_WHATSAPP_US = Order.of("wa", "us").withOperator("slow");
  private static final Budget BUDGET = Budget.of(new BigDecimal("1.20"), 3, Duration.ofSeconds(60))
      .withCodeWait(Duration.ofSeconds(20));

  private static TestApp a;
  private static TestApp b;
  private TcpProxy proxy;
  private String keyA;
  private FailoverProvider failover;

  @BeforeAll
  static void start() {
    a = TestApp.start(Map.of("sandbox-slow-delivery-delay", "60s"));
    b = TestApp.start(Map.of("sandbox-slow-delivery-delay", "500ms"));
  }

  @AfterAll
  static void stop() {
    a.close();
    b.close();
  }

  @BeforeEach
  void connect() {
    proxy = new TcpProxy("127.0.0.1", a.app().port());
    keyA = a.sandboxCustomer().key();
    failover = FailoverProvider.builder()
        .provider(VerigateProvider.of("a", Endpoint.of("http://127.0.0.1:" + proxy.port(), keyA)
            .withRequestTimeout(Duration.ofSeconds(2))))
        .provider(Dialect.FIVESIM.provider("b", b.baseUrl(), b.sandboxCustomer().key()))
        .build();
  }

  @AfterEach
  void disconnect() {
    proxy.close();
  }

  @Test
  void aPartitionedNodeIsDownAfterTheRequestTimeoutAndTheJobMovesOn() throws InterruptedException {
    proxy.mode(TcpProxy.Mode.FREEZE);
    long started = System.nanoTime();

    Verification done = failover.verify(SLOW_WHATSAPP_US, BUDGET, number -> {});

    assertThat(done.number().provider()).isEqualTo("b");
    assertThat(done.numbersBought()).isEqualTo(1);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(BUDGET.deadline());
    assertThat(failover.health().report("a", "us", "wa").failures()).isEqualTo(1);
  }

  @Test
  void aConnectionResetDuringTheLongPollMovesTheJobOnWithTheUnrefundedNumberCounted() throws InterruptedException {
    List<BoughtNumber> used = new ArrayList<>();
    CompletableFuture<Void> reset = new CompletableFuture<>();

    Verification done = failover.verify(SLOW_WHATSAPP_US, BUDGET, number -> {
      used.add(number);
      if (number.provider().equals("a")) {
        // Cut every connection once the SDK's long poll is parked on the node, and refuse new ones.
        reset.completeAsync(() -> {
          Eventually.eventually("the long poll is parked", () -> a.app().activations().waiting() > 0);
          proxy.mode(TcpProxy.Mode.REFUSE);
          return null;
        });
      }
    });
    reset.join();

    assertThat(used).extracting(BoughtNumber::provider).containsExactly("a", "b");
    assertThat(done.number().provider()).isEqualTo("b");
    assertThat(done.moneyHeld()).isEqualByComparingTo("1.00").isLessThanOrEqualTo(BUDGET.money());
    assertThat(failover.health().report("a", "us", "wa").failures()).isEqualTo(1);
    // The node still holds A's number: once reachable again, the customer can cancel it for a refund.
    BoughtNumber stranded = used.get(0);
    assertThat(VerigateClient.create(a.baseUrl(), keyA).activation(Integer.parseInt(stranded.id())).status())
        .isEqualTo("WAITING");
  }
}
