package io.verigate.server.http.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.verigate.server.App;
import io.verigate.server.system.Config;
import io.verigate.server.system.ConfigException;
import io.verigate.server.testing.TestApp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Number-source secrets on PostgreSQL, where nodes generate no master key: the row holds the sealed secret, a node
 * without the deployment's key refuses to start once secrets are sealed, and one on a database without sealed secrets
 * starts but refuses to store a secret in clear.
 */
class SourceSecretsAtRestIT {
  private static final String SIGNING_KEY = "android-signing-key-5c0d9e2a71";

  @TempDir
  Path dataDir;

  @Test
  void theRowHoldsNoSecretAndANodeWithoutTheKeyRefusesToStart() {
    try (TestApp app = TestApp.startOnPostgres(Map.of())) {
      SupplyNode node = new SupplyNode(app);
      node.admin("POST", "/admin/v1/sources", "{\"name\":\"pixel\",\"type\":\"android\",\"signingKey\":\""
          + SIGNING_KEY + "\",\"sims\":{\"1\":\"+14155550199\"}}");
      String row = app.app().database().withHandle(h -> h.createQuery(
          "SELECT signing_secret FROM number_source WHERE name = 'pixel'").mapTo(String.class).one());

      assertThat(row).startsWith("v1:").doesNotContain(SIGNING_KEY);
      assertThat(signedSms(node).statusCode()).isEqualTo(200);
      assertThatThrownBy(() -> App.create(Config.defaults(Map.of("db-url", app.databaseUrl(),
          "data-dir", dataDir.toString(), "port", "0", "host", "127.0.0.1"))))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("master-key is not configured").hasMessageContaining("same on every node");
    }
  }

  @Test
  void aNodeWithoutAKeyStartsOnADatabaseWithoutSealedSecretsButStoresNoSecret() {
    try (TestApp app = TestApp.startOnPostgres(Map.of("master-key", ""))) {
      HttpResponse<String> android = new SupplyNode(app).send("POST", "/admin/v1/sources", "application/json",
          "{\"name\":\"pixel\",\"type\":\"android\"}".getBytes(StandardCharsets.UTF_8),
          "Authorization", "Bearer " + app.adminToken());
      HttpResponse<String> gateway = new SupplyNode(app).send("POST", "/admin/v1/sources", "application/json",
          "{\"name\":\"gw\"}".getBytes(StandardCharsets.UTF_8), "Authorization", "Bearer " + app.adminToken());

      assertThat(android.statusCode()).isEqualTo(409);
      assertThat(android.body()).contains("master-key");
      assertThat(app.app().numberSources().named("pixel")).as("nothing stored").isEmpty();
      assertThat(gateway.statusCode()).as("a source without a secret needs no key").isEqualTo(201);
    }
  }

  private static HttpResponse<String> signedSms(SupplyNode node) {
    String body = "{\"event\":\"sms:received\",\"id\":\"e1\",\"payload\":{\"messageId\":\"m1\",\"message\":\"Your code "
        + "is 404142\",\"phoneNumber\":\"WhatsApp\",\"simNumber\":1,\"receivedAt\":\"2026-11-27T15:46:11.000+07:00\"}}";
    byte[] raw = body.getBytes(StandardCharsets.UTF_8);
    String timestamp = String.valueOf(Instant.now().getEpochSecond());
    return node.send("POST", "/api/v1/inbound/android/pixel", "application/json", raw, "X-Timestamp", timestamp,
        "X-Signature", AndroidGatewaySignature.sign(SIGNING_KEY, raw, timestamp));
  }
}
