package io.verigate.server.wallet;

import io.verigate.server.system.Config;
import io.verigate.server.system.Database;
import io.verigate.server.testing.TestDatabases;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The ledger's invariants under 20 fixed seeds of 300 random operations each, on H2. */
class LedgerSimulationTest {
  static final int STEPS = 300;
  private static Database db;

  static LongStream seeds() {
    return LongStream.rangeClosed(1, 20);
  }

  @BeforeAll
  static void openDatabase() {
    db = new Database(Config.defaults(Map.of("db-url", TestDatabases.freshH2())));
  }

  @AfterAll
  static void closeDatabase() {
    db.close();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void keepsEveryLedgerInvariantUnderRandomOperations(long seed) {
    new LedgerSimulation(db).run(seed, STEPS);
  }
}
