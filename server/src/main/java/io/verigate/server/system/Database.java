package io.verigate.server.system;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Update;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool, the schema migrations and the JDBI handle factory. H2 and PostgreSQL share one set
 * of migrations; SQL that must differ lives in {@code db/migration/<vendor>}.
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);
  private static final String H2_BIND_ADDRESS = "h2.bindAddress";
  /** H2's "database is closed" (90098, 90121) and "connection broken" (90067). */
  private static final Set<String> OUTAGE_STATES_H2 = Set.of("90098", "90121", "90067");
  /**
   * PostgreSQL ends a session that sits in a transaction this long without a statement, releasing its row locks: a
   * node that died mid-transaction (or lost its network) then blocks nobody's wallet for long.
   */
  private static final String IDLE_IN_TRANSACTION_TIMEOUT = "60s";
  /**
   * How long an H2 statement waits for a row lock before it fails. H2's own default, 2 s, is shorter than the queue a
   * burst of purchases on one wallet forms on a slow machine; PostgreSQL waits without limit.
   */
  static final Duration H2_LOCK_TIMEOUT = Duration.ofSeconds(10);
  /** A statement gave up waiting for a row lock: PostgreSQL's lock_not_available, H2's lock timeout (HYT00 50200). */
  private static final Set<String> LOCK_TIMEOUT_STATES = Set.of("55P03", "HYT00");

  private final HikariDataSource dataSource;
  private final Jdbi jdbi;
  private final boolean postgres;
  /** Whether the last use of the database reached it; an outage and its end are each logged once. */
  private final AtomicBoolean reachable = new AtomicBoolean(true);
  /**
   * Runs the readiness checks, one at a time: a check that waits for a connection (the pool waits up to 30 s) is given
   * up by its caller after its timeout and interrupted, and never holds a request thread that long. Its thread exists
   * only while checks come, so the executor needs no shutting down, and a check after {@link #close} reports the
   * closed pool like any other failure.
   */
  private final ExecutorService checks = new ThreadPoolExecutor(0, 1, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(),
      r -> {
        Thread t = new Thread(r, "verigate-database-check");
        t.setDaemon(true);
        return t;
      });
  /** Whether the last readiness check passed: only a change is logged, not every failed probe of an outage. */
  private final AtomicBoolean lastCheckPassed = new AtomicBoolean(true);

  /** The pool reports its connections (in use, idle, waiting threads, acquisition time) to {@code metrics}. */
  public Database(Config config, Metrics metrics) {
    this.postgres = config.usesPostgres();
    if (!postgres) {
      keepH2ListenersOnLoopback();
    }
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
    // A request waits this long for a connection, then is refused as an outage (Hikari's default is 30 s).
    hikari.setConnectionTimeout(config.databaseWait().toMillis());
    if (postgres) {
      hikari.addDataSourceProperty("tcpKeepAlive", "true");
      // A connection to a server that vanished without a reset (a partition) then fails instead of hanging forever.
      hikari.addDataSourceProperty("socketTimeout", String.valueOf(Math.max(1, config.databaseSocketTimeout().toSeconds())));
      hikari.addDataSourceProperty("connectTimeout", String.valueOf(Math.max(1, config.databaseWait().toSeconds())));
      hikari.setConnectionInitSql("SET idle_in_transaction_session_timeout = '" + IDLE_IN_TRANSACTION_TIMEOUT + "'");
    } else {
      hikari.setConnectionInitSql("SET LOCK_TIMEOUT " + H2_LOCK_TIMEOUT.toMillis());
    }
    // Set once per connection, so a transaction never asks the server which level it runs at (a round trip each).
    hikari.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    hikari.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(metrics.registry()));
    this.dataSource = new HikariDataSource(hikari);
    String vendor = postgres ? "postgresql" : "h2";
    Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration/common", "classpath:db/migration/" + vendor)
        .load()
        .migrate();
    this.jdbi = Jdbi.create(new FairConnections(dataSource, dataSource.getMaximumPoolSize(), config.databaseWait(),
        metrics.registry()));
    jdbi.registerArgument(new NulFreeStrings());
  }

  /** The pool itself, for a library that takes a DataSource (the shared rate-limit buckets). */
  public DataSource dataSource() {
    return dataSource;
  }

  /**
   * The default H2 URL opens no listener. An operator who asks for one in {@code db-url} ({@code AUTO_SERVER=TRUE},
   * a TCP server) gets it on the loopback interface rather than on every interface, as H2 would bind it; a
   * {@code -Dh2.bindAddress} of their own wins. H2 reads the property once, when its classes load, so this runs before
   * the pool loads the driver.
   */
  private static void keepH2ListenersOnLoopback() {
    if (System.getProperty(H2_BIND_ADDRESS) == null) {
      System.setProperty(H2_BIND_ADDRESS, "127.0.0.1");
    }
  }

  /** How many connections the pool holds at most. */
  public int poolSize() {
    return dataSource.getMaximumPoolSize();
  }

  public boolean isPostgres() {
    return postgres;
  }

  /**
   * Runs {@code work} in one READ COMMITTED transaction (every pooled connection is set to that level). When the
   * database cannot be reached it throws {@link DatabaseUnavailable} instead of whatever the driver threw.
   */
  public <T> T inTransaction(Function<Handle, T> work) {
    try {
      T result = jdbi.inTransaction(work::apply);
      reached();
      return result;
    } catch (RuntimeException e) {
      throw unreachableOr(e);
    }
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

  /** Runs {@code work} on a pooled connection, outside a transaction; an outage is {@link DatabaseUnavailable}. */
  public <T> T withHandle(Function<Handle, T> work) {
    try {
      T result = jdbi.withHandle(work::apply);
      reached();
      return result;
    } catch (RuntimeException e) {
      throw unreachableOr(e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().lines().findFirst().orElse("");
  }

  /** A success after an outage: said once, as the outage was. */
  private void reached() {
    if (!reachable.get() && reachable.compareAndSet(false, true)) {
      log.info("the database is reachable again");
    }
  }

  /**
   * {@code e} itself, unless it says the database cannot be reached: then the refusal that tells the client to retry.
   * The outage is logged once, when it starts, not once per request that meets it.
   */
  private RuntimeException unreachableOr(RuntimeException e) {
    if (e instanceof Failure) {
      return e;
    }
    if (failedWith(e, LOCK_TIMEOUT_STATES.toArray(String[]::new))) {
      log.warn("a transaction gave up waiting for a row lock; its request is refused with a retry: {}", rootMessage(e));
      return DatabaseUnavailable.busy();
    }
    if (!isOutage(e)) {
      return e;
    }
    if (reachable.compareAndSet(true, false)) {
      log.warn("the database is unreachable; requests that need it are refused until it answers again", e);
    }
    return new DatabaseUnavailable();
  }

  /**
   * Whether a failure means the database cannot be reached, rather than that a statement failed: the pool's wait
   * for a connection ran out, or the connection failed (SQLSTATE class 08, PostgreSQL's shutdown states 57P01-57P03,
   * H2's closed-database and broken-connection codes), or its socket timed out.
   */
  static boolean isOutage(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException || t instanceof SocketTimeoutException
          || t instanceof ConnectException) {
        return true;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        if (state.startsWith("08") || state.startsWith("57P0") || OUTAGE_STATES_H2.contains(state)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Why this node cannot use its database now, or empty when a pooled connection answered {@code SELECT 1} within
   * {@code timeout}. The reason is fit to show anyone: it names no host or account; the log has the details.
   */
  public Optional<String> unavailable(Duration timeout) {
    Optional<String> reason = check(timeout);
    if (lastCheckPassed.getAndSet(reason.isEmpty()) != reason.isEmpty()) {
      log.info("readiness: the database is {}", reason.isEmpty() ? "available again" : "unavailable: " + reason.get());
    }
    return reason;
  }

  private Optional<String> check(Duration timeout) {
    Future<?> check = checks.submit(() -> {
      try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
        statement.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
        statement.execute("SELECT 1");
      }
      return null;
    });
    try {
      check.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return Optional.empty();
    } catch (TimeoutException e) {
      check.cancel(true);
      return Optional.of("the database did not answer within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      if (lastCheckPassed.get()) {
        log.warn("readiness: the database check failed", e.getCause());
      }
      return Optional.of("the database check failed" + sqlState(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("the check was interrupted");
    }
  }

  private static String sqlState(Throwable e) {
    return e instanceof SQLException sql && sql.getSQLState() != null ? " (SQLSTATE " + sql.getSQLState() + ")" : "";
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
