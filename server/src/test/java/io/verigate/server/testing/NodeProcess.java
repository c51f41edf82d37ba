package io.verigate.server.testing;

import io.verigate.server.App;
import io.verigate.server.system.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node in a process of its own, on this test run's classpath, for tests that kill it with {@code kill -9} (which
 * no node in the test's own JVM can survive to report on). Its configuration is given as {@code key=value}
 * arguments; it prints the port it listens on and runs until killed.
 */
public final class NodeProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("node process listening on (\\d+)");

  private final Process process;
  private final int port;

  private NodeProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  public static void main(String[] args) {
    Map<String, String> values = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      values.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    App app = App.create(Config.defaults(values)).start();
    System.out.println("node process listening on " + app.port());
    System.out.flush();
  }

  /** Starts a node with this configuration and waits until it listens. */
  public static NodeProcess start(Map<String, String> config) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), NodeProcess.class.getName()));
    config.forEach((key, value) -> command.add(key + "=" + value));
    try {
      // Output to a file, not a pipe: nobody has to drain it, and it is there to read when a test fails.
      Path log = Files.createTempFile("verigate-node", ".log");
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      String started = Eventually.within(Duration.ofSeconds(60), "the node process listening (log " + log + ")",
          () -> read(log), text -> LISTENING.matcher(text).find() || !process.isAlive());
      Matcher listening = LISTENING.matcher(started);
      if (!listening.find()) {
        throw new AssertionError("the node process ended before it listened:\n" + started);
      }
      return new NodeProcess(process, Integer.parseInt(listening.group(1)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** {@code kill -9}: no shutdown hook, no graceful stop, nothing finished. */
  public void kill() {
    try {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    kill();
  }

  private static String read(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
