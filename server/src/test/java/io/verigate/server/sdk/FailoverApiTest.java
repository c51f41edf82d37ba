package io.verigate.server.sdk;

import static io.verigate.server.sdk.ProvidersApiTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.verigate.client.VerigateClient;
import io.verigate.client.provider.BoughtNumber;
import io.verigate.client.provider.Budget;
import io.verigate.client.provider.FailoverProvider;
import io.verigate.client.provider.Order;
import io.verigate.client.provider.ProviderException.Reason;
import io.verigate.client.provider.VerificationProvider;
import io.verigate.client.provider.Verification;
import io.verigate.server.testing.TestApp;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The SDK's failover across two real nodes on loopback, speaking different dialects, one of which dies mid-job. */
class FailoverApiTest {
  /** The sandbox's "slow" operator: its code comes after the node's slow delay. */
  private static final Order SLOW_WHATSAPP_US = Order.of("wa", "us").withOperator("slow");
  private static final Budget BUDGET = Budget.of(new BigDecimal("1.20"), 3, Duration.ofSeconds(60))
      .withCodeWait(Duration.ofSeconds(20));

  @Test
  void aJobSurvivesItsFirstNodeDyingWithinItsBudgetAndTheDeadNodesCircuitOpens() throws InterruptedException {
    // A's slow codes would take a minute; B's come at once. A is preferred.
    TestApp a = TestApp.start(Map.of("sandbox-slow-delivery-delay", "60s"));
    AtomicBoolean aDied = new AtomicBoolean();
    try (TestApp b = TestApp.start(Map.of("sandbox-slow-delivery-delay", "500ms"))) {
      String keyA = a.sandboxCustomer().key();
      String keyB = b.sandboxCustomer().key();
      VerificationProvider providerB = Dialect.SMS_ACTIVATE.provider("b", b.baseUrl(), keyB);
      FailoverProvider failover = FailoverProvider.builder()
          .provider(Dialect.REST.provider("a", a.baseUrl(), keyA))
          .provider(providerB)
          .breakers(CircuitBreakerConfig.custom().slidingWindowSize(2).minimumNumberOfCalls(2).build())
          .build();
      BigDecimal balanceB = providerB.balance();
      List<BoughtNumber> used = new ArrayList<>();

      Verification survived = failover.verify(SLOW_WHATSAPP_US, BUDGET, number -> {
        used.add(number);
        if (number.provider().equals("a") && aDied.compareAndSet(false, true)) {
          a.close(); // the node dies with the number bought and its code not yet there
        }
      });

      assertThat(used).extracting(BoughtNumber::provider).containsExactly("a", "b");
      assertThat(survived.number().provider()).isEqualTo("b");
      assertThat(survived.code()).matches("\\d{6}");
      // A's number could not be cancelled, so its price still counts: 0.50 + 0.50 within the 1.20 budget.
      assertThat(survived.moneyHeld()).isEqualByComparingTo("1.00");
      assertThat(survived.moneyHeld()).isLessThanOrEqualTo(BUDGET.money());
      failover.finish(survived.number());
      assertThat(providerB.balance()).isEqualByComparingTo(balanceB.subtract(survived.number().price()));

      Verification next = failover.verify(SLOW_WHATSAPP_US, BUDGET, number -> {});
      assertThat(next.number().provider()).isEqualTo("b");
      assertThat(failover.state("a")).isEqualTo(CircuitBreaker.State.OPEN);
      assertThat(failover.state("b")).isEqualTo(CircuitBreaker.State.CLOSED);
      assertThat(failover.health().report("a", "us", "wa").failures()).isEqualTo(2);
    } finally {
      if (aDied.compareAndSet(false, true)) {
        a.close();
      }
    }
  }

  @Test
  void aNumberThatGetsNoCodeBeforeTheDeadlineIsCancelledAndRefundedOnTheNode() {
    try (TestApp node = TestApp.start(Map.of("early-cancel-guard", "0s"))) {
      String key = node.sandboxCustomer().key();
      VerigateClient rest = VerigateClient.create(node.baseUrl(), key);
      VerificationProvider provider = Dialect.FIVESIM.provider("node", node.baseUrl(), key);
      FailoverProvider failover = FailoverProvider.builder().provider(provider).build();
      BigDecimal before = provider.balance();
      List<BoughtNumber> used = new ArrayList<>();

      assertRefused(() -> failover.verify(Order.of("wa", "us").withOperator("nocode"),
          Budget.of(new BigDecimal("1.00"), 1, Duration.ofSeconds(4)), used::add), Reason.TIMEOUT);

      assertThat(used).hasSize(1);
      assertThat(rest.activation(Integer.parseInt(used.get(0).id())).status()).isEqualTo("CANCELED");
      assertThat(provider.balance()).isEqualByComparingTo(before);
    }
  }
}
