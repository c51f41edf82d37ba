package io.verigate.server.http;

import static io.verigate.server.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.http.support.Json;
import io.verigate.server.testing.LogCapture;
import io.verigate.server.testing.TestApp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Stopping a node (what SIGTERM does, through {@code App.close}): it takes no new connection, a request in flight
 * still gets its normal answer, a parked long poll answers at once, and {@code shutdown-grace} bounds the wait.
 */
class GracefulShutdownTest {
  private static final String PURCHASE = "{\"serviceCode\":\"wa\",\"countryIso\":\"US\"}";

  /** A client that sends a purchase's headers and half its body, and the rest only when told: a slow request. */
  private static final class SlowPurchase implements AutoCloseable {
    private final Socket socket = new Socket();
    private final OutputStream out;

    SlowPurchase(TestApp app) throws IOException {
      socket.connect(new InetSocketAddress("127.0.0.1", app.app().port()), 5_000);
      socket.setSoTimeout(20_000);
      out = socket.getOutputStream();
      byte[] body = PURCHASE.getBytes(StandardCharsets.UTF_8);
      out.write(("POST /api/v1/activations HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: " + app.sandboxKey()
          + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n"
          + PURCHASE.substring(0, 10)).getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    private int sent = 10;

    /**
     * One more byte of the body, a tenth of a second later, keeping the last one back: a stopping node cuts a
     * connection that sends nothing for a second, but lets a slow one finish.
     */
    void dribble() throws IOException, InterruptedException {
      Thread.sleep(100);
      if (sent < PURCHASE.length() - 1) {
        out.write(PURCHASE.charAt(sent++));
        out.flush();
      }
    }

    /** Sends the rest of the body and reads the whole answer. */
    String finish() throws IOException {
      out.write(PURCHASE.substring(sent).getBytes(StandardCharsets.UTF_8));
      out.flush();
      try (InputStream in = socket.getInputStream()) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static boolean refusesConnections(int port) {
    try (Socket probe = new Socket()) {
      probe.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
      return false;
    } catch (ConnectException refused) {
      return true;
    } catch (IOException other) {
      return false;
    }
  }

  private static CompletableFuture<Void> closeInBackground(TestApp app) {
    return CompletableFuture.runAsync(app::close);
  }

  @Test
  void aRequestInFlightWhenTheNodeStopsGetsItsNormalAnswer() throws Exception {
    TestApp app = TestApp.start();
    try (LogCapture logs = new LogCapture(); SlowPurchase slow = new SlowPurchase(app)) {
      eventually("the purchase is being handled", () -> app.app().requestsInFlight() == 1);

      int port = app.app().port();
      CompletableFuture<Void> stopping = closeInBackground(app);
      while (!refusesConnections(port)) {
        slow.dribble();
      }
      assertThat(stopping).isNotDone();
      String answer = slow.finish();

      assertThat(answer).startsWith("HTTP/1.1 201");
      JsonNode activation = Json.MAPPER.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
      assertThat(activation.get("status").asText()).isEqualTo("WAITING");
      stopping.get(20, TimeUnit.SECONDS);
      assertThat(logs.events()).map(ILoggingEvent::getFormattedMessage)
          .anySatisfy(line -> assertThat(line).startsWith("HTTP stopped in ").endsWith(": 1 requests were in flight (0 long polls answered early, 0 event streams closed), all answered"))
          .anySatisfy(line -> assertThat(line).isEqualTo("SMPP: 0 binds closed"))
          .anySatisfy(line -> assertThat(line).startsWith("Verigate stopped in "));
    }
  }

  @Test
  void aParkedLongPollAnswersAtOnceWithTheActivationAsItIs() throws Exception {
    TestApp app = TestApp.start(Map.of("sandbox-delivery-delay", "1h"));
    RawHttp http = new RawHttp(app.baseUrl());
    String id = http.post("/api/v1/activations", PURCHASE, "x-api-key", app.sandboxKey()).text("id");
    HttpRequest poll = HttpRequest.newBuilder(URI.create(app.baseUrl() + "/api/v1/activations/" + id + "?wait=25"))
        .header("x-api-key", app.sandboxKey()).build();
    CompletableFuture<HttpResponse<String>> answer = HttpClient.newHttpClient()
        .sendAsync(poll, HttpResponse.BodyHandlers.ofString());
    eventually("the poll is parked", () -> app.app().activations().waiting() == 1);

    long started = System.nanoTime();
    closeInBackground(app).get(20, TimeUnit.SECONDS);
    HttpResponse<String> polled = answer.get(5, TimeUnit.SECONDS);

    assertThat(polled.statusCode()).isEqualTo(200);
    assertThat(Json.MAPPER.readTree(polled.body()).get("status").asText()).isEqualTo("WAITING");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
  }

  @Test
  void shutdownGraceBoundsTheWaitForARequestThatDoesNotFinish() throws Exception {
    TestApp app = TestApp.start(Map.of("shutdown-grace", "1s"));
    try (LogCapture logs = new LogCapture(); SlowPurchase stuck = new SlowPurchase(app)) {
      eventually("the purchase is being handled", () -> app.app().requestsInFlight() == 1);

      long started = System.nanoTime();
      closeInBackground(app).get(20, TimeUnit.SECONDS);

      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
      assertThat(logs.events()).map(ILoggingEvent::getFormattedMessage)
          .anySatisfy(line -> assertThat(line).startsWith("HTTP stopped in ")
              .contains(": 1 requests were in flight"));
      // Jetty answers 408 to a request idle for shutdown-grace, or closes its connection when the grace is over
      assertThat(stuck.finish()).as("the cut request bought nothing").doesNotStartWith("HTTP/1.1 201");
    }
  }
}
