package io.verigate.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 keep-alive connection to the node that sends a GET and reads the whole response, and nothing more: the
 * status line, the headers it needs to find the end of the body, the body skipped. The poll figures use it instead of
 * the JDK client because on a small machine the load generator shares the cores with the node, and the JDK client
 * spends several times the CPU of the endpoint it calls (wrk, checked alongside, got about eight times the JDK
 * client's rate on {@code /health}).
 */
final class KeepAliveConnection implements AutoCloseable {
  private final int port;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  KeepAliveConnection(int port) {
    this.port = port;
  }

  /** A GET of {@code pathAndQuery} with the key as Bearer, in bytes ready to send. */
  static byte[] request(String pathAndQuery, String bearer) {
    return ("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + bearer + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** Sends the request and reads its response to the end; returns the status code. */
  int get(byte[] request) throws IOException {
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
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  private int readResponse() throws IOException {
    String statusLine = line();
    int status = Integer.parseInt(statusLine.substring(9, 12));
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
    if (chunked) {
      for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0;
          size = Long.parseLong(line().split(";")[0].trim(), 16)) {
        skip(size);
        line();
      }
      while (!line().isEmpty()) {
        // trailer fields, if any
      }
    } else if (length >= 0) {
      skip(length);
    } else {
      throw new IOException("a response without Content-Length or chunked body cannot be kept alive");
    }
    if (closing) {
      close();
    }
    return status;
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

  private void skip(long bytes) throws IOException {
    for (long left = bytes; left > 0; ) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        if (in.read() < 0) {
          throw new IOException("the node closed the connection mid-body");
        }
        skipped = 1;
      }
      left -= skipped;
    }
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
