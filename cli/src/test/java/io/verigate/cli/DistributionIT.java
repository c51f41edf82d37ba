package io.verigate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive {@code mvn package} builds, used as an operator would: unpacked, a node started through
 * {@code bin/verigate} with the example config, asked for {@code /health}, and stopped with SIGTERM.
 */
class DistributionIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String VERSION = System.getProperty("verigate.project.version");

  @TempDir
  Path dir;

  private Path unpacked() throws IOException, InterruptedException {
    Path archive = Path.of(System.getProperty("verigate.dist.archive"));
    assertThat(archive).as("the archive named after the project version").exists()
        .hasFileName("verigate-" + VERSION + ".tar.gz");
    Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", dir.toString())
        .redirectErrorStream(true).start();
    String said = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(tar.exitValue()).as(said).isZero();
    return dir.resolve("verigate-" + VERSION);
  }

  private static ProcessBuilder launcher(Path home, String... args) {
    List<String> command = new java.util.ArrayList<>(List.of(home.resolve("bin/verigate").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().keySet().removeIf(name -> name.startsWith("VERIGATE_"));
    return builder;
  }

  @Test
  void holdsTheLauncherTheJarTheExampleConfigAndAHardenedSystemdUnit() throws Exception {
    Path home = unpacked();

    assertThat(home.resolve("lib/verigate.jar")).isRegularFile();
    assertThat(Files.isExecutable(home.resolve("bin/verigate"))).isTrue();
    assertThat(Files.readString(home.resolve("bin/verigate"))).startsWith("#!/bin/sh\n").contains("JAVA_OPTS");
    assertThat(home.resolve("conf/verigate.conf")).isRegularFile();
    assertThat(home.resolve("LICENSE")).isRegularFile();
    String unit = Files.readString(home.resolve("systemd/verigate.service"));
    assertThat(unit.lines()).contains("User=verigate", "ExecStart=/opt/verigate/bin/verigate serve",
        "Environment=VERIGATE_CONFIG=/etc/verigate/verigate.conf", "KillSignal=SIGTERM", "SuccessExitStatus=143",
        "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "CapabilityBoundingSet=",
        "StateDirectory=verigate");

    Process version = launcher(home, "--version").redirectErrorStream(true).start();
    String printed = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(version.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(printed).isEqualTo("verigate " + VERSION);
  }

  @Test
  void startsANodeThroughBinVerigateWithTheExampleConfigAndStopsItWithSigterm() throws Exception {
    Path home = unpacked();
    ProcessBuilder serve = launcher(home, "serve", "--port", "0", "--host", "127.0.0.1",
        "--data-dir", dir.resolve("data").toString(), "--log-format", "json");
    serve.environment().put("VERIGATE_CONFIG", home.resolve("conf/verigate.conf").toString());
    serve.environment().put("JAVA_OPTS", "-Xmx256m -Dverigate.launched.by=dist-test");

    try (NodeProcess node = NodeProcess.start(serve, Duration.ofSeconds(90))) {
      HttpResponse<String> health = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(node.baseUrl() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(health.body()).get("version").asText()).isEqualTo(VERSION);
      // exec: the launcher's process is the JVM itself, started with JAVA_OPTS, so SIGTERM reaches it
      String commandLine = Files.readString(Path.of("/proc/" + node.pid() + "/cmdline")).replace('\0', ' ');
      assertThat(commandLine).contains("-Dverigate.launched.by=dist-test").contains("-Xmx256m")
          .contains(home.resolve("lib/verigate.jar").toString());

      int exit = node.terminate(Duration.ofSeconds(60));

      assertThat(exit).as("128 + SIGTERM").isEqualTo(143);
      List<String> log = node.err();
      assertThat(log).as("log-format=json: one JSON object per line").isNotEmpty()
          .allSatisfy(line -> assertThat(JSON.readTree(line).isObject()).as(line).isTrue());
      assertThat(log.stream().map(DistributionIT::message)).as("stdout %s", node.out())
          .anySatisfy(message -> assertThat(message).startsWith("Verigate listening on port " + node.port()))
          .anySatisfy(message -> assertThat(message).startsWith("Verigate stopping: no new requests"))
          .anySatisfy(message -> assertThat(message).startsWith("HTTP stopped in "))
          .anySatisfy(message -> assertThat(message).startsWith("Verigate stopped in "));
    }
  }

  private static String message(String jsonLine) {
    try {
      JsonNode line = JSON.readTree(jsonLine);
      return line.path("formattedMessage").asText();
    } catch (IOException e) {
      throw new IllegalStateException(jsonLine, e);
    }
  }
}
