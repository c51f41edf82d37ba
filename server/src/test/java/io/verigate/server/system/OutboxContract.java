package io.verigate.server.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.system.Outbox.Dead;
import io.verigate.server.system.Outbox.Done;
import io.verigate.server.system.Outbox.Item;
import io.verigate.server.system.Outbox.Retry;
import io.verigate.server.system.Outbox.RetryPolicy;
import io.verigate.server.system.Outbox.State;
import io.verigate.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The outbox's promises, run on H2 ({@link OutboxTest}) and on PostgreSQL ({@link OutboxIT}). */
abstract class OutboxContract {
  private static final RetryPolicy THREE_TRIES = new RetryPolicy(
      List.of(Duration.ofSeconds(10), Duration.ofSeconds(100)), 0.2);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private String url;
  private Database db;
  private Outbox outbox;

  abstract String freshDatabase();

  abstract void dropDatabase(String url);

  @BeforeEach
  void open() {
    url = freshDatabase();
    db = new Database(Config.defaults(Map.of("db-url", url)), new Metrics());
    outbox = new Outbox(db, clock);
  }

  @AfterEach
  void close() {
    outbox.close();
    db.close();
    dropDatabase(url);
  }

  private long enqueue(Outbox into, String kind, String payload, Instant due) {
    return db.inTransaction(h -> into.enqueue(h, kind, payload, due));
  }

  private Item item(long id) {
    return outbox.find(id).orElseThrow();
  }

  @Test
  void anItemDueNowIsHandledOnceAndDone() {
    List<String> handled = new java.util.concurrent.CopyOnWriteArrayList<>();
    outbox.register("greet", THREE_TRIES, item -> {
      handled.add(item.payload() + "#" + item.attempts());
      return new Done();
    });
    long id = enqueue(outbox, "greet", "{\"to\":\"ann\"}", clock.instant());

    outbox.runDue();
    outbox.runDue();

    assertThat(handled).containsExactly("{\"to\":\"ann\"}#1");
    assertThat(item(id).state()).isEqualTo(State.DONE);
    assertThat(item(id).attempts()).isEqualTo(1);
  }

  @Test
  void anItemWaitsUntilItIsDue() {
    AtomicInteger handled = new AtomicInteger();
    outbox.register("later", THREE_TRIES, item -> {
      handled.incrementAndGet();
      return new Done();
    });
    long id = enqueue(outbox, "later", "x", clock.instant().plusSeconds(5));

    outbox.runDue();
    assertThat(handled).hasValue(0);
    clock.advance(Duration.ofSeconds(5));
    outbox.runDue();

    assertThat(handled).hasValue(1);
    assertThat(item(id).state()).isEqualTo(State.DONE);
  }

  @Test
  void aFailingItemIsRetriedOnItsJitteredScheduleThenDies() {
    outbox.register("flaky", THREE_TRIES, item -> new Retry(null, "refused #" + item.attempts()));
    long id = enqueue(outbox, "flaky", "x", clock.instant());

    outbox.runDue();
    Item first = item(id);
    assertThat(first.state()).isEqualTo(State.PENDING);
    assertThat(first.attempts()).isEqualTo(1);
    assertThat(first.lastError()).isEqualTo("refused #1");
    assertThat(Duration.between(clock.instant(), first.dueAt())).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(12));

    clock.advance(Duration.ofSeconds(7));
    outbox.runDue();
    assertThat(item(id).attempts()).as("not due before the jittered delay").isEqualTo(1);

    clock.advance(Duration.ofSeconds(6));
    outbox.runDue();
    Item second = item(id);
    assertThat(second.attempts()).isEqualTo(2);
    assertThat(Duration.between(clock.instant(), second.dueAt()))
        .isBetween(Duration.ofSeconds(80), Duration.ofSeconds(120));

    clock.advance(Duration.ofSeconds(121));
    outbox.runDue();
    Item dead = item(id);
    assertThat(dead.state()).isEqualTo(State.DEAD);
    assertThat(dead.attempts()).isEqualTo(3);
    assertThat(dead.lastError()).isEqualTo("refused #3");
  }

  @Test
  void theJitterSpreadsItemsThatFailTogether() {
    outbox.register("flaky", THREE_TRIES, item -> new Retry(null, "down"));
    List<Long> ids = java.util.stream.IntStream.range(0, 20)
        .mapToObj(i -> enqueue(outbox, "flaky", "x" + i, clock.instant())).toList();

    outbox.runDue();

    assertThat(ids.stream().map(id -> item(id).dueAt()).distinct().count()).isGreaterThan(10);
  }

  @Test
  void aHandlerMayAskForItsOwnDelayOrDeclareTheItemDead() {
    outbox.register("polite", THREE_TRIES, item -> new Retry(Duration.ofMinutes(30), "retry-after"));
    outbox.register("hopeless", THREE_TRIES, item -> new Dead("no such endpoint"));
    long polite = enqueue(outbox, "polite", "x", clock.instant());
    long hopeless = enqueue(outbox, "hopeless", "x", clock.instant());

    outbox.runDue();

    assertThat(Duration.between(clock.instant(), item(polite).dueAt()))
        .isBetween(Duration.ofMinutes(24), Duration.ofMinutes(36));
    assertThat(item(hopeless).state()).isEqualTo(State.DEAD);
    assertThat(item(hopeless).attempts()).isEqualTo(1);
    assertThat(item(hopeless).lastError()).isEqualTo("no such endpoint");
  }

  @Test
  void aHandlerThatThrowsIsRetried() {
    outbox.register("boom", THREE_TRIES, item -> {
      throw new IllegalStateException("broken handler");
    });
    long id = enqueue(outbox, "boom", "x", clock.instant());

    outbox.runDue();

    assertThat(item(id).state()).isEqualTo(State.PENDING);
    assertThat(item(id).lastError()).contains("broken handler");
  }

  @Test
  void retryNowGivesADeadItemAFreshScheduleAndRunsItAgain() {
    AtomicInteger calls = new AtomicInteger();
    outbox.register("once", THREE_TRIES, item -> calls.incrementAndGet() == 1 ? new Dead("gone") : new Done());
    long id = enqueue(outbox, "once", "x", clock.instant());
    outbox.runDue();
    assertThat(item(id).state()).isEqualTo(State.DEAD);

    assertThat(outbox.retryNow(id)).isTrue();
    assertThat(item(id).state()).isEqualTo(State.PENDING);
    assertThat(item(id).attempts()).isZero();
    outbox.runDue();

    assertThat(item(id).state()).isEqualTo(State.DONE);
    assertThat(calls).hasValue(2);
    assertThat(outbox.retryNow(id)).as("a done item is not sent again").isFalse();
    assertThat(outbox.retryNow(999_999)).isFalse();
  }

  @Test
  void retryNowBringsAWaitingItemForward() {
    outbox.register("flaky", THREE_TRIES, item -> item.attempts() == 1 ? new Retry(null, "down") : new Done());
    long id = enqueue(outbox, "flaky", "x", clock.instant());
    outbox.runDue();

    assertThat(outbox.retryNow(id)).isTrue();
    outbox.runDue();

    assertThat(item(id).state()).isEqualTo(State.DONE);
    assertThat(item(id).attempts()).isEqualTo(2);
  }

  @Test
  void theOperatorListsItemsByStateAndKindNewestFirst() {
    outbox.register("a", THREE_TRIES, item -> new Dead("no"));
    long a1 = enqueue(outbox, "a", "1", clock.instant());
    long b1 = enqueue(outbox, "b", "1", clock.instant());
    long a2 = enqueue(outbox, "a", "2", clock.instant());
    long b2 = enqueue(outbox, "b", "2", clock.instant());
    outbox.runDue();

    assertThat(outbox.list(State.DEAD, null, Long.MAX_VALUE, 10)).extracting(Item::id).containsExactly(a2, a1);
    assertThat(outbox.list(State.PENDING, "b", Long.MAX_VALUE, 10)).extracting(Item::id).containsExactly(b2, b1);
    assertThat(outbox.list(State.PENDING, "b", b2, 10)).extracting(Item::id).containsExactly(b1);
    assertThat(outbox.list(State.PENDING, null, Long.MAX_VALUE, 1)).extracting(Item::id).containsExactly(b2);
  }

  @Test
  void anItemWhoseNodeVanishedIsTakenAgainAfterTheLeaseAndTheStaleOutcomeIsIgnored() throws Exception {
    CountDownLatch stuck = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    outbox.register("slow", THREE_TRIES, item -> {
      stuck.countDown();
      await(release);
      return new Dead("too late to matter");
    });
    Outbox other = new Outbox(db, clock);
    AtomicInteger otherCalls = new AtomicInteger();
    other.register("slow", THREE_TRIES, item -> {
      otherCalls.incrementAndGet();
      return new Done();
    });
    long id = enqueue(outbox, "slow", "x", clock.instant());
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<?> first = pool.submit(outbox::runDue);
      assertThat(stuck.await(10, TimeUnit.SECONDS)).isTrue();

      other.runDue();
      assertThat(otherCalls).as("held by the first node during its lease").hasValue(0);

      clock.advance(Outbox.LEASE.plusSeconds(1));
      other.runDue();
      assertThat(otherCalls).hasValue(1);
      release.countDown();
      first.get(10, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertThat(item(id).state()).isEqualTo(State.DONE);
    assertThat(item(id).attempts()).isEqualTo(2);
  }

  @Test
  void twoNodesRunningTogetherHandleEveryItemExactlyOnce() throws Exception {
    int items = 200;
    Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
    Set<String> running = ConcurrentHashMap.newKeySet();
    AtomicInteger overlaps = new AtomicInteger();
    Outbox.Handler handler = item -> {
      if (!running.add(item.payload())) {
        overlaps.incrementAndGet();
      }
      handled.computeIfAbsent(item.payload(), p -> new AtomicInteger()).incrementAndGet();
      sleep(2);
      running.remove(item.payload());
      return new Done();
    };
    Outbox second = new Outbox(db, clock);
    outbox.register("work", THREE_TRIES, handler);
    second.register("work", THREE_TRIES, handler);
    db.inTransaction(h -> {
      for (int i = 0; i < items; i++) {
        outbox.enqueue(h, "work", "item-" + i, clock.instant());
      }
      return null;
    });

    ExecutorService nodes = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> runs = List.of(nodes.submit(outbox::runDue), nodes.submit(second::runDue),
          nodes.submit(outbox::runDue), nodes.submit(second::runDue));
      for (Future<?> run : runs) {
        run.get(60, TimeUnit.SECONDS);
      }
    } finally {
      nodes.shutdownNow();
    }

    assertThat(overlaps).hasValue(0);
    assertThat(handled).hasSize(items);
    assertThat(handled.values()).allSatisfy(count -> assertThat(count).hasValue(1));
    assertThat(outbox.list(State.DONE, "work", Long.MAX_VALUE, 1000)).hasSize(items);
  }

  /**
   * Two nodes on a lease short enough to run out under a batch of slow items run one after the other: each node
   * starts only as many items as it has workers, so every item ends well within its lease and none is run twice.
   */
  @Test
  void slowItemsOnTwoNodesEndWithinTheirLeaseAndRunOnce() throws Exception {
    Duration lease = Duration.ofSeconds(5);
    int items = 30;
    Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
    Outbox.Handler slow = item -> {
      handled.computeIfAbsent(item.payload(), p -> new AtomicInteger()).incrementAndGet();
      sleep(400); // twenty of these one after the other would outlive the lease twice over
      return new Done();
    };
    java.time.Clock real = java.time.Clock.systemUTC();
    Outbox first = new Outbox(db, real, lease, 4);
    Outbox second = new Outbox(db, real, lease, 4);
    first.register("slow", THREE_TRIES, slow);
    second.register("slow", THREE_TRIES, slow);
    db.inTransaction(h -> {
      for (int i = 0; i < items; i++) {
        first.enqueue(h, "slow", "item-" + i, real.instant());
      }
      return null;
    });

    ExecutorService nodes = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> runs = java.util.stream.Stream.of(first, second).map(node -> nodes.submit(() -> {
        // Each node keeps looking, as its runner does every second, so an item whose lease ran out would be seen.
        long until = System.nanoTime() + lease.multipliedBy(3).toNanos();
        while (System.nanoTime() < until && first.list(State.DONE, "slow", Long.MAX_VALUE, items).size() < items) {
          node.runDue();
          sleep(50);
        }
      })).collect(java.util.stream.Collectors.toList());
      for (Future<?> run : runs) {
        run.get(60, TimeUnit.SECONDS);
      }
    } finally {
      nodes.shutdownNow();
      first.close();
      second.close();
    }

    assertThat(handled).hasSize(items);
    assertThat(handled.values()).as("no item run twice").allSatisfy(count -> assertThat(count).hasValue(1));
    assertThat(first.list(State.DONE, "slow", Long.MAX_VALUE, items)).hasSize(items)
        .allSatisfy(item -> assertThat(item.attempts()).isEqualTo(1));
  }

  @Test
  void aHandlerWithoutAnOutcomeWithinHalfTheLeaseIsInterruptedAndItsAttemptFails() {
    CountDownLatch never = new CountDownLatch(1);
    AtomicInteger interrupted = new AtomicInteger();
    Outbox impatient = new Outbox(db, clock, Duration.ofSeconds(2), 2);
    impatient.register("stuck", THREE_TRIES, item -> {
      try {
        never.await();
      } catch (InterruptedException e) {
        interrupted.incrementAndGet();
      }
      return new Done();
    });
    long id = enqueue(impatient, "stuck", "x", clock.instant());
    try {
      impatient.runDue();
    } finally {
      impatient.close();
    }

    Item item = item(id);
    assertThat(item.state()).isEqualTo(State.PENDING);
    assertThat(item.lastError()).isEqualTo("no outcome within 1000 ms");
    assertThat(Duration.between(clock.instant(), item.dueAt())).as("its schedule's next try, not the lease")
        .isBetween(Duration.ofSeconds(8), Duration.ofSeconds(12));
    io.verigate.server.testing.Eventually.within(Duration.ofSeconds(10), "the handler interrupted", interrupted::get,
        n -> n == 1);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
