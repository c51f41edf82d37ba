package io.verigate.server.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.verigate.server.system.Config;
import io.verigate.server.system.Database;
import io.verigate.server.system.Metrics;
import io.verigate.server.testing.TestDatabases;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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

  @Test
  void theDatabaseItselfLetsAHoldBeResolvedOnceWhileAnyNumberOfEntriesResolveNothing() {
    long first = entry("HOLD", null);
    long second = entry("HOLD", null);
    entry("CREDIT", null);
    entry("POST", first);

    assertThatThrownBy(() -> entry("VOID", first)).satisfies(e -> assertThat(Database.violatesUnique(e)).isTrue());
    entry("EXPIRE", second);
  }

  /** Writes a ledger entry of {@code kind} straight into the table, as no code path would, and returns its id. */
  private static long entry(String kind, Long resolves) {
    return db.withHandle(h -> h.createQuery("INSERT INTO ledger_entry (wallet_id, kind, amount, resolves_hold, memo, "
            + "created_at) VALUES (-1, :kind, 100, :resolves, 'straight into the table', now()) RETURNING id")
        .bind("kind", kind).bind("resolves", resolves).mapTo(Long.class).one());
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("io.verigate.server.wallet.LedgerSimulation#seeds")
  void keepsEveryLedgerInvariantUnderRandomOperations(long seed) {
    new LedgerSimulation(db).run(seed, LedgerSimulation.STEPS);
  }
}
