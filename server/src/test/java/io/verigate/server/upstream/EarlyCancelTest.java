package io.verigate.server.upstream;

import static io.verigate.server.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.client.Activation;
import io.verigate.client.BuyRequest;
import io.verigate.client.ListFilter;
import io.verigate.client.VerigateClient;
import io.verigate.server.testing.MutableClock;
import io.verigate.server.testing.TestApp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An upstream that refuses cancels early, as sms-activate and its clones do for a number's first minutes: node B,
 * spoken to through its sms-activate dialect, with its early-cancel guard on. A's customer cancels at once and is
 * refunded by A; B denies A's cancel ({@code EARLY_CANCEL_DENIED}), so A's outbox asks again once the window has
 * passed, and B refunds A then. A's clock stands still until the test moves it past the wait.
 */
class EarlyCancelTest {
  private static final Duration GUARD_AT_B = Duration.ofSeconds(2);

  @Test
  void aCancelTheUpstreamDeniesAsTooEarlyIsSentAgainAfterItsWindowAndRefunded() throws Exception {
    MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    try (TestApp b = TestApp.start(Map.of("early-cancel-guard", GUARD_AT_B.toSeconds() + "s"));
        TestApp a = TestApp.start(false, Map.of("early-cancel-guard", "0s", "upstream-timeout", "2s"), clock)) {
      b.stock(b.createSource().name(), "dk", null, 1);
      b.setPrice("wa", "dk", "0.30");
      TestApp.Customer reseller = b.liveCustomer("10.00");
      VerigateClient resellerAtB = VerigateClient.create(b.baseUrl(), reseller.key());
      a.admin("POST", "/admin/v1/upstreams", Map.of("name", "node-b", "protocol", "sms-activate",
          "baseUrl", b.baseUrl(), "apiKey", reseller.key(), "markupPercent", 25));
      VerigateClient customer = VerigateClient.create(a.baseUrl(), a.liveCustomer("10.00").key());
      Activation bought = customer.buy(BuyRequest.of("wa", "dk"));

      assertThat(customer.cancel(bought.id()).status()).isEqualTo("CANCELED");

      assertThat(customer.balance().held()).isZero();
      eventually("B denied A's cancel as too early and A's outbox keeps it", () -> {
        JsonNode pending = a.admin("GET", "/admin/v1/outbox?state=pending&kind=" + UpstreamEnds.KIND, null)
            .get("items");
        return pending.size() == 1 && pending.get(0).get("lastError").asText().contains("EARLY_CANCEL_DENIED");
      });
      assertThat(onlyActivationAtB(resellerAtB).status()).isEqualTo("WAITING");
      assertThat(resellerAtB.balance().held()).isEqualByComparingTo("0.30");

      Thread.sleep(GUARD_AT_B.toMillis());
      clock.advance(UpstreamEnds.EARLY_CANCEL_WAIT.multipliedBy(3).dividedBy(2));

      eventually("A asked again and B cancelled A's number", () -> onlyActivationAtB(resellerAtB).status()
          .equals("CANCELED"));
      assertThat(resellerAtB.balance().held()).isZero();
      assertThat(resellerAtB.balance().balance()).isEqualByComparingTo("10.00");
      assertThat(a.admin("GET", "/admin/v1/upstreams", null).get(0).get("recentFailures"))
          .as("a denial the protocol foresees is no failure of the upstream").isEmpty();
    }
  }

  private static Activation onlyActivationAtB(VerigateClient resellerAtB) {
    List<Activation> items = resellerAtB.activations(ListFilter.all().withCountry("dk")).items();
    assertThat(items).hasSize(1);
    return items.get(0);
  }
}
