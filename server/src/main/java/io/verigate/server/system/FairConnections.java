package io.verigate.server.system;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jdbi.v3.core.ConnectionFactory;

/**
 * Hands out pooled connections first come, first served. Hikari's pool is not fair: a connection given back while
 * threads wait goes to whichever thread grabs it first, often one that has just arrived, while the giver spins until
 * a waiter takes it. Under a burst of purchases, with more requests than connections, that made a few requests wait
 * several times as long as the rest. A fair semaphore with one permit per pooled connection queues the requests in
 * arrival order in front of the pool, so the pool itself never has a waiter.
 *
 * <p>The permits are as many as the pool's connections, so no thread waits here that would not have waited in the
 * pool: a thread that waits longer than {@code wait} fails as the pool's own timeout would. Since the waiting now
 * happens here and no longer in the pool, this queue reports it: {@code verigate.db.connection.queue} (threads
 * waiting now) and {@code verigate.db.connection.wait} (how long each waited, refused waits included).
 *
 * <p>A thread that already holds a turn and opens a second connection (a read that runs beside its transaction) goes
 * straight to the pool, as it always did. Made to queue behind the newer arrivals, it would wait for turns that those
 * arrivals hold, and with every turn held by such a thread the node would stall until the waits ran out.
 */
final class FairConnections implements ConnectionFactory {
  private final DataSource pool;
  private final Semaphore permits;
  private final Duration wait;
  private final Timer waited;
  /** The connections that hold a turn, given back when they close, on whichever thread closes them. */
  private final Set<Connection> holdingTurns = ConcurrentHashMap.newKeySet();
  /** How many connections this thread opened and has not closed yet. */
  private final ThreadLocal<int[]> openOnThisThread = ThreadLocal.withInitial(() -> new int[1]);

  FairConnections(DataSource pool, int connections, Duration wait, MeterRegistry registry) {
    this.pool = pool;
    this.permits = new Semaphore(connections, true);
    this.wait = wait;
    Gauge.builder("verigate.db.connection.queue", permits, Semaphore::getQueueLength)
        .description("threads waiting for a pooled connection, served in arrival order").register(registry);
    this.waited = Timer.builder("verigate.db.connection.wait")
        .description("how long a thread waited for its turn at a pooled connection").register(registry);
  }

  @Override
  public Connection openConnection() throws SQLException {
    int[] open = openOnThisThread.get();
    if (open[0] > 0) {
      Connection beside = pool.getConnection();
      open[0]++;
      return beside;
    }
    awaitTurn();
    Connection connection;
    try {
      connection = pool.getConnection();
    } catch (SQLException | RuntimeException e) {
      permits.release();
      throw e;
    }
    holdingTurns.add(connection);
    open[0]++;
    return connection;
  }

  @Override
  public void closeConnection(Connection connection) throws SQLException {
    try {
      connection.close();
    } finally {
      int[] open = openOnThisThread.get();
      open[0] = Math.max(0, open[0] - 1);
      if (holdingTurns.remove(connection)) {
        permits.release();
      }
    }
  }

  private void awaitTurn() throws SQLException {
    long start = System.nanoTime();
    try {
      boolean turn = permits.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
      waited.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      if (!turn) {
        throw new SQLTransientConnectionException("no pooled connection came free within " + wait.toMillis() + " ms");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLTransientConnectionException("interrupted while waiting for a pooled connection", e);
    }
  }
}
