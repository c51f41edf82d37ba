package io.verigate.server.http.legacy;

import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.verigate.server.testing.TestApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The npm client {@code hero-sms}, unchanged and installed from the npm registry as {@code package-lock.json}
 * pins it, drives two real nodes through {@code src/test/js/hero-sms/hero-sms-flow.test.cjs}: the full sandbox
 * flow and the error paths. Without node or npm, or when the install fails, this fails: it never skips.
 */
class HeroSmsClientTest {
  private static final Path SOURCES = Path.of("src/test/js/hero-sms");
  private static final Path WORK = Path.of("target/hero-sms");
  private static final String SCRIPT = "hero-sms-flow.test.cjs";
  private static final Pattern TESTS = Pattern.compile("^# tests (\\d+)$", Pattern.MULTILINE);
  private static final Pattern PASSED = Pattern.compile("^# pass (\\d+)$", Pattern.MULTILINE);

  @Test
  void theHeroSmsClientCompletesTheSandboxFlowsAndRecognisesEveryRefusal() throws Exception {
    installClient();
    try (TestApp instantCancel = TestApp.start(Map.of("early-cancel-guard", "0s"));
        TestApp guarded = TestApp.start()) {
      // TAP whatever the Node.js version's default reporter: its summary lines are what this test reads.
      Run run = run(Duration.ofMinutes(3), "node", "--test-reporter=tap", SCRIPT, instantCancel.baseUrl(),
          instantCancel.sandboxKey(), guarded.baseUrl(), guarded.sandboxKey());

      assertThat(run.exitCode()).as(run.output()).isZero();
      assertThat(count(TESTS, run.output())).as(run.output()).isPositive();
      assertThat(count(PASSED, run.output())).as(run.output()).isEqualTo(count(TESTS, run.output()));
    }
  }

  /** Copies the client project to target/ and runs {@code npm ci} there, unless the same lock file is installed. */
  private static void installClient() throws IOException, InterruptedException {
    Files.createDirectories(WORK);
    Path installedLock = WORK.resolve("package-lock.json");
    boolean installed = Files.isDirectory(WORK.resolve("node_modules/hero-sms")) && Files.exists(installedLock)
        && Arrays.equals(Files.readAllBytes(installedLock), Files.readAllBytes(SOURCES.resolve("package-lock.json")));
    for (String file : List.of("package.json", "package-lock.json", SCRIPT)) {
      Files.copy(SOURCES.resolve(file), WORK.resolve(file), REPLACE_EXISTING);
    }
    if (!installed) {
      Run install = run(Duration.ofMinutes(5), "npm", "ci", "--no-audit", "--no-fund");
      assertThat(install.exitCode()).as("npm ci failed:%n%s", install.output()).isZero();
    }
  }

  private record Run(int exitCode, String output) {}

  /** Runs a command in the client's directory; its output goes to a log beside it, read once it exits. */
  private static Run run(Duration limit, String... command) throws IOException, InterruptedException {
    Path log = WORK.resolve(command[0] + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    // The client's HTTP library honours proxy variables; the node under test is on loopback, never behind one.
    builder.environment().merge("NO_PROXY", "127.0.0.1,localhost", (set, loopback) -> set + "," + loopback);
    builder.environment().merge("no_proxy", "127.0.0.1,localhost", (set, loopback) -> set + "," + loopback);
    Process process = builder.start();
    if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("%s did not finish within %s:%n%s", String.join(" ", command), limit, Files.readString(log));
    }
    return new Run(process.exitValue(), Files.readString(log));
  }

  private static int count(Pattern line, String output) {
    Matcher matcher = line.matcher(output);
    return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
  }
}
