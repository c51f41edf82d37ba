package io.verigate.server.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Fresh databases for tests: H2 in memory for the default suite, PostgreSQL for {@code *IT} tests. The build
 * runs the {@code *IT} tests only when {@code VERIGATE_TEST_DB=postgres} selects them (as CI does), and then a
 * missing server is a failure, never a skip. Every test gets its own database, dropped afterwards.
 */
public final class TestDatabases {
  private TestDatabases() {}

  /** A fresh in-memory H2 database, gone when its last connection closes. */
  public static String freshH2() {
    return "jdbc:h2:mem:vg" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
  }

  /** The PostgreSQL database tests connect to in order to create their own ones ({@code VERIGATE_TEST_PGURL} wins). */
  static String postgresServer() {
    String url = System.getenv("VERIGATE_TEST_PGURL");
    if (url == null || url.isBlank()) {
      url = System.getProperty("verigate.test.pgurl", "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
    }
    return url;
  }

  /** Creates an empty PostgreSQL database and returns its JDBC URL; fails loudly if PostgreSQL is unreachable. */
  public static String freshPostgres() {
    String name = "vg_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    try (Connection c = DriverManager.getConnection(postgresServer()); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL is required for this test but is not reachable at "
          + postgresServer() + " (" + e.getMessage() + "). Start it, or run without -Dverigate.test.db=postgres.", e);
    }
    return withDatabase(postgresServer(), name);
  }

  public static void dropPostgres(String jdbcUrl) {
    String name = databaseName(jdbcUrl);
    try (Connection c = DriverManager.getConnection(postgresServer()); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      // Leaving a throwaway database behind is harmless; the test result stands.
    }
  }

  /** Cuts every connection to the database that calls itself {@code applicationName}; returns how many were cut. */
  public static int terminateConnectionsNamed(String jdbcUrl, String applicationName) {
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        PreparedStatement s = c.prepareStatement("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            + "WHERE application_name = ? AND datname = current_database()")) {
      s.setString(1, applicationName);
      try (ResultSet counted = s.executeQuery()) {
        counted.next();
        return counted.getInt(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not cut the connections named " + applicationName, e);
    }
  }

  /**
   * Takes the database away from its nodes, as an outage would: no new connection is allowed, and every open one other
   * than the caller's is cut. {@link #allowConnections} gives it back.
   */
  public static void refuseConnections(String jdbcUrl) {
    String name = databaseName(jdbcUrl);
    try (Connection c = DriverManager.getConnection(postgresServer()); Statement s = c.createStatement()) {
      s.execute("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false");
      s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
    } catch (SQLException e) {
      throw new IllegalStateException("could not take database " + name + " away", e);
    }
  }

  public static void allowConnections(String jdbcUrl) {
    String name = databaseName(jdbcUrl);
    try (Connection c = DriverManager.getConnection(postgresServer()); Statement s = c.createStatement()) {
      s.execute("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
    } catch (SQLException e) {
      throw new IllegalStateException("could not give database " + name + " back", e);
    }
  }

  private static String databaseName(String jdbcUrl) {
    return jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1).split("\\?")[0];
  }

  private static String withDatabase(String serverUrl, String name) {
    int slash = serverUrl.indexOf('/', "jdbc:postgresql://".length());
    int query = serverUrl.indexOf('?');
    String prefix = serverUrl.substring(0, slash + 1);
    String params = query < 0 ? "" : serverUrl.substring(query);
    return prefix + name + params;
  }
}
