package io.verigate.server.http;

import static io.verigate.server.testing.Eventually.within;
import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.testing.TestApp;
import io.verigate.server.testing.TestDatabases;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * On PostgreSQL, a database that goes away makes the node not ready within the probe's time, even though its pool
 * would wait 30 s for a connection, and ready again once the database is back.
 */
class ReadinessIT {
  @Test
  void goesDownWithinTheProbesTimeWhenTheDatabaseIsGoneAndComesBackWithIt() {
    try (TestApp app = TestApp.startOnPostgres(Map.of())) {
      assertThat(Readiness.probe(app.baseUrl(), "/health/ready").status()).isEqualTo(200);

      TestDatabases.refuseConnections(app.databaseUrl());
      try {
        Readiness down = Readiness.probe(app.baseUrl(), "/health/ready");
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.state()).isEqualTo("DOWN");
        assertThat(down.body().get("reason").asText()).isNotBlank().doesNotContain("127.0.0.1").doesNotContain("postgres");
        assertThat(down.took()).isLessThan(Duration.ofSeconds(3));
        assertThat(Readiness.probe(app.baseUrl(), "/health").status()).isEqualTo(200);
      } finally {
        TestDatabases.allowConnections(app.databaseUrl());
      }

      Readiness back = within(Duration.ofSeconds(20), "ready again", () -> Readiness.probe(app.baseUrl(), "/health/ready"),
          probe -> probe.status() == 200);
      assertThat(back.state()).isEqualTo("UP");
    }
  }
}
