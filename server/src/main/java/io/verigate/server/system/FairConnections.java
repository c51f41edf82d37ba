package io.verigate.server.system;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
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
 * pool: a thread that waits longer than {@code wait} fails as the pool's own timeout would.
 */
final class FairConnections implements ConnectionFactory {
  private final DataSource pool;
  private final Semaphore permits;
  private final Duration wait;

  FairConnections(DataSource pool, int connections, Duration wait) {
    this.pool = pool;
    this.permits = new Semaphore(connections, true);
    this.wait = wait;
  }

  @Override
  public Connection openConnection() throws SQLException {
    try {
      if (!permits.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new SQLTransientConnectionException("no pooled connection came free within " + wait.toMillis() + " ms");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLTransientConnectionException("interrupted while waiting for a pooled connection", e);
    }
    try {
      return pool.getConnection();
    } catch (SQLException | RuntimeException e) {
      permits.release();
      throw e;
    }
  }

  @Override
  public void closeConnection(Connection connection) throws SQLException {
    try {
      connection.close();
    } finally {
      permits.release();
    }
  }
}
