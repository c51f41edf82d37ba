package io.verigate.server.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

class FairConnectionsTest {
  private static DataSource h2() {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:fair;DB_CLOSE_DELAY=-1");
    return h2;
  }

  @Test
  void connectionsGoInArrivalOrderEvenToAThreadThatJustGaveOneBack() throws Exception {
    FairConnections connections = new FairConnections(h2(), 1, Duration.ofSeconds(10), new SimpleMeterRegistry());
    List<String> served = new CopyOnWriteArrayList<>();
    Connection held = connections.openConnection();
    List<Thread> waiting = new CopyOnWriteArrayList<>();
    for (int i = 1; i <= 3; i++) {
      String name = "waiter " + i;
      Thread waiter = new Thread(() -> {
        try {
          Connection mine = connections.openConnection();
          served.add(name);
          connections.closeConnection(mine);
        } catch (SQLException e) {
          served.add(name + " failed: " + e);
        }
      });
      waiter.start();
      awaitParked(waiter);
      waiting.add(waiter);
    }

    // The thread giving a connection back asks again at once, as a request thread serving its next request does.
    connections.closeConnection(held);
    Connection again = connections.openConnection();
    served.add("the thread that gave it back");
    connections.closeConnection(again);

    for (Thread waiter : waiting) {
      waiter.join(10_000);
    }
    assertThat(served).containsExactly("waiter 1", "waiter 2", "waiter 3", "the thread that gave it back");
  }

  @Test
  void aThreadThatWaitsLongerThanTheWaitFailsAsAnOutage() throws Exception {
    FairConnections connections = new FairConnections(h2(), 1, Duration.ofMillis(200), new SimpleMeterRegistry());
    Connection held = connections.openConnection();

    assertThat(onAnotherThread(connections)).isInstanceOf(SQLTransientConnectionException.class)
        .satisfies(e -> assertThat(Database.isOutage(e)).isTrue());

    connections.closeConnection(held);
    assertThat(onAnotherThread(connections)).isNull();
  }

  @Test
  void aConnectionThePoolCouldNotOpenGivesItsTurnBack() throws Exception {
    FailingOnce pool = new FailingOnce(h2());
    FairConnections connections = new FairConnections(pool, 1, Duration.ofMillis(200), new SimpleMeterRegistry());

    assertThatThrownBy(connections::openConnection).isInstanceOf(SQLException.class).hasMessage("refused");

    Connection opened = connections.openConnection();
    assertThat(opened.isValid(1)).isTrue();
    connections.closeConnection(opened);
  }

  @Test
  void aThreadHoldingATurnOpensASecondConnectionWithoutQueueing() throws Exception {
    FairConnections connections = new FairConnections(h2(), 1, Duration.ofMillis(200), new SimpleMeterRegistry());
    Connection outer = connections.openConnection();

    Connection beside = connections.openConnection();
    connections.closeConnection(beside);
    connections.closeConnection(outer);

    assertThat(onAnotherThread(connections)).as("the turn was given back once the first connection closed").isNull();
  }

  /** What opening and closing a connection on a thread of its own threw, or null. */
  private static Throwable onAnotherThread(FairConnections connections) throws InterruptedException {
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread other = new Thread(() -> {
      try {
        connections.closeConnection(connections.openConnection());
      } catch (SQLException e) {
        failed.set(e);
      }
    });
    other.start();
    other.join(10_000);
    return failed.get();
  }

  @Test
  void theQueueAndEachWaitAreReported() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    FairConnections connections = new FairConnections(h2(), 1, Duration.ofSeconds(10), registry);
    Connection held = connections.openConnection();
    Thread waiter = new Thread(() -> {
      try {
        connections.closeConnection(connections.openConnection());
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
    waiter.start();
    awaitParked(waiter);

    assertThat(registry.get("verigate.db.connection.queue").gauge().value()).isEqualTo(1.0);
    Thread.sleep(50);
    connections.closeConnection(held);
    waiter.join(10_000);

    assertThat(registry.get("verigate.db.connection.queue").gauge().value()).isZero();
    Timer waited = registry.get("verigate.db.connection.wait").timer();
    assertThat(waited.count()).isEqualTo(2);
    assertThat(waited.max(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(50);
  }

  private static void awaitParked(Thread thread) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (thread.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(thread.getState()).isEqualTo(Thread.State.TIMED_WAITING);
  }

  /** A pool whose first request fails, as one does when the database refuses a new connection. */
  private static final class FailingOnce implements DataSource {
    private final DataSource pool;
    private boolean failed;

    FailingOnce(DataSource pool) {
      this.pool = pool;
    }

    @Override
    public synchronized Connection getConnection() throws SQLException {
      if (!failed) {
        failed = true;
        throw new SQLException("refused");
      }
      return pool.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() {
      return Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
      return false;
    }
  }
}
