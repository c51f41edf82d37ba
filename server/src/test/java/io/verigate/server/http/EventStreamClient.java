package io.verigate.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.http.support.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Server-Sent Events client as a browser's EventSource reads a stream: a real HTTP connection whose lines are parsed
 * into messages ({@code id}, {@code event}, {@code data}) by a reader thread while the test goes on.
 */
final class EventStreamClient implements AutoCloseable {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  /** What the end of the stream looks like in the queue. */
  private static final Message END = new Message(-1, "", null);

  /** One message: the event's id, its type, and the data line as JSON. */
  record Message(long id, String event, JsonNode data) {
    String text(String field) {
      return data.at("/data/" + field).asText(null);
    }
  }

  private final HttpResponse<InputStream> response;
  private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
  private final List<String> comments = new ArrayList<>();

  private EventStreamClient(HttpResponse<InputStream> response) {
    this.response = response;
    Thread reader = new Thread(this::read, "sse-test-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Opens a stream; {@code headers} are name, value pairs. Returns once the status and headers arrived. */
  static EventStreamClient open(String url, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      return new EventStreamClient(CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  int status() {
    return response.statusCode();
  }

  String header(String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  /** The next message, which must arrive within {@code patience}. */
  Message next(Duration patience) {
    Message message = poll(patience);
    if (message == null) {
      return fail("no event within %s", patience);
    }
    if (message == END) {
      return fail("the stream ended");
    }
    return message;
  }

  /** Messages until one passes {@code last}, which must arrive within {@code patience}; that one included. */
  List<Message> until(Duration patience, Predicate<Message> last) {
    List<Message> seen = new ArrayList<>();
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      Message message = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      seen.add(message);
      if (last.test(message)) {
        return seen;
      }
    }
  }

  /** Asserts that no message arrives within {@code quiet}. */
  void expectNothing(Duration quiet) {
    Message message = poll(quiet);
    assertThat(message == null || message == END).as("no event, got %s", message).isTrue();
  }

  /** Whether the server ended the stream within {@code patience}, sending no further message. */
  boolean endsWithin(Duration patience) {
    Message message = poll(patience);
    assertThat(message).as("the end of the stream, not another message").isIn(END, null);
    if (message == END) {
      messages.add(END); // the end stays visible to later calls
    }
    return message == END;
  }

  synchronized List<String> comments() {
    return List.copyOf(comments);
  }

  @Override
  public void close() {
    try {
      response.body().close();
    } catch (IOException e) {
      // already gone
    }
  }

  private Message poll(Duration patience) {
    try {
      return messages.poll(patience.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void read() {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String id = null;
      String event = null;
      String data = null;
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.isEmpty()) {
          if (data != null) {
            messages.add(new Message(id == null ? -1 : Long.parseLong(id), event, json(data)));
          }
          id = null;
          event = null;
          data = null;
        } else if (line.startsWith(":")) {
          synchronized (this) {
            comments.add(line);
          }
        } else if (line.startsWith("id: ")) {
          id = line.substring(4);
        } else if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("data: ")) {
          assertThat(data).as("one data line per message").isNull();
          data = line.substring(6);
        }
      }
    } catch (IOException closed) {
      // the test closed the stream
    } finally {
      messages.add(END);
    }
  }

  private static JsonNode json(String data) {
    try {
      return Json.MAPPER.readTree(data);
    } catch (JsonProcessingException e) {
      throw new AssertionError("data is not JSON: " + data, e);
    }
  }
}
