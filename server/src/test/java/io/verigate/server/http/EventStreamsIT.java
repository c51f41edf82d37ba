package io.verigate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.testing.TestApp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one PostgreSQL database, as behind a load balancer: a client streams from one node while its events
 * are committed on the other. The stream hears of them through the node events and reads them from the shared log.
 */
class EventStreamsIT {
  /** Far below the 15 s keep-alive, whose read of the log would deliver the events even without a node event. */
  private static final Duration PROPAGATION = Duration.ofSeconds(5);

  private static TestApp first;
  private static TestApp second;

  @BeforeAll
  static void startTwoNodes() {
    first = TestApp.startOnPostgres(Map.of());
    second = first.anotherNode(Map.of());
  }

  @AfterAll
  static void stopNodes() {
    second.close();
    first.close();
  }

  @Test
  void anEventCommittedOnOneNodeReachesAStreamOnTheOther() {
    TestApp.Customer customer = first.sandboxCustomer();
    try (EventStreamClient stream = open(second, customer.key())) {
      long id = append(first, customer.id(), "wallet.credited");

      EventStreamClient.Message message = stream.next(PROPAGATION);
      assertThat(message.id()).isEqualTo(id);
      assertThat(message.event()).isEqualTo("wallet.credited");
    }
  }

  @Test
  void aSandboxCodeDeliveredOnOneNodeReachesAStreamOnTheOther() {
    TestApp.Customer customer = first.sandboxCustomer();
    try (EventStreamClient stream = open(second, customer.key())) {
      RawHttp.Reply bought = new RawHttp(first.baseUrl()).post("/api/v1/activations",
          "{\"service\":\"wa\",\"country\":\"us\"}", "x-api-key", customer.key());
      String id = bought.json().get("id").asText();

      // The sandbox delivers on the node that sold the number.
      List<EventStreamClient.Message> events = stream.until(Duration.ofSeconds(10),
          m -> m.event().equals("activation.received"));
      assertThat(events.get(events.size() - 1).text("activationId")).isEqualTo(id);
    }
  }

  @Test
  void aClientResumingOnTheOtherNodeGetsExactlyWhatItMissed() {
    TestApp.Customer customer = first.sandboxCustomer();
    long seen;
    try (EventStreamClient stream = open(first, customer.key())) {
      seen = append(first, customer.id(), "wallet.credited");
      assertThat(stream.next(PROPAGATION).id()).isEqualTo(seen);
    }
    long missedOnFirst = append(first, customer.id(), "wallet.credited");
    long missedOnSecond = append(second, customer.id(), "wallet.low_balance");

    try (EventStreamClient resumed = open(second, customer.key(), "Last-Event-ID", String.valueOf(seen))) {
      assertThat(List.of(resumed.next(PROPAGATION).id(), resumed.next(PROPAGATION).id()))
          .containsExactly(missedOnFirst, missedOnSecond);
      resumed.expectNothing(Duration.ofMillis(500));
    }
  }

  private static long append(TestApp node, long customerId, String type) {
    return node.app().database().inTransaction(h -> node.app().events()
        .append(h, customerId, true, type, null, Map.of("balance", "1.0000", "currency", "USD")).id());
  }

  private static EventStreamClient open(TestApp node, String key, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "x-api-key";
    all[1] = key;
    System.arraycopy(headers, 0, all, 2, headers.length);
    return EventStreamClient.open(node.baseUrl() + "/api/v1/events", all);
  }
}
