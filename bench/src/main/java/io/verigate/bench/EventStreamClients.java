package io.verigate.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Event streams opened over plain sockets, as a customer's client would open them. The idle ones of the events run
 * are held by a process of their own ({@link Holder}, this class's {@code main}): a process may open at most
 * {@code ulimit -n} files, and a stream whose both ends sat in the node's process took two of them, so 10,000 streams
 * did not fit under a limit of 20,000 that an unprivileged user cannot raise. It also keeps the node's RSS its own.
 */
final class EventStreamClients {
  private EventStreamClients() {}

  /** A stream opened and answered 200, its head read; its messages are left to the caller. */
  static Socket open(int port, String key, String query) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    try {
      OutputStream out = socket.getOutputStream();
      out.write(("GET /api/v1/events" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: " + key
          + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String status = line(in);
      if (!status.startsWith("HTTP/1.1 200")) {
        throw new IOException("the stream was answered " + status);
      }
      while (!line(in).isEmpty()) {
        // the rest of the head
      }
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /** One line of the head, read a byte at a time so that nothing of the stream after it is consumed. */
  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c == -1) {
        throw new IOException("the stream ended");
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  /**
   * Opens {@code count} idle streams in a child JVM, up to {@code perKey} for each key in turn, and returns once all
   * are open; closing the holder ends the child, which closes them.
   */
  static Holder holdIdle(int port, List<String> keys, int perKey, int count) throws IOException {
    Path keyFile = Files.createTempFile("verigate-bench-keys", ".txt");
    Files.write(keyFile, keys);
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        EventStreamClients.class.getName(), Integer.toString(port), keyFile.toString(), Integer.toString(perKey),
        Integer.toString(count))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    Holder holder = new Holder(child, keyFile);
    BufferedReader answer = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line = answer.readLine();
    if (line == null || !line.equals("opened " + count)) {
      holder.close();
      throw new IOException("the stream holder opened not all " + count + " streams: " + line);
    }
    return holder;
  }

  /** The child process holding idle streams. */
  static final class Holder implements AutoCloseable {
    private final Process child;
    private final Path keyFile;

    private Holder(Process child, Path keyFile) {
      this.child = child;
      this.keyFile = keyFile;
    }

    @Override
    public void close() throws IOException {
      child.getOutputStream().close();
      try {
        if (!child.waitFor(10, TimeUnit.SECONDS)) {
          child.destroyForcibly();
        }
      } catch (InterruptedException e) {
        child.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      Files.deleteIfExists(keyFile);
    }
  }

  /**
   * The child's side: {@code port keyFile perKey count}. Prints {@code opened <count>} once every stream is open, or
   * why not, then holds them until its standard input closes (its parent ended or closed the holder).
   */
  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    List<String> keys = Files.readAllLines(Path.of(args[1]));
    int perKey = Integer.parseInt(args[2]);
    int count = Integer.parseInt(args[3]);
    List<Socket> open = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        open.add(open(port, keys.get(i / perKey), ""));
      }
      System.out.println("opened " + count);
    } catch (IOException | IndexOutOfBoundsException e) {
      System.out.println("failed after " + open.size() + ": " + e.getMessage());
    }
    System.out.flush();
    while (System.in.read() != -1) {
      // hold the streams until the parent lets go
    }
    for (Socket socket : open) {
      socket.close();
    }
  }
}
