package io.verigate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.testing.TestApp;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code /health/ready} follows the node's database; {@code /health} only says the process answers. */
class ReadinessTest {
  @Test
  void isReadyWhileTheDatabaseAnswersAndNotOnceItsConnectionsAreGone() {
    try (TestApp app = TestApp.start()) {
      Readiness ready = Readiness.probe(app.baseUrl(), "/health/ready");
      assertThat(ready.status()).isEqualTo(200);
      assertThat(ready.state()).isEqualTo("UP");
      assertThat(ready.body().has("reason")).isFalse();

      app.app().database().close();

      Readiness down = Readiness.probe(app.baseUrl(), "/health/ready");
      assertThat(down.status()).isEqualTo(503);
      assertThat(down.state()).isEqualTo("DOWN");
      assertThat(down.body().get("reason").asText()).startsWith("the database check failed")
          .doesNotContain("jdbc").doesNotContain(app.databaseUrl());
      assertThat(down.took()).isLessThan(Duration.ofSeconds(3));
      Readiness alive = Readiness.probe(app.baseUrl(), "/health");
      assertThat(alive.status()).isEqualTo(200);
      assertThat(alive.state()).isEqualTo("UP");
    }
  }
}
