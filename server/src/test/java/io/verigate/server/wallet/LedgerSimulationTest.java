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

/** The ledger's invariants under the standard seeded random runs, on H2. */
class LedgerSimulationTest {
  private static Database db;

  @BeforeAll
  static void openDatabase() {
    db = new Database(Config.defaults(Map.of("db-url", TestDatabases.freshH2())), new Metrics());
  }

  @AfterAll
  static void closeDatabase() {
    db.close();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("io.verigate.server.wallet.LedgerSimulation#seeds")
  void keepsEveryLedgerInvariantUnderRandomOperations(long seed) {
    new LedgerSimulation(db).run(seed, LedgerSimulation.STEPS);
  }
}
