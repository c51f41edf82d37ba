package io.verigate.server.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.verigate.server.testing.TestDatabases;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Row-lock waits on the embedded database: long enough for a burst's queue, and a retry when they run out. */
class DatabaseLockWaitTest {
  private Database db;

  @BeforeEach
  void open() {
    db = new Database(Config.defaults(Map.of("db-url", TestDatabases.freshH2())), new Metrics());
    db.inTransaction(h -> h.execute("CREATE TABLE counter (id INT PRIMARY KEY, n INT)")
        + h.execute("INSERT INTO counter VALUES (1, 0)"));
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void aLockHeldLongerThanH2sOwnTwoSecondsIsWaitedFor() throws Exception {
    CountDownLatch locked = new CountDownLatch(1);
    CompletableFuture<Integer> holder = CompletableFuture.supplyAsync(() -> db.inTransaction(h -> {
      h.execute("UPDATE counter SET n = n + 1 WHERE id = 1");
      locked.countDown();
      sleep(3_000);
      return 1;
    }));
    assertThat(locked.await(5, TimeUnit.SECONDS)).isTrue();

    db.inTransaction(h -> h.execute("UPDATE counter SET n = n + 1 WHERE id = 1"));

    assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    int count = db.withHandle(h -> h.createQuery("SELECT n FROM counter").mapTo(Integer.class).one());
    assertThat(count).isEqualTo(2);
  }

  @Test
  void aStatementThatGivesUpWaitingForALockIsRefusedWithARetryNotAnInternalError() throws Exception {
    CountDownLatch locked = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> db.inTransaction(h -> {
      h.execute("UPDATE counter SET n = n + 1 WHERE id = 1");
      locked.countDown();
      await(done);
      return null;
    }));
    assertThat(locked.await(5, TimeUnit.SECONDS)).isTrue();
    try {
      assertThatThrownBy(() -> db.inTransaction(h -> {
        h.execute("SET LOCK_TIMEOUT 100");
        return h.execute("UPDATE counter SET n = n + 1 WHERE id = 1");
      }))
          .isInstanceOf(DatabaseUnavailable.class)
          .hasMessageContaining("busy")
          .satisfies(refusal -> assertThat(((RetryLater) refusal).retryAfterSeconds()).isPositive());
    } finally {
      done.countDown();
      holder.get(10, TimeUnit.SECONDS);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
