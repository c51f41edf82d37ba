package io.verigate.server.wallet;

import io.verigate.server.system.Config;
import io.verigate.server.system.Database;
import io.verigate.server.system.Metrics;
import io.verigate.server.testing.TestDatabases;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The same seeded ledger runs as {@link LedgerSimulationTest}, on PostgreSQL, the production store. */
class LedgerPostgresIT {
  private static String url;
  private static Database db;

  @BeforeAll
  static void openDatabase() {
    url = TestDatabases.freshPostgres();
    db = new Database(Config.defaults(Map.of("db-url", url)), new Metrics());
  }

  @AfterAll
  static void dropDatabase() {
    if (db != null) {
      db.close();
    }
    if (url != null) {
      TestDatabases.dropPostgres(url);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("io.verigate.server.wallet.LedgerSimulation#seeds")
  void keepsEveryLedgerInvariantUnderRandomOperations(long seed) {
    new LedgerSimulation(db).run(seed, LedgerSimulation.STEPS);
  }
}
