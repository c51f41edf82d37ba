package io.verigate.server.http.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.verigate.server.system.ConfigException;
import io.verigate.server.testing.TestApp;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Number-source secrets at rest, on a node as a default install runs it (the embedded H2 file in its data directory):
 * sealed under the master key, so no secret is in the database file, while webhooks still verify; sealed again when
 * the operator rotates the key, and when a row from before sealing is found.
 */
class SourceSecretsAtRestTest {
  private static final String SIGNING_KEY = "android-signing-key-2f9c81b7e4";
  private static final String AUTH_TOKEN = "twilio-auth-token-8d1e5a7c90";
  private static final String SMPP_PASSWORD = "pw7Qx2z9";
  private static final String AGENT_KEY = "smshub-agent-key-6b3f0e1d27";
  private static final String SIM = "+14155550188";
  private static final String NEW_KEY = Base64.getEncoder()
      .encodeToString("a-new-master-key-for-rotation-32".getBytes(StandardCharsets.US_ASCII));

  @TempDir
  Path dataDir;

  @Test
  void noSourceSecretIsInTheDatabaseFileAndWebhooksStillVerify() throws IOException {
    try (TestApp app = start(Map.of())) {
      SupplyNode node = new SupplyNode(app);
      node.admin("POST", "/admin/v1/sources", "{\"name\":\"pixel\",\"type\":\"android\",\"signingKey\":\"" + SIGNING_KEY
          + "\",\"sims\":{\"1\":\"" + SIM + "\"}}");
      node.admin("POST", "/admin/v1/sources", "{\"name\":\"tw\",\"type\":\"twilio\",\"authToken\":\"" + AUTH_TOKEN
          + "\",\"webhookUrl\":\"https://sms.example.com/api/v1/inbound/twilio/tw\"}");
      // Nothing listens on port 1 or 9: the link and the agent's polls keep failing, which leaves their settings be.
      node.admin("POST", "/admin/v1/sources", "{\"name\":\"smsc\",\"type\":\"smpp\",\"host\":\"127.0.0.1\",\"port\":1,"
          + "\"systemId\":\"verigate\",\"password\":\"" + SMPP_PASSWORD + "\"}");
      node.admin("POST", "/admin/v1/sources", "{\"name\":\"bank\",\"type\":\"smshub\",\"agentUrl\":\"http://127.0.0.1:9/\","
          + "\"agentKey\":\"" + AGENT_KEY + "\"}");

      assertThat(signedSms(node, "pixel", SIGNING_KEY).statusCode()).isEqualTo(200);
      assertThat(app.app().numberSources().smppLinks()).singleElement()
          .satisfies(link -> assertThat(link.settings().password()).isEqualTo(SMPP_PASSWORD));
      assertThat(storedSecret(app, "pixel")).startsWith("v1:");
    }

    String everyFile = databaseFiles();
    assertThat(everyFile).contains("pixel", "smsc").doesNotContain(SIGNING_KEY, AUTH_TOKEN, SMPP_PASSWORD, AGENT_KEY);
  }

  @Test
  void rotatingTheMasterKeySealsEverySecretAgainAndKeepsWebhooksVerifying() throws IOException {
    try (TestApp app = start(Map.of())) {
      androidSource(app);
    }
    String generated = Files.readString(dataDir.resolve("master.key")).trim();

    String rotated;
    try (TestApp app = start(Map.of("master-key", NEW_KEY, "master-key-previous", generated))) {
      rotated = storedSecret(app, "pixel");
      assertThat(signedSms(new SupplyNode(app), "pixel", SIGNING_KEY).statusCode()).isEqualTo(200);
    }
    try (TestApp app = start(Map.of("master-key", NEW_KEY))) {
      assertThat(storedSecret(app, "pixel")).as("sealed once, at the rotating start").isEqualTo(rotated);
      assertThat(signedSms(new SupplyNode(app), "pixel", SIGNING_KEY).statusCode()).isEqualTo(200);
    }
    assertThatThrownBy(() -> start(Map.of())).as("the generated key no longer opens it")
        .isInstanceOf(ConfigException.class).hasMessageContaining("neither master-key nor master-key-previous");
  }

  @Test
  void aSecretStoredInClearBeforeSealingIsSealedAtTheNextStart() {
    try (TestApp app = start(Map.of())) {
      androidSource(app);
      app.app().database().withHandle(h -> h.createUpdate("UPDATE number_source SET signing_secret = :k WHERE name = 'pixel'")
          .bind("k", SIGNING_KEY).execute());
    }

    try (TestApp app = start(Map.of())) {
      assertThat(storedSecret(app, "pixel")).startsWith("v1:").doesNotContain(SIGNING_KEY);
      assertThat(signedSms(new SupplyNode(app), "pixel", SIGNING_KEY).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aNodeWhoseKeyFileIsGoneRefusesToStartAndSaysWhy() throws IOException {
    try (TestApp app = start(Map.of())) {
      androidSource(app);
    }
    Files.delete(dataDir.resolve("master.key"));

    assertThatThrownBy(() -> start(Map.of())).isInstanceOf(ConfigException.class)
        .hasMessageContaining("master.key is gone").hasMessageContaining("master-key");
  }

  /** A node on the H2 file in the test's data directory, as a node without db-url keeps it. */
  private TestApp start(Map<String, String> overrides) {
    Map<String, String> values = new HashMap<>(overrides);
    values.put("data-dir", dataDir.toString());
    values.put("db-url", "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("verigate"));
    return TestApp.start(values);
  }

  private static void androidSource(TestApp app) {
    new SupplyNode(app).admin("POST", "/admin/v1/sources", "{\"name\":\"pixel\",\"type\":\"android\",\"signingKey\":\""
        + SIGNING_KEY + "\",\"sims\":{\"1\":\"" + SIM + "\"}}");
  }

  private static String storedSecret(TestApp app, String source) {
    return app.app().database().withHandle(h -> h.createQuery("SELECT signing_secret FROM number_source WHERE name = :n")
        .bind("n", source).mapTo(String.class).one());
  }

  /** An SMS webhook of the Android gateway app, signed with the key. */
  private static HttpResponse<String> signedSms(SupplyNode node, String source, String key) {
    String body = "{\"deviceId\":\"ffffffffceb0b1db0000018e937c815b\",\"event\":\"sms:received\",\"id\":\""
        + UUID.randomUUID() + "\",\"payload\":{\"messageId\":\"m1\",\"message\":\"Your code is 404142\","
        + "\"phoneNumber\":\"WhatsApp\",\"simNumber\":1,\"receivedAt\":\"2026-11-27T15:46:11.000+07:00\"},"
        + "\"webhookId\":\"w1\"}";
    byte[] raw = body.getBytes(StandardCharsets.UTF_8);
    String timestamp = String.valueOf(Instant.now().getEpochSecond());
    return node.send("POST", "/api/v1/inbound/android/" + source, "application/json", raw, "X-Timestamp", timestamp,
        "X-Signature", AndroidGatewaySignature.sign(key, raw, timestamp));
  }

  /** Every byte the database keeps in the data directory, as text; the master key's own file left out. */
  private String databaseFiles() throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.list(dataDir)) {
      for (Path file : files.filter(f -> f.getFileName().toString().startsWith("verigate")).toList()) {
        all.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
      }
    }
    assertThat(all).as("the database file").isNotEmpty();
    return all.toString();
  }
}
