package io.verigate.server.upstream;

import static io.verigate.server.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.verigate.client.Activation;
import io.verigate.client.ListFilter;
import io.verigate.client.VerigateClient;
import io.verigate.server.activation.PurchaseRequest;
import io.verigate.server.account.Principal;
import io.verigate.server.testing.TestApp;
import io.verigate.server.wallet.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The purchase path through an upstream on PostgreSQL: node A (PostgreSQL) resells from node B. When the purchase
 * transaction fails after B sold the number, A gives it back and B refunds A; the next purchase takes B's number in,
 * and its end reaches B through A's outbox.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpstreamPurchaseIT {
  private TestApp b;
  private TestApp a;
  private TestApp.Source gatewayOnB;
  private VerigateClient resellerAtB;

  @BeforeAll
  void start() {
    b = TestApp.start(Map.of("early-cancel-guard", "0s"));
    gatewayOnB = b.createSource();
    TestApp.Customer reseller = b.liveCustomer("10.00");
    resellerAtB = VerigateClient.create(b.baseUrl(), reseller.key());
    a = TestApp.startOnPostgres(Map.of("early-cancel-guard", "0s"));
    a.admin("POST", "/admin/v1/upstreams", Map.of("name", "node-b", "protocol", "verigate", "baseUrl", b.baseUrl(),
        "apiKey", reseller.key(), "fixedPrice", "0.40"));
    b.setPrice("wa", "de", "0.30");
  }

  @AfterAll
  void stop() {
    a.close();
    b.close();
  }

  @Test
  void aPurchaseWhoseTransactionFailsCancelsUpstreamAndTheNextOneIsSoldAndFinishedThere() {
    List<String> onB = b.stock(gatewayOnB.name(), "de", null, 2);
    Principal buyer = a.livePrincipal("upstream buyer", Money.parse("10.00"));
    // The transaction that takes B's number in fails on A's database, after B sold it.
    a.app().database().withHandle(h -> h.execute("CREATE FUNCTION refuse_upstream() RETURNS trigger AS "
        + "$$ BEGIN RAISE EXCEPTION 'the test refuses this purchase'; END $$ LANGUAGE plpgsql; "
        + "CREATE TRIGGER refuse_upstream BEFORE INSERT ON upstream_activation FOR EACH ROW "
        + "EXECUTE FUNCTION refuse_upstream()"));

    assertThatThrownBy(() -> a.app().activations().purchase(buyer, PurchaseRequest.of("wa", "de")))
        .hasStackTraceContaining("the test refuses this purchase");

    eventually("B cancelled the number A could not use", () -> activationsAtB().size() == 1
        && activationsAtB().get(0).status().equals("CANCELED"));
    assertThat(resellerAtB.balance().balance()).isEqualByComparingTo("10.00");
    assertThat(a.app().wallets().balance(buyer.customerId(), buyer.mode()).available()).isEqualTo(Money.parse("10.00"));

    a.app().database().withHandle(h -> h.execute("DROP TRIGGER refuse_upstream ON upstream_activation"));
    io.verigate.server.activation.Activation bought = a.app().activations().purchase(buyer, PurchaseRequest.of("wa", "de"));
    assertThat(onB).contains(bought.phone());
    assertThat(resellerAtB.balance().held()).isEqualByComparingTo("0.30");

    b.deliver(gatewayOnB, bought.phone(), "WhatsApp", "Your WhatsApp code: 771-204", Instant.now());
    eventually("the code reached A", () -> "771204".equals(a.app().activations().get(buyer, bought.id()).code()));
    a.app().activations().finish(buyer, bought.id());

    eventually("B finished the number and charged A", () -> activationsAtB().stream()
        .anyMatch(at -> at.phoneNumber().equals(bought.phone()) && at.status().equals("FINISHED")));
    assertThat(resellerAtB.balance().balance()).isEqualByComparingTo(new BigDecimal("9.70"));
    assertThat(resellerAtB.balance().held()).isEqualByComparingTo("0.00");
  }

  private List<Activation> activationsAtB() {
    return resellerAtB.activations(ListFilter.all().withCountry("de")).items();
  }
}
