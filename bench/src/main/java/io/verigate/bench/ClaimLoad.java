package io.verigate.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The database's own ceiling for purchases: how fast it claims one free number when asked with one statement, with no
 * node in between. Its table, {@code bench_claim}, is a copy of {@code phone_number}'s shape (indexes, the partial
 * index on free numbers, the unique lease column) in the node's database, seeded with free numbers of its own so the
 * claims take nothing from the node's stock. Each client is a plain JDBC connection in autocommit, so every claim is
 * one statement and one commit, as a purchase's lease is one row of its one commit. It claims in the order the node's
 * allocation does, which only the partial index of free numbers serves.
 */
final class ClaimLoad {
  static final String CLAIM = "UPDATE bench_claim SET active_activation_id = ? WHERE id = ("
      + "SELECT id FROM bench_claim WHERE mode = 'live' AND country = 'us' AND active_activation_id IS NULL AND enabled "
      + "ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)";

  private final String databaseUrl;

  private ClaimLoad(String databaseUrl) {
    this.databaseUrl = databaseUrl;
  }

  /** Creates {@code bench_claim} beside the node's tables with {@code rows} free US numbers. */
  static ClaimLoad seed(String databaseUrl, int rows) throws SQLException {
    try (Connection c = DriverManager.getConnection(databaseUrl); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE bench_claim (LIKE phone_number INCLUDING ALL)");
      s.execute("INSERT INTO bench_claim (e164, country, operator, source_id, mode, enabled, created_at) "
          + "SELECT '+1' || (16500000000 + g), 'us', 'any', 0, 'live', TRUE, now() FROM generate_series(1, " + rows
          + ") g");
    }
    return new ClaimLoad(databaseUrl);
  }

  /**
   * A connection claiming one row per {@link PollLoad.Client#send}, leasing it to the run's request number (unique, as
   * the lease column requires). A claim that finds no free row fails: the seed ran out.
   */
  PollLoad.Client client() {
    Connection connection;
    PreparedStatement claim;
    try {
      connection = DriverManager.getConnection(databaseUrl);
      claim = connection.prepareStatement(CLAIM);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open a claim connection: " + e.getMessage(), e);
    }
    return new PollLoad.Client() {
      @Override
      public void send(int n) throws SQLException {
        claim.setInt(1, n);
        if (claim.executeUpdate() != 1) {
          throw new IllegalStateException("no free row left: raise --claim-rows");
        }
      }

      @Override
      public void close() {
        try {
          connection.close();
        } catch (SQLException e) {
          // closing is best effort: the run is over
        }
      }
    };
  }
}
