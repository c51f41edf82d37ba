package io.verigate.server.inbound.smshub;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.system.Config;
import io.verigate.server.system.Database;
import io.verigate.server.system.Metrics;
import io.verigate.server.system.Outbox;
import io.verigate.server.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Upgrading a node whose SMSHub FINISHes had their own retry columns (V5): what they still owed the agents becomes
 * outbox items, due when the rows said, and what the agents already accepted is not sent again.
 */
class FinishMigrationTest {
  @Test
  void finishesNotYetAcceptedBecomeOutboxItemsAndAcceptedOnesDoNot() throws Exception {
    String url = TestDatabases.freshH2();
    Flyway.configure().dataSource(url, "", "").locations("classpath:db/migration/common", "classpath:db/migration/h2")
        .target("16").load().migrate();
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("INSERT INTO number_source (id, name, type, created_at) VALUES (7, 'bank', 'smshub', "
          + "TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00')");
      s.execute("INSERT INTO smshub_activation (source_id, agent_activation_id, created_at, finish_status, attempts, "
          + "next_attempt_at, last_error) VALUES (7, 501, TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00', 3, 4, "
          + "TIMESTAMP WITH TIME ZONE '2026-01-01 00:05:00+00', 'HTTP 503')");
      s.execute("INSERT INTO smshub_activation (source_id, agent_activation_id, created_at, finish_status, attempts, "
          + "next_attempt_at, delivered_at) VALUES (7, 502, TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00', 4, 1, "
          + "TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:10+00', TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:01+00')");
    }

    try (Database db = new Database(Config.defaults(Map.of("db-url", url)), new Metrics())) {
      Outbox outbox = new Outbox(db, java.time.Clock.systemUTC());
      assertThat(outbox.list(Outbox.State.PENDING, FinishRelay.KIND, Long.MAX_VALUE, 10)).singleElement()
          .satisfies(item -> {
            assertThat(item.payload()).isEqualTo("{\"source\":7,\"activation\":501,\"status\":3}");
            assertThat(item.dueAt()).isEqualTo(java.time.Instant.parse("2026-01-01T00:05:00Z"));
          });
      assertThat(outbox.backlog(FinishRelay.KIND, "{\"source\":7,").pending()).isEqualTo(1);
      outbox.close();
    }
  }
}
