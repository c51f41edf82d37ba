package io.verigate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.http.support.Json;
import io.verigate.server.testing.Eventually;
import io.verigate.server.testing.TestApp;
import io.verigate.server.testing.WebhookReceiver;
import io.verigate.server.testing.WebhookReceiver.Received;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Webhooks on two nodes sharing one PostgreSQL database: each node keeps its customers' endpoints in memory, so an
 * endpoint registered on one node must reach the other's next event through the node events, and the outbox both
 * nodes run must post each delivery once.
 */
class WebhooksIT {
  private static TestApp first;
  private static TestApp second;

  @BeforeAll
  static void startTwoNodes() {
    Map<String, String> settings = Map.of("webhook-allow-private", "true");
    first = TestApp.startOnPostgres(settings);
    second = first.anotherNode(settings);
  }

  @AfterAll
  static void stopNodes() {
    second.close();
    first.close();
  }

  @Test
  void anEndpointRegisteredOnOneNodeHearsTheOtherNodesEventsEachOnce() {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      TestApp.Customer customer = first.liveCustomer("0");
      appendOn(second, customer.id(), 0);   // the second node now knows the customer has no endpoint

      String secret = new RawHttp(first.baseUrl()).post("/api/v1/webhooks",
          Json.write(Map.of("url", receiver.url("/both"))), "x-api-key", customer.key()).text("secret");

      // The second node hears of the endpoint through a node event, at once rather than never.
      Eventually.within(Duration.ofSeconds(3), "an event of the second node delivered", () -> {
        appendOn(second, customer.id(), 1);
        return receiver.received();
      }, received -> !received.isEmpty());
      for (int i = 0; i < 10; i++) {
        appendOn(i % 2 == 0 ? first : second, customer.id(), 100 + i);
      }
      receiver.await(10, r -> r.body().contains("\"balance\":\"10"));   // 100.00 to 109.00
      Thread.sleep(2000);   // time for any second post of one delivery to arrive
      List<Received> received = receiver.received();

      assertThat(received).allMatch(r -> r.signedBy(secret));
      Set<String> ids = received.stream().map(r -> r.header("Webhook-id")).collect(Collectors.toSet());
      assertThat(ids).as("one post per delivery, whichever node claimed it").hasSize(received.size());
      for (int i = 100; i < 110; i++) {
        String balance = "\"balance\":\"" + i + ".00\"";
        assertThat(received).as(balance).filteredOn(r -> r.body().contains(balance)).hasSize(1);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A wallet event of the customer's live mode, appended as a feature would, in a transaction of that node. */
  private static void appendOn(TestApp node, long customerId, int n) {
    node.app().database().inTransaction(h -> node.app().events().append(h, customerId, false, "wallet.credited", null,
        Map.of("balance", n + ".00", "currency", "USD")));
  }
}
