package io.verigate.server.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.verigate.server.testing.Eventually;
import io.verigate.server.testing.TestDatabases;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes' event channels on one PostgreSQL database. Events published in a burst travel many to a notification;
 * every one of them must still reach the other node, and a node that loses its listening connection must hear that it
 * may have missed some.
 */
class PostgresNodeEventsIT {
  private static final String CHANNEL = "verigate_test";

  private String url;
  private Database database;
  private NodeEvents sending;
  private NodeEvents receiving;
  private final Set<String> received = ConcurrentHashMap.newKeySet();
  private final AtomicInteger gaps = new AtomicInteger();

  @BeforeEach
  void startTwoNodes() {
    url = TestDatabases.freshPostgres();
    Config config = Config.defaults(Map.of("db-url", url));
    database = new Database(config, new Metrics());
    sending = NodeEvents.of(database, config);
    receiving = NodeEvents.of(database, config);
    receiving.subscribe(CHANNEL, received::add, gaps::incrementAndGet);
    sending.start();
    receiving.start();
    Eventually.eventually("the receiving node listens", receiving::listening);
  }

  @AfterEach
  void stop() {
    sending.close();
    receiving.close();
    database.close();
    TestDatabases.dropPostgres(url);
  }

  @Test
  void everyEventOfABurstArrivesThoughManyShareANotification() {
    Set<String> published = IntStream.range(0, 5_000).mapToObj(i -> "activation-" + i).collect(Collectors.toSet());

    published.forEach(payload -> sending.publish(CHANNEL, payload));

    Eventually.eventually("all 5000 events on the other node", () -> received.size() == published.size());
    assertThat(received).isEqualTo(published);
  }

  @Test
  void aNodeThatLostItsListeningConnectionIsToldItMayHaveMissedEvents() {
    int before = gaps.get();

    TestDatabases.terminateConnectionsNamed(url, PostgresNodeEvents.APPLICATION_NAME);

    Eventually.eventually("listening again after a gap", () -> gaps.get() > before && receiving.listening());
    sending.publish(CHANNEL, "after-the-gap");
    Eventually.eventually("an event after the gap", () -> received.contains("after-the-gap"));
  }

  @Test
  void aPayloadIsOneLine() {
    assertThatThrownBy(() -> sending.publish(CHANNEL, "two\nlines")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void eventsQueuedWhenANodeStopsAreStillSent() {
    // Never started, so nothing is sent before it stops: only the stop itself can send them.
    NodeEvents stopping = NodeEvents.of(database, Config.defaults(Map.of("db-url", url)));

    IntStream.range(0, 200).forEach(i -> stopping.publish(CHANNEL, "last-" + i));
    stopping.close();

    Eventually.eventually("the stopped node's last 200 events", () ->
        IntStream.range(0, 200).allMatch(i -> received.contains("last-" + i)));
  }
}
