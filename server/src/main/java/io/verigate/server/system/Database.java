package io.verigate.server.system;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Update;

/**
 * The connection pool, the schema migrations and the JDBI handle factory. H2 and PostgreSQL share one set
 * of migrations; SQL that must differ lives in {@code db/migration/<vendor>}.
 */
public final class Database implements AutoCloseable {
  private final HikariDataSource dataSource;
  private final Jdbi jdbi;
  private final boolean postgres;

  public Database(Config config) {
    HikariConfig hikari = new HikariConfig();
    hikari.setJdbcUrl(config.databaseUrl());
    if (!config.databaseUser().isBlank()) {
      hikari.setUsername(config.databaseUser());
    }
    if (!config.databasePassword().isBlank()) {
      hikari.setPassword(config.databasePassword());
    }
    hikari.setMaximumPoolSize(config.databasePoolSize());
    hikari.setPoolName("verigate");
    // Set once per connection, so a transaction never asks the server which level it runs at (a round trip each).
    hikari.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    this.dataSource = new HikariDataSource(hikari);
    this.postgres = config.usesPostgres();
    String vendor = postgres ? "postgresql" : "h2";
    Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration/common", "classpath:db/migration/" + vendor)
        .load()
        .migrate();
    this.jdbi = Jdbi.create(dataSource);
    jdbi.registerArgument(new NulFreeStrings());
  }

  /** How many connections the pool holds at most. */
  public int poolSize() {
    return dataSource.getMaximumPoolSize();
  }

  public boolean isPostgres() {
    return postgres;
  }

  /** Runs {@code work} in one READ COMMITTED transaction (every pooled connection is set to that level). */
  public <T> T inTransaction(Function<Handle, T> work) {
    return jdbi.inTransaction(work::apply);
  }

  /**
   * Runs {@code sql} as the last statement of the caller's transaction and commits it. On PostgreSQL the statement and
   * the COMMIT travel together, in one round trip: the row locks the statement takes are held while the server commits,
   * but never while its answer travels back to this node and waits for a thread to send the COMMIT, which on a busy
   * node is the longer part. Nothing may run in the transaction after it; the caller's commit then finds nothing to do.
   * A statement that fails leaves the transaction uncommitted, to be rolled back as usual.
   */
  public int executeLast(Handle h, String sql, UnaryOperator<Update> bind) {
    return bind.apply(h.createUpdate(postgres ? sql + "; COMMIT" : sql)).execute();
  }

  /** Whether a statement failed on a CHECK constraint (H2 and PostgreSQL name that condition differently). */
  public static boolean violatesCheck(Throwable e) {
    return failedWith(e, "23513", "23514");
  }

  /** Whether a statement failed on a unique constraint. */
  public static boolean violatesUnique(Throwable e) {
    return failedWith(e, "23505");
  }

  private static boolean failedWith(Throwable e, String... sqlStates) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && List.of(sqlStates).contains(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  public <T> T withHandle(Function<Handle, T> work) {
    return jdbi.withHandle(work::apply);
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
