package io.verigate.server.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.system.EventLog.Event;
import io.verigate.server.testing.Eventually;
import io.verigate.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The event log's promises, run on H2 ({@link EventLogTest}) and on PostgreSQL ({@link EventLogIT}). */
abstract class EventLogContract {
  private static final long ACME = 7;

  final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  String url;
  Config config;
  Database db;
  NodeEvents nodeEvents;
  EventLog events;
  final List<Long> committed = new CopyOnWriteArrayList<>();
  private final ExecutorService writers = Executors.newFixedThreadPool(2);

  abstract String freshDatabase();

  abstract void dropDatabase(String url);

  @BeforeEach
  void open() {
    url = freshDatabase();
    config = Config.defaults(Map.of("db-url", url));
    db = new Database(config, new Metrics());
    nodeEvents = NodeEvents.of(db, config);
    events = new EventLog(db, clock, nodeEvents);
    events.onCommitted((customer, id) -> committed.add(id));
    nodeEvents.start();
    Eventually.eventually("node events listen", nodeEvents::listening);
  }

  @AfterEach
  void close() {
    writers.shutdownNow();
    nodeEvents.close();
    db.close();
    dropDatabase(url);
  }

  Event append(long customer, boolean test, String type, Long activation) {
    return db.inTransaction(h -> events.append(h, customer, test, type, activation,
        Map.of("activationId", String.valueOf(activation), "status", "WAITING")));
  }

  List<Long> ids(long afterId) {
    return events.after(ACME, false, afterId, Set.of(), null, 100).stream().map(Event::id).toList();
  }

  @Test
  void aCustomersEventsOfOneModeComeBackInOrderWithTheirData() {
    Event created = append(ACME, false, "activation.created", 100L);
    append(ACME, true, "activation.created", 101L);
    append(8, false, "activation.created", 102L);
    Event received = append(ACME, false, "activation.received", 100L);

    List<Event> read = events.after(ACME, false, 0, Set.of(), null, 100);

    assertThat(read).containsExactly(created, received);
    assertThat(read.get(0).data()).isEqualTo(created.data());
    assertThat(read.get(0).data()).contains("\"activationId\":\"100\"").contains("\"status\":\"WAITING\"");
    assertThat(read.get(0).occurredAt()).isEqualTo(clock.instant());
    assertThat(events.after(ACME, true, 0, Set.of(), null, 100)).extracting(Event::activationId).containsExactly(101L);
  }

  @Test
  void readersFilterByTypeAndActivationAndResumeAfterAnId() {
    Event a = append(ACME, false, "activation.created", 100L);
    Event b = append(ACME, false, "activation.created", 200L);
    Event c = append(ACME, false, "activation.received", 100L);
    Event d = append(ACME, false, "wallet.credited", null);

    assertThat(events.after(ACME, false, 0, Set.of("activation.created", "wallet.credited"), null, 100))
        .containsExactly(a, b, d);
    assertThat(events.after(ACME, false, 0, Set.of(), 100L, 100)).containsExactly(a, c);
    assertThat(events.after(ACME, false, b.id(), Set.of(), null, 100)).containsExactly(c, d);
    assertThat(events.after(ACME, false, 0, Set.of(), null, 2)).containsExactly(a, b);
  }

  @Test
  void aRolledBackEventNeverAppearsNorHoldsBackLaterOnes() {
    Event before = append(ACME, false, "activation.created", 1L);
    try {
      db.inTransaction(h -> {
        events.append(h, ACME, false, "activation.created", 2L, Map.of());
        throw new IllegalStateException("the change failed");
      });
    } catch (IllegalStateException expected) {
      // the event goes with its change
    }
    Event after = append(ACME, false, "activation.created", 3L);

    assertThat(ids(0)).containsExactly(before.id(), after.id());
    Eventually.eventually("committed events announced, the rolled-back one not",
        () -> committed.equals(List.of(before.id(), after.id())));
  }

  @Test
  void anEventThatCommitsLateIsNeverSkipped() throws Exception {
    Event first = append(ACME, false, "activation.created", 1L);
    CountDownLatch appended = new CountDownLatch(1);
    CountDownLatch commit = new CountDownLatch(1);
    Future<Event> late = writers.submit(() -> db.inTransaction(h -> {
      Event e = events.append(h, ACME, false, "activation.created", 2L, Map.of());
      appended.countDown();
      await(commit);
      return e;
    }));
    assertThat(appended.await(10, TimeUnit.SECONDS)).isTrue();
    Event early = append(ACME, false, "activation.created", 3L);

    assertThat(ids(0)).as("nothing past the open transaction's id").containsExactly(first.id());
    commit.countDown();
    Event lateEvent = late.get(10, TimeUnit.SECONDS);

    assertThat(lateEvent.id()).isLessThan(early.id());
    assertThat(ids(first.id())).containsExactly(lateEvent.id(), early.id());
  }

  @Test
  void listenersInTheTransactionSeeTheEventAndCommittedOnesHearOfItAfterTheCommit() {
    List<String> inTransaction = new CopyOnWriteArrayList<>();
    events.onAppend(EventLog.InTransaction.forEvents((test, type) -> type.equals("wallet.credited"),
        (h, event) -> inTransaction.add(event.type() + ":" + h.isInTransaction())));

    Event event = append(ACME, false, "wallet.credited", null);

    assertThat(inTransaction).containsExactly("wallet.credited:true");
    Eventually.eventually("the committed event announced", () -> committed.contains(event.id()));
  }

  @Test
  void anEventIsQuietOnlyWhileNoListenerInTheTransactionListensToItsType() {
    assertThat(quietFor("activation.created")).isTrue();

    events.onAppend(EventLog.InTransaction.forEvents((test, type) -> type.equals("wallet.credited"),
        (h, event) -> { }));

    assertThat(quietFor("activation.created")).isTrue();
    assertThat(quietFor("wallet.credited")).isFalse();
  }

  private boolean quietFor(String type) {
    return db.<Boolean>withHandle(h -> events.quietFor(h, ACME, false, type));
  }

  @Test
  void thePurgeDeletesEventsOlderThanTheCutoff() {
    Event old = append(ACME, false, "activation.created", 1L);
    clock.advance(Duration.ofDays(31));
    Event recent = append(ACME, false, "activation.created", 2L);

    assertThat(events.purgeOlderThan(clock.instant().minus(Duration.ofDays(30)))).isEqualTo(1);

    assertThat(ids(0)).containsExactly(recent.id()).doesNotContain(old.id());
  }

  static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
