package io.verigate.server.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.verigate.server.testing.TestApp;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** On PostgreSQL the audit log is append-only in the database itself, whatever statement a node or a person sends. */
class AuditAppendOnlyIT {
  @Test
  void refusesToChangeOrRemoveAnEntry() {
    try (TestApp app = TestApp.startOnPostgres(Map.of())) {
      app.app().audit().record(new AuditEntry(Actor.admin("192.0.2.7"), AuditAction.PRICE_SET, "price:wa/US/any",
          Map.of("price", "0.70")));

      for (String statement : new String[] {"UPDATE audit_entry SET actor = 'nobody'", "DELETE FROM audit_entry",
          "TRUNCATE audit_entry"}) {
        assertThatThrownBy(() -> app.app().database().withHandle(h -> h.execute(statement)))
            .as(statement).hasMessageContaining("audit_entry is append-only");
      }
      assertThat(app.app().audit().page(Long.MAX_VALUE, 10, AuditAction.PRICE_SET).items())
          .singleElement().satisfies(entry -> {
            assertThat(entry.actor()).isEqualTo("admin");
            assertThat(entry.clientAddress()).isEqualTo("192.0.2.7");
          });
    }
  }
}
