package io.verigate.server.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.system.EventLog.Event;
import io.verigate.server.testing.Eventually;
import io.verigate.server.testing.TestDatabases;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The event log on PostgreSQL: ids that follow transaction ids, and committed events heard on every node. */
class EventLogIT extends EventLogContract {
  @Override
  String freshDatabase() {
    return TestDatabases.freshPostgres();
  }

  @Override
  void dropDatabase(String url) {
    TestDatabases.dropPostgres(url);
  }

  /**
   * The case a sequence gets wrong: the transaction that commits first began (took its transaction id) before the one
   * that appended first. Its event must not take a smaller id than one still committing, or a reader would pass it.
   */
  @Test
  void aReaderThatResumesAfterWhatItReadMissesNoEventWhateverOrderTransactionsCommitIn() throws Exception {
    CountDownLatch olderBegan = new CountDownLatch(1);
    CountDownLatch youngerAppended = new CountDownLatch(1);
    CountDownLatch youngerCommits = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<Event> older = threads.submit(() -> db.inTransaction(h -> {
        h.createQuery("SELECT pg_current_xact_id()").mapTo(String.class).one();
        olderBegan.countDown();
        await(youngerAppended);
        return events.append(h, 7, false, "activation.received", 1L, Map.of());
      }));
      Future<Event> younger = threads.submit(() -> {
        await(olderBegan);
        return db.inTransaction(h -> {
          Event e = events.append(h, 7, false, "activation.created", 1L, Map.of());
          youngerAppended.countDown();
          await(youngerCommits);
          return e;
        });
      });
      Event olderEvent = older.get(10, TimeUnit.SECONDS);
      List<Long> firstRead = ids(0);
      youngerCommits.countDown();
      Event youngerEvent = younger.get(10, TimeUnit.SECONDS);

      assertThat(firstRead).containsExactly(olderEvent.id());
      assertThat(ids(olderEvent.id())).containsExactly(youngerEvent.id());
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void everyNodeHearsOfACommittedEvent() {
    NodeEvents otherEvents = NodeEvents.of(db, config);
    EventLog other = new EventLog(db, clock, otherEvents);
    List<String> heard = new CopyOnWriteArrayList<>();
    other.onCommitted((customer, id) -> heard.add(customer + ":" + id));
    otherEvents.start();
    try {
      Eventually.eventually("the other node listens", otherEvents::listening);

      Event event = append(7, false, "wallet.credited", null);

      Eventually.eventually("the other node heard it", () -> heard.contains("7:" + event.id()));
      Eventually.eventually("this node heard it", () -> committed.contains(event.id()));
      assertThat(other.after(7, false, 0, Set.of(), null, 10)).containsExactly(event);
    } finally {
      otherEvents.close();
    }
  }
}
