package io.verigate.server.http.fivesim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A node script of a small npm project under {@code src/test/js}, run as a real third-party client would be.
 * The project is copied to {@code target/js} and installed there with {@code npm ci} from its lock file, once
 * per lock file. Missing node or npm, a failed install or a hung script fail the test: a client that cannot run
 * proves nothing, so it must never be skipped.
 */
final class NodeScript {
  private static final long INSTALL_TIMEOUT_MINUTES = 5;
  private static final long RUN_TIMEOUT_MINUTES = 2;

  private final Path directory;
  private final String script;

  private NodeScript(Path directory, String script) {
    this.directory = directory;
    this.script = script;
  }

  /** What a run printed (stdout and stderr together) and how it exited. */
  record Run(int exitCode, String output) {}

  /** The project {@code src/test/js/<project>}, installed under {@code target/js/<project>}. */
  static NodeScript installed(String project, String script) {
    Path source = Path.of("src/test/js", project);
    Path work = Path.of("target/js", project);
    try {
      Files.createDirectories(work);
      boolean current = Files.isDirectory(work.resolve("node_modules"))
          && Files.exists(work.resolve("package-lock.json"))
          && Files.mismatch(source.resolve("package-lock.json"), work.resolve("package-lock.json")) == -1;
      if (!current) {
        copy(source, work, "package.json");
        copy(source, work, "package-lock.json");
        Run install = run(work, INSTALL_TIMEOUT_MINUTES, "npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts");
        assertThat(install.exitCode()).as("npm ci in %s failed:%n%s", work, install.output()).isZero();
      }
      copy(source, work, script);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new NodeScript(work, script);
  }

  Run run(String... args) {
    List<String> command = new ArrayList<>(List.of("node", script));
    command.addAll(List.of(args));
    return run(directory, RUN_TIMEOUT_MINUTES, command.toArray(String[]::new));
  }

  private static Run run(Path directory, long timeoutMinutes, String... command) {
    Process process;
    Path log;
    try {
      // Output goes to a file, not a pipe, so a hung process cannot block the read past the timeout.
      log = Files.createTempFile(directory, "run-", ".log");
      process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      return fail("cannot start %s (node and npm must be installed): %s", String.join(" ", command), e.getMessage());
    }
    try {
      process.getOutputStream().close();
      boolean finished = process.waitFor(timeoutMinutes, TimeUnit.MINUTES);
      if (!finished) {
        process.destroyForcibly().waitFor();
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      Files.delete(log);
      if (!finished) {
        return fail("%s did not finish within %d minutes:%n%s", String.join(" ", command), timeoutMinutes, output);
      }
      return new Run(process.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void copy(Path from, Path to, String file) throws IOException {
    Files.copy(from.resolve(file), to.resolve(file), StandardCopyOption.REPLACE_EXISTING);
  }
}
