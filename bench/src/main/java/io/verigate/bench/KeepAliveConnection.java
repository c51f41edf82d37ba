package io.verigate.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 keep-alive connection to the node on loopback, used by one thread: it sends a request and reads the
 * whole response, and does nothing more (no pooling, no redirects, no HTTP/2). The load generators run in the node's
 * JVM and share its cores, so their own cost counts against the node. The JDK HttpClient costs several times what the
 * node spends on a light request: on the 2-core machine these figures were first taken on, wrk reached about eight
 * times the JDK client's rate on {@code GET /health}, and this connection about the same rate as wrk.
 */
final class KeepAliveConnection implements AutoCloseable {
  private final int port;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  /** What the node answered. */
  record Response(int status, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  KeepAliveConnection(int port) {
    this.port = port;
  }

  /** A GET with the key as Bearer, in bytes ready to send. */
  static byte[] get(String pathAndQuery, String bearer) {
    return head("GET", pathAndQuery, bearer).append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A POST of a JSON body with the token as Bearer, in bytes ready to send. */
  static byte[] post(String path, String bearer, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    byte[] head = head("POST", path, bearer).append("Content-Type: application/json\r\nContent-Length: ")
        .append(body.length).append("\r\n\r\n").toString().getBytes(StandardCharsets.UTF_8);
    byte[] request = new byte[head.length + body.length];
    System.arraycopy(head, 0, request, 0, head.length);
    System.arraycopy(body, 0, request, head.length, body.length);
    return request;
  }

  private static StringBuilder head(String method, String target, String bearer) {
    return new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .append("Authorization: Bearer ").append(bearer).append("\r\n");
  }

  /** Sends the request, connecting first if need be, and reads its response to the end. */
  Response exchange(byte[] request) throws IOException {
    if (socket == null) {
      socket = new Socket(InetAddress.getLoopbackAddress(), port);
      socket.setTcpNoDelay(true);
      in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
      out = socket.getOutputStream();
    }
    try {
      out.write(request);
      out.flush();
      return readResponse();
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private Response readResponse() throws IOException {
    int status = Integer.parseInt(line().substring(9, 12));
    long length = -1;
    boolean chunked = false;
    boolean closing = false;
    for (String header = line(); !header.isEmpty(); header = line()) {
      String lower = header.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(lower.substring(15).trim());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      } else if (lower.startsWith("connection:") && lower.contains("close")) {
        closing = true;
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (chunked) {
      for (int size = chunkSize(); size > 0; size = chunkSize()) {
        body.write(in.readNBytes(size));
        line();
      }
      while (!line().isEmpty()) {
        // trailer fields, if any
      }
    } else if (length >= 0) {
      body.write(in.readNBytes((int) length));
    } else {
      throw new IOException("a response with neither Content-Length nor a chunked body cannot be kept alive");
    }
    if (closing) {
      close();
    }
    return new Response(status, body.toByteArray());
  }

  private int chunkSize() throws IOException {
    return Integer.parseInt(line().split(";")[0].trim(), 16);
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("the node closed the connection");
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // a connection that fails to close is gone all the same
      }
      socket = null;
    }
  }
}
