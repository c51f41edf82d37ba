package io.verigate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.system.Version;
import io.verigate.server.testing.TestApp;
import org.junit.jupiter.api.Test;

/** One version string: the Maven project's, in {@code /health} and in the served API document. */
class VersionApiTest {
  @Test
  void healthAndTheApiDocumentSayTheBuildsProjectVersion() {
    String projectVersion = System.getProperty("verigate.project.version");
    assertThat(projectVersion).as("the build passes the project version to tests").isNotBlank();
    assertThat(Version.current()).isEqualTo(projectVersion);

    try (TestApp app = TestApp.start()) {
      RawHttp http = new RawHttp(app.baseUrl());
      RawHttp.Reply health = http.get("/health");
      assertThat(health.text("status")).isEqualTo("UP");
      assertThat(health.text("version")).isEqualTo(projectVersion);

      RawHttp.Reply document = http.get("/api/docs");
      assertThat(document.json().get("info").get("version").asText()).isEqualTo(projectVersion);
    }
  }
}
