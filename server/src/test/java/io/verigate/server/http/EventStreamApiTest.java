package io.verigate.server.http;

import static io.verigate.server.http.Refusals.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.testing.Eventually;
import io.verigate.server.testing.TestApp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Server-Sent Events read by a real HTTP client while the node sells numbers and the sandbox delivers their SMS: what
 * a stream carries, what it never carries, and resuming with {@code Last-Event-ID}.
 */
class EventStreamApiTest {
  /** Far longer than an event takes to reach an open stream (the sandbox delivers 300 ms after a purchase). */
  private static final Duration PATIENCE = Duration.ofSeconds(10);
  /** How long a stream must stay silent to show it was not sent something. */
  private static final Duration QUIET = Duration.ofMillis(1500);

  private static TestApp app;
  private static RawHttp http;

  @BeforeAll
  static void startNode() {
    app = TestApp.start(Map.of("early-cancel-guard", "0s"));
    http = new RawHttp(app.baseUrl());
  }

  @AfterAll
  static void stopNode() {
    app.close();
  }

  @Test
  void eventsAppendedToTheLogReachAnOpenStreamAsSseMessages() {
    TestApp.Customer customer = app.sandboxCustomer();
    try (EventStreamClient stream = open("/api/v1/events?types=wallet.credited", customer.key())) {
      append(customer.id(), false, "wallet.credited"); // live: not for a test key
      append(customer.id(), true, "wallet.low_balance"); // not asked for
      long wanted = append(customer.id(), true, "wallet.credited");

      EventStreamClient.Message message = stream.next(PATIENCE);
      assertThat(message.id()).isEqualTo(wanted);
      assertThat(message.event()).isEqualTo("wallet.credited");
      assertThat(message.data().get("type").asText()).isEqualTo("wallet.credited");
      assertThat(message.text("balance")).isEqualTo("12.5000");
      stream.expectNothing(QUIET);
    }
  }

  @Test
  void aSandboxPurchaseAndItsCodeArriveAsTheyHappen() {
    String key = app.sandboxCustomer().key();
    try (EventStreamClient stream = open("/api/v1/events", key)) {
      assertThat(stream.status()).isEqualTo(200);
      assertThat(stream.header("Content-Type")).startsWith("text/event-stream");

      long id = buy(key);
      List<EventStreamClient.Message> events = stream.until(PATIENCE, m -> m.event().equals("activation.received"));

      EventStreamClient.Message created = events.stream().filter(m -> m.event().equals("activation.created"))
          .findFirst().orElseThrow();
      EventStreamClient.Message received = events.get(events.size() - 1);
      assertThat(created.text("activationId")).isEqualTo(String.valueOf(id));
      assertThat(received.text("activationId")).isEqualTo(String.valueOf(id));
      assertThat(received.text("code")).matches("\\d{4,8}");
      assertThat(received.data().get("type").asText()).isEqualTo("activation.received");
      assertThat(Instant.parse(received.data().get("timestamp").asText())).isBefore(Instant.now().plusSeconds(1));
      assertThat(events).extracting(EventStreamClient.Message::id).isSorted().doesNotHaveDuplicates();
    }
  }

  @Test
  void resumingWithLastEventIdReplaysExactlyTheEventsMissed() {
    String key = app.sandboxCustomer().key();
    try (EventStreamClient witness = open("/api/v1/events", key)) {
      long lastSeen;
      try (EventStreamClient first = open("/api/v1/events", key)) {
        lastSeen = received(first, buy(key)).id();
      }
      long missed = buy(key);
      assertThat(http.get("/api/v1/activations/" + missed + "?wait=10", "x-api-key", key).text("code")).isNotNull();
      http.post("/api/v1/activations/" + missed + "/finish", "", "x-api-key", key);
      List<Long> missedIds = witness.until(PATIENCE, m -> m.event().equals("activation.finished")).stream()
          .map(EventStreamClient.Message::id).filter(id -> id > lastSeen).toList();

      try (EventStreamClient byHeader = open("/api/v1/events", key, "Last-Event-ID", String.valueOf(lastSeen));
          EventStreamClient byQuery = open("/api/v1/events?lastEventId=" + lastSeen, key)) {
        for (EventStreamClient resumed : List.of(byHeader, byQuery)) {
          assertThat(resumed.until(PATIENCE, m -> m.event().equals("activation.finished")))
              .extracting(EventStreamClient.Message::id).isEqualTo(missedIds);
        }
      }
    }
  }

  @Test
  void sendsOnlyTheTypesAsked() {
    String key = app.sandboxCustomer().key();
    try (EventStreamClient codes = open("/api/v1/events?types=activation.received,activation.canceled", key)) {
      long id = buy(key);

      EventStreamClient.Message first = codes.next(PATIENCE);
      assertThat(first.event()).isEqualTo("activation.received");
      assertThat(first.text("activationId")).isEqualTo(String.valueOf(id));
      http.post("/api/v1/activations/" + id + "/finish", "", "x-api-key", key);
      codes.expectNothing(QUIET);
    }
  }

  @Test
  void anotherCustomersEventsNeverAppear() {
    String mine = app.sandboxCustomer().key();
    String theirs = app.sandboxCustomer().key();
    try (EventStreamClient stream = open("/api/v1/events", mine);
        EventStreamClient theirStream = open("/api/v1/events", theirs)) {
      long their = buy(theirs);
      received(theirStream, their);
      long own = buy(mine);

      // Their events were committed before this purchase, so had they reached this stream they would come first.
      assertThat(stream.next(PATIENCE).text("activationId")).isEqualTo(String.valueOf(own));
      assertProblem(http.get("/api/v1/activations/" + their + "/events", "x-api-key", mine), 404, "ACTIVATION_NOT_FOUND");
    }
  }

  @Test
  void aTestKeyNeverSeesTheLiveEventsOfItsOwnCustomer() {
    TestApp.Customer customer = app.liveCustomer("5.00");
    String testKey = app.admin("POST", "/admin/v1/customers/" + customer.id() + "/keys", Map.of("mode", "test"))
        .get("key").asText();
    TestApp.Source gateway = app.createSource();
    String number = app.stock(gateway.name(), "de", null, 1).get(0);
    try (EventStreamClient sandbox = open("/api/v1/events", testKey);
        EventStreamClient live = open("/api/v1/events", customer.key())) {
      long liveId = buy(customer.key(), "de");
      app.deliver(gateway, number, "WhatsApp", "Your WhatsApp code: 482-913", Instant.now());
      assertThat(received(live, liveId).text("code")).isEqualTo("482913");
      long sandboxId = buy(testKey);

      assertThat(sandbox.next(PATIENCE).text("activationId")).isEqualTo(String.valueOf(sandboxId));
      live.expectNothing(QUIET);
    }
  }

  @Test
  void anActivationsStreamCarriesItsEventsOnlyAndEndsWithIt() {
    String key = app.sandboxCustomer().key();
    long id = buy(key);
    long other = buy(key);
    try (EventStreamClient stream = open("/api/v1/activations/" + id + "/events?lastEventId=0", key)) {
      EventStreamClient.Message received = stream.until(PATIENCE, m -> m.event().equals("activation.received"))
          .get(0);
      assertThat(received.text("activationId")).isEqualTo(String.valueOf(id));
      http.post("/api/v1/activations/" + other + "/finish", "", "x-api-key", key);
      http.post("/api/v1/activations/" + id + "/finish", "", "x-api-key", key);

      List<EventStreamClient.Message> rest = stream.until(PATIENCE, m -> m.event().equals("activation.finished"));
      assertThat(rest).allSatisfy(m -> assertThat(m.text("activationId")).isEqualTo(String.valueOf(id)));
      assertThat(stream.endsWithin(PATIENCE)).as("the stream ends after the final event").isTrue();

      long finalId = rest.get(rest.size() - 1).id();
      try (EventStreamClient again = open("/api/v1/activations/" + id + "/events", key, "Last-Event-ID",
          String.valueOf(finalId))) {
        assertThat(again.status()).as("nothing more will come: EventSource stops reconnecting").isEqualTo(204);
      }
    }
  }

  @Test
  void refusesBadRequestsAsProblemsBeforeStreaming() {
    String key = app.sandboxCustomer().key();

    assertProblem(http.get("/api/v1/events"), 401, "BAD_KEY");
    assertProblem(http.get("/api/v1/events?types=Activation%20Created", "x-api-key", key), 400, "BAD_REQUEST");
    assertProblem(http.get("/api/v1/events", "x-api-key", key, "Last-Event-ID", "yesterday"), 400, "BAD_REQUEST");
    assertProblem(http.get("/api/v1/events?lastEventId=-1", "x-api-key", key), 400, "BAD_REQUEST");
    assertProblem(http.get("/api/v1/activations/999999/events", "x-api-key", key), 404, "ACTIVATION_NOT_FOUND");
  }

  @Test
  void boundsTheStreamsOfANodeAndFreesTheSlotOfAClientThatLeft() {
    try (TestApp small = TestApp.start(Map.of("sse-max-streams", "2"))) {
      String key = small.sandboxKey();
      EventStreamClient first = EventStreamClient.open(small.baseUrl() + "/api/v1/events", "x-api-key", key);
      try (EventStreamClient second = EventStreamClient.open(small.baseUrl() + "/api/v1/events", "x-api-key", key)) {
        assertProblem(new RawHttp(small.baseUrl()).get("/api/v1/events", "x-api-key", key), 429, "TOO_MANY_STREAMS");
        first.close();
        // The server notices a client that left when a write to it fails: the keep-alive's after the peer reset.
        Eventually.eventually("the slot is freed", () -> {
          small.app().eventStreams().keepAlive();
          return small.app().eventStreams().openStreams() == 1;
        });
        try (EventStreamClient third = EventStreamClient.open(small.baseUrl() + "/api/v1/events", "x-api-key", key)) {
          assertThat(third.status()).isEqualTo(200);
        }
      }
    }
  }

  /** An event committed as a feature commits one, in a transaction of its own. */
  static long append(long customerId, boolean test, String type) {
    return app.app().database().inTransaction(h -> app.app().events()
        .append(h, customerId, test, type, null, Map.of("balance", "12.5000", "currency", "USD")).id());
  }

  private static EventStreamClient open(String path, String key, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "x-api-key";
    all[1] = key;
    System.arraycopy(headers, 0, all, 2, headers.length);
    return EventStreamClient.open(app.baseUrl() + path, all);
  }

  /** The {@code activation.received} event of this activation, skipping others before it. */
  private static EventStreamClient.Message received(EventStreamClient stream, long id) {
    List<EventStreamClient.Message> seen = stream.until(PATIENCE,
        m -> m.event().equals("activation.received") && m.text("activationId").equals(String.valueOf(id)));
    return seen.get(seen.size() - 1);
  }

  private static long buy(String key) {
    return buy(key, "us");
  }

  private static long buy(String key, String country) {
    RawHttp.Reply bought = http.post("/api/v1/activations", "{\"service\":\"wa\",\"country\":\"" + country + "\"}",
        "x-api-key", key);
    assertThat(bought.status()).as(bought.body()).isEqualTo(201);
    return bought.json().get("id").asLong();
  }
}
