package io.verigate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.testing.TestApp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An open event stream holds no thread of the node: 200 of them, opened one after the other over plain sockets (so
 * the client side starts no thread either), leave the process's live threads where they were.
 */
class EventStreamThreadsTest {
  private static final int STREAMS = 200;
  private static final int CUSTOMERS = 4;

  @Test
  void twoHundredOpenStreamsAddNoThreads() throws Exception {
    try (TestApp app = TestApp.start(Map.of())) {
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < CUSTOMERS; i++) {
        keys.add(app.liveCustomer("0").key());
      }
      List<Socket> streams = new ArrayList<>();
      try {
        // Warm up: the first stream starts whatever the node starts once (its readers, a keep-alive timer).
        streams.add(open(app, keys.get(0)));
        int before = ManagementFactory.getThreadMXBean().getThreadCount();
        for (int i = 1; i < STREAMS; i++) {
          streams.add(open(app, keys.get(i % CUSTOMERS)));
        }
        int after = ManagementFactory.getThreadMXBean().getThreadCount();

        assertThat(after - before).as("threads added by %d more open streams", STREAMS - 1).isLessThan(10);
      } finally {
        for (Socket stream : streams) {
          stream.close();
        }
      }
    }
  }

  /** A stream opened and answered 200 with its event-stream head, left open. */
  private static Socket open(TestApp app, String key) throws IOException {
    Socket socket = new Socket("127.0.0.1", app.app().port());
    socket.setSoTimeout(10_000);
    OutputStream out = socket.getOutputStream();
    out.write(("GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: " + key + "\r\nAccept: text/event-stream"
        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    String status = in.readLine();
    assertThat(status).isEqualTo("HTTP/1.1 200 OK");
    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
      if (line.toLowerCase().startsWith("content-type:")) {
        assertThat(line).contains("text/event-stream");
      }
    }
    return socket;
  }
}
