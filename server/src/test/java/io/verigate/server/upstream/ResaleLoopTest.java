package io.verigate.server.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.verigate.client.BuyRequest;
import io.verigate.client.VerigateClient;
import io.verigate.client.VerigateException;
import io.verigate.server.testing.PrometheusText;
import io.verigate.server.testing.TestApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two nodes that resell from each other, A from B and B from A, both with their stock empty: a purchase at A goes to
 * B and back to A once, where A sees itself on the path and answers from its own stock only, so the buyer hears
 * {@code NO_NUMBERS} at once; without the path the purchase would go round, each lap a purchase refused on both nodes
 * (counted in their metrics) and a {@code NO_NUMBERS} against each other's circuit.
 */
class ResaleLoopTest {
  private static final Duration UPSTREAM_TIMEOUT = Duration.ofSeconds(5);

  @Test
  void twoNodesResellingFromEachOtherAnswerNoNumbersPromptly() throws Exception {
    Map<String, String> settings = Map.of("early-cancel-guard", "0s", "upstream-timeout",
        UPSTREAM_TIMEOUT.toSeconds() + "s");
    try (TestApp a = TestApp.start(settings); TestApp b = TestApp.start(settings)) {
      // Fixed price rules that let each buy at the other's price: no margin stops the loop, only the path does.
      a.admin("POST", "/admin/v1/upstreams", Map.of("name", "node-b", "protocol", "verigate",
          "baseUrl", b.baseUrl(), "apiKey", b.liveCustomer("10.00").key(), "fixedPrice", "1.00"));
      b.admin("POST", "/admin/v1/upstreams", Map.of("name", "node-a", "protocol", "sms-activate",
          "baseUrl", a.baseUrl(), "apiKey", a.liveCustomer("10.00").key(), "fixedPrice", "1.00"));
      a.setPrice("wa", "se", "0.50");
      b.setPrice("wa", "se", "0.50");
      VerigateClient customerOfA = VerigateClient.create(a.baseUrl(), a.liveCustomer("10.00").key());
      VerigateClient customerOfB = VerigateClient.create(b.baseUrl(), b.liveCustomer("10.00").key());

      for (VerigateClient customer : List.of(customerOfA, customerOfB)) {
        long started = System.nanoTime();
        assertThatThrownBy(() -> customer.buy(BuyRequest.of("wa", "se")))
            .isInstanceOfSatisfying(VerigateException.class, e -> assertThat(e.code()).isEqualTo("NO_NUMBERS"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(UPSTREAM_TIMEOUT.dividedBy(3));
        assertThat(customer.balance().held()).isZero();
      }

      // One lap per purchase and no more: the customer's node resold it, the other node resold it back, and the
      // customer's node, seeing itself on the path, refused it from its own stock. Three refusals per purchase.
      assertThat(noNumbersRefusals(a)).isEqualTo(3);
      assertThat(noNumbersRefusals(b)).isEqualTo(3);
      assertThat(a.admin("GET", "/admin/v1/upstreams", null).get(0).get("circuit").asText()).isEqualTo("CLOSED");
    }
  }

  private static double noNumbersRefusals(TestApp node) throws Exception {
    HttpResponse<String> scraped = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(node.baseUrl() + "/metrics")).header("Authorization", "Bearer " + node.adminToken()).build(),
        HttpResponse.BodyHandlers.ofString());
    return PrometheusText.parse(scraped.body()).value("verigate_purchase_refusals_total", "code", "NO_NUMBERS")
        .orElseThrow();
  }

  @Test
  void aPathOfTooManyResellersIsNotResoldAndABadOneIsRefused() throws Exception {
    try (TestApp a = TestApp.start(Map.of("early-cancel-guard", "0s"))) {
      String key = a.liveCustomer("10.00").key();
      VerigateClient customer = VerigateClient.create(a.baseUrl(), key);
      a.setPrice("wa", "se", "0.50");

      assertThatThrownBy(() -> customer.buy(BuyRequest.of("wa", "se"), List.of("n1", "n2", "n3", "n4")))
          .isInstanceOfSatisfying(VerigateException.class, e -> assertThat(e.code()).isEqualTo("NO_NUMBERS"));

      HttpResponse<String> bad = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create(a.baseUrl() + "/api/v1/activations"))
          .header("x-api-key", key).header("Content-Type", "application/json")
          .header(VerigateClient.VIA_HEADER, "node a;drop")
          .POST(HttpRequest.BodyPublishers.ofString("{\"service\":\"wa\",\"country\":\"se\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).contains("BAD_REQUEST").contains(VerigateClient.VIA_HEADER);

      HttpResponse<String> badLegacy = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create(a.baseUrl() + "/stubs/handler_api.php?action=getNumber&service=wa&country=se&api_key=" + key))
          .header(VerigateClient.VIA_HEADER, "node a;drop").build(), HttpResponse.BodyHandlers.ofString());
      assertThat(badLegacy.statusCode()).isEqualTo(200);
      assertThat(badLegacy.body()).as("sms-activate's own word, not its server error").isEqualTo("BAD_ACTION");
    }
  }
}
