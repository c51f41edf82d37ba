package io.verigate.server.notify;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One webhook POST over HTTP/1.1, to the address {@link DeliveryAddresses} checked and to no other. The JDK's
 * {@code HttpClient} resolves the host again itself and cannot be told which address to use, so it would reopen the
 * very hole the check closes (DNS rebinding); this client connects to the checked address, speaks to the URL's host
 * (its {@code Host} header, and for https its SNI and a certificate verified against that name), follows no
 * redirect, gives up after {@link #TIMEOUT} in all, and reads no more of the answer than its first
 * {@link #EXCERPT_BYTES}.
 */
final class WebhookPost {
  static final Duration TIMEOUT = Duration.ofSeconds(15);
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final int EXCERPT_BYTES = 1024;
  private static final int MAX_HEAD_BYTES = 16 * 1024;
  /** A Retry-After beyond a day is read as a day: the schedule's longest step. */
  private static final Duration MAX_RETRY_AFTER = Duration.ofDays(1);

  /** What the receiver answered: its status, its Retry-After (null when absent or unreadable), its first bytes. */
  record Answer(int status, Duration retryAfter, String excerpt) {}

  private WebhookPost() {}

  static Answer send(URI url, InetAddress address, Map<String, String> headers, String body) throws IOException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    boolean https = url.getScheme().equalsIgnoreCase("https");
    int port = url.getPort() != -1 ? url.getPort() : https ? 443 : 80;
    try (Socket socket = connect(url, address, port, https)) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      StringBuilder head = new StringBuilder()
          .append("POST ").append(target(url)).append(" HTTP/1.1\r\n")
          .append("Host: ").append(url.getHost()).append(url.getPort() == -1 ? "" : ":" + url.getPort()).append("\r\n")
          .append("User-Agent: Verigate-Webhooks\r\n")
          .append("Content-Type: application/json\r\n")
          .append("Content-Length: ").append(bytes.length).append("\r\n")
          .append("Connection: close\r\n");
      headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
      head.append("\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.flush();
      return read(new Deadlined(socket, deadline));
    }
  }

  private static Socket connect(URI url, InetAddress address, int port, boolean https) throws IOException {
    Socket plain = new Socket();
    try {
      plain.connect(new InetSocketAddress(address, port), (int) CONNECT_TIMEOUT.toMillis());
      plain.setSoTimeout((int) TIMEOUT.toMillis());
      if (!https) {
        return plain;
      }
      String host = DeliveryAddresses.hostOf(url);
      SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
          .createSocket(plain, host, port, true);
      SSLParameters parameters = tls.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      boolean literal = host.contains(":") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
      if (!literal) {
        parameters.setServerNames(List.of(new SNIHostName(host)));
      }
      tls.setSSLParameters(parameters);
      tls.startHandshake();
      return tls;
    } catch (IOException | RuntimeException e) {
      plain.close();
      throw e;
    }
  }

  private static String target(URI url) {
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
  }

  private static Answer read(Deadlined in) throws IOException {
    String statusLine = in.line();
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("\\d{3}")) {
      throw new IOException("not an HTTP answer: " + abbreviate(statusLine));
    }
    int status = Integer.parseInt(parts[1]);
    Duration retryAfter = null;
    boolean chunked = false;
    long length = -1;
    for (String line = in.line(); !line.isEmpty(); line = in.line()) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      switch (name) {
        case "retry-after" -> retryAfter = retryAfter(value);
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        case "content-length" -> length = value.matches("\\d{1,18}") ? Long.parseLong(value) : -1;
        default -> { }
      }
    }
    return new Answer(status, retryAfter, excerpt(in, chunked, length));
  }

  /** The answer's first bytes, as far as they came before the deadline; an answer cut short is no failure. */
  private static String excerpt(Deadlined in, boolean chunked, long length) {
    ByteArrayOutputStream kept = new ByteArrayOutputStream();
    try {
      if (chunked) {
        for (long size = chunkSize(in.line()); size > 0 && kept.size() < EXCERPT_BYTES; size = chunkSize(in.line())) {
          in.copy(kept, (int) Math.min(size, EXCERPT_BYTES - kept.size()));
          if (kept.size() >= EXCERPT_BYTES) {
            break;
          }
          in.line();
        }
      } else {
        in.copy(kept, (int) Math.min(length < 0 ? EXCERPT_BYTES : length, EXCERPT_BYTES));
      }
    } catch (IOException cutShort) {
      // keep what came
    }
    return kept.toString(StandardCharsets.UTF_8);
  }

  private static long chunkSize(String line) {
    String hex = line.split(";", 2)[0].trim();
    return hex.matches("[0-9a-fA-F]{1,8}") ? Long.parseLong(hex, 16) : 0;
  }

  /** Seconds, or an HTTP date; capped at a day, and never negative. */
  static Duration retryAfter(String value) {
    try {
      Duration after = value.matches("\\d{1,9}") ? Duration.ofSeconds(Long.parseLong(value))
          : Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
      return after.isNegative() ? Duration.ZERO : after.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : after;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  static String abbreviate(String text) {
    return text.length() <= 100 ? text : text.substring(0, 100) + "…";
  }

  /** The socket's input, each read bounded by what is left of the attempt's time. */
  private static final class Deadlined {
    private final Socket socket;
    private final InputStream in;
    private final long deadline;

    Deadlined(Socket socket, long deadline) throws IOException {
      this.socket = socket;
      this.in = new BufferedInputStream(socket.getInputStream());
      this.deadline = deadline;
    }

    private int next() throws IOException {
      if (in.available() == 0) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          throw new SocketTimeoutException("no complete answer within " + TIMEOUT.toSeconds() + " s");
        }
        socket.setSoTimeout((int) left);
      }
      return in.read();
    }

    /** One line of the head, without its CRLF; the head as a whole is bounded. */
    String line() throws IOException {
      StringBuilder line = new StringBuilder();
      for (int c = next(); c != '\n'; c = next()) {
        if (c == -1) {
          throw new IOException("the answer ended early");
        }
        if (c != '\r') {
          line.append((char) c);
        }
        if (line.length() > MAX_HEAD_BYTES) {
          throw new IOException("the answer's head is too long");
        }
      }
      return line.toString();
    }

    void copy(ByteArrayOutputStream to, int count) throws IOException {
      for (int i = 0; i < count; i++) {
        int c = next();
        if (c == -1) {
          return;
        }
        to.write(c);
      }
    }
  }
}
