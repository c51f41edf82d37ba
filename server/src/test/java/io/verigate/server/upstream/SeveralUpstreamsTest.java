package io.verigate.server.upstream;

import static io.verigate.server.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.client.Activation;
import io.verigate.client.BuyRequest;
import io.verigate.client.ListFilter;
import io.verigate.client.VerigateClient;
import io.verigate.server.testing.TcpProxy;
import io.verigate.server.testing.TestApp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Several upstreams: node A's first upstream is down, its second is node B spoken to through B's sms-activate
 * dialect, so the purchase fails over to B and the code is polled for; and of two healthy upstreams the cheaper is
 * bought from, whatever their registration order, until it breaks.
 */
class SeveralUpstreamsTest {

  @Test
  void theCheaperUpstreamSellsAndWhenItIsDownTheOtherOne() throws Exception {
    try (TestApp dear = TestApp.start(Map.of("early-cancel-guard", "0s"));
        TestApp cheap = TestApp.start(Map.of("early-cancel-guard", "0s"));
        TcpProxy toCheap = new TcpProxy("127.0.0.1", cheap.app().port());
        TestApp a = TestApp.start(Map.of("early-cancel-guard", "0s", "upstream-timeout", "2s"))) {
      List<String> onDear = dear.stock(dear.createSource().name(), "gb", null, 1);
      dear.setPrice("wa", "gb", "0.35");
      List<String> onCheap = cheap.stock(cheap.createSource().name(), "gb", null, 2);
      cheap.setPrice("wa", "gb", "0.20");
      // The dearer one is registered first: only the price puts the cheaper one ahead. A 25 % markup on A's 0.50
      // buys at most at 0.40, which both are under.
      a.admin("POST", "/admin/v1/upstreams", Map.of("name", "dear", "protocol", "verigate",
          "baseUrl", dear.baseUrl(), "apiKey", dear.liveCustomer("10.00").key(), "markupPercent", 25));
      a.admin("POST", "/admin/v1/upstreams", Map.of("name", "cheap", "protocol", "sms-activate",
          "baseUrl", "http://127.0.0.1:" + toCheap.port(), "apiKey", cheap.liveCustomer("10.00").key(),
          "markupPercent", 25));
      a.setPrice("wa", "gb", "0.50");
      VerigateClient customer = VerigateClient.create(a.baseUrl(), a.liveCustomer("10.00").key());

      assertThat(customer.buy(BuyRequest.of("wa", "gb")).phoneNumber()).isIn(onCheap);

      toCheap.mode(TcpProxy.Mode.REFUSE);
      Activation second = customer.buy(BuyRequest.of("wa", "gb"));

      assertThat(second.phoneNumber()).isEqualTo(onDear.get(0));
      assertThat(second.userCost()).isEqualByComparingTo("0.50");
      JsonNode upstreams = a.admin("GET", "/admin/v1/upstreams", null);
      assertThat(upstreams.get(1).get("name").asText()).isEqualTo("cheap");
      assertThat(upstreams.get(1).get("recentFailures").get(0).get("reason").asText()).isEqualTo("PROVIDER_DOWN");
    }
  }

  @Test
  void aDownUpstreamIsPassedOverAndTheNextOneSellsThroughTheSmsActivateProtocol() throws Exception {
    try (TestApp b = TestApp.start(Map.of("early-cancel-guard", "0s"));
        TestApp a = TestApp.start(Map.of("early-cancel-guard", "0s", "upstream-timeout", "2s"))) {
      TestApp.Source gatewayOnB = b.createSource();
      List<String> onB = b.stock(gatewayOnB.name(), "gb", null, 1);
      b.setPrice("wa", "gb", "0.30");
      TestApp.Customer reseller = b.liveCustomer("10.00");
      VerigateClient resellerAtB = VerigateClient.create(b.baseUrl(), reseller.key());
      // Nothing listens on port 1.
      a.admin("POST", "/admin/v1/upstreams", Map.of("name", "down", "protocol", "verigate",
          "baseUrl", "http://127.0.0.1:1", "apiKey", "k", "fixedPrice", "1.00"));
      a.admin("POST", "/admin/v1/upstreams", Map.of("name", "b-sms-activate", "protocol", "sms-activate",
          "baseUrl", b.baseUrl(), "apiKey", reseller.key(), "fixedPrice", "0.35"));
      VerigateClient customer = VerigateClient.create(a.baseUrl(), a.liveCustomer("10.00").key());

      Activation bought = customer.buy(BuyRequest.of("wa", "gb"));

      assertThat(bought.phoneNumber()).isEqualTo(onB.get(0));
      b.deliver(gatewayOnB, bought.phoneNumber(), "WhatsApp", "Your WhatsApp code: 305-118", Instant.now());
      assertThat(customer.awaitCode(bought.id(), Duration.ofSeconds(15)).code()).isEqualTo("305118");
      customer.finish(bought.id());
      eventually("B finished the number", () -> resellerAtB.activations(ListFilter.all()).items().stream()
          .anyMatch(at -> at.phoneNumber().equals(bought.phoneNumber()) && at.status().equals("FINISHED")));
      assertThat(resellerAtB.balance().balance()).isEqualByComparingTo("9.70");

      JsonNode upstreams = a.admin("GET", "/admin/v1/upstreams", null);
      assertThat(upstreams.get(0).get("name").asText()).isEqualTo("down");
      assertThat(upstreams.get(0).get("recentFailures").get(0).get("reason").asText()).isEqualTo("PROVIDER_DOWN");
      assertThat(upstreams.get(1).get("balance").asText()).isEqualTo("9.70");
    }
  }
}
