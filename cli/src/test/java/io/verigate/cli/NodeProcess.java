package io.verigate.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A node running as a process of its own, as an operator starts it: its port, and every line it printed. */
final class NodeProcess implements AutoCloseable {
  private static final Pattern RUNNING = Pattern.compile("Verigate is running on http://localhost:(\\d+)");

  private final Process process;
  private final List<String> out = new ArrayList<>();
  private final List<String> err = new ArrayList<>();
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private final List<Thread> readers = new ArrayList<>();

  private NodeProcess(Process process) {
    this.process = process;
    drain(process.getInputStream(), line -> {
      synchronized (out) {
        out.add(line);
      }
      Matcher running = RUNNING.matcher(line);
      if (running.find()) {
        port.complete(Integer.parseInt(running.group(1)));
      }
    }, "stdout");
    drain(process.getErrorStream(), line -> {
      synchronized (err) {
        err.add(line);
      }
    }, "stderr");
    process.onExit().thenRun(() -> port.completeExceptionally(new IllegalStateException(
        "the node exited with " + process.exitValue() + " before it ran; stderr: " + err())));
  }

  /** Starts {@code command} and waits until the node says it is running. */
  static NodeProcess start(ProcessBuilder command, Duration patience) {
    try {
      NodeProcess node = new NodeProcess(command.start());
      node.port.get(patience.toMillis(), TimeUnit.MILLISECONDS);
      return node;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("the node did not start: " + e.getMessage(), e);
    }
  }

  private void drain(InputStream stream, Consumer<String> each, String name) {
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          each.accept(line);
        }
      } catch (IOException gone) {
        // the process ended
      }
    }, "node-" + name);
    reader.setDaemon(true);
    reader.start();
    readers.add(reader);
  }

  int port() {
    return port.join();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  long pid() {
    return process.pid();
  }

  List<String> out() {
    synchronized (out) {
      return List.copyOf(out);
    }
  }

  List<String> err() {
    synchronized (err) {
      return List.copyOf(err);
    }
  }

  /** SIGTERM, as systemd and {@code kill} send it: the exit code once the node stopped. */
  int terminate(Duration patience) throws InterruptedException {
    // through the handle: Process.destroy() would also close the pipes, and the node's last lines with them
    process.toHandle().destroy();
    if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("the node did not stop within " + patience + " of SIGTERM");
    }
    for (Thread reader : readers) {
      reader.join(10_000); // its last lines
    }
    return process.exitValue();
  }

  /** SIGKILL: the node gets no chance to do anything. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
