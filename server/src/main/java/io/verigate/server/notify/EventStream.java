package io.verigate.server.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.verigate.server.system.EventLog;
import io.verigate.server.system.Timestamps;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open stream: a cursor in the durable log and the sink it writes to. The log is the only source of what is
 * sent; a wake-up (an event committed on some node, a keep-alive tick, a drained sink) only makes the stream read
 * the log after its cursor again. Reads of one stream never overlap, so events leave in id order, each once.
 */
public final class EventStream {
  private static final Logger log = LoggerFactory.getLogger(EventStream.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Events read from the log at a time. */
  static final int BATCH = 100;
  /** After one of these an activation's log does not grow: its stream has said everything. */
  static final Set<String> FINAL_TYPES =
      Set.of("activation.finished", "activation.canceled", "activation.expired", "activation.banned");

  private final StreamRequest request;
  private final EventFeed feed;
  private final Executor readers;
  private final EventStreams registry;
  private final Instant openedAt;
  private final StreamSink sink;
  private final AtomicInteger wakeUps = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  /** The last event id read from the log; touched only by the one read in progress. */
  private long cursor;

  EventStream(StreamRequest request, EventFeed feed, Executor readers, EventStreams registry, Instant openedAt,
      Function<EventStream, StreamSink> connect) {
    this.request = request;
    this.feed = feed;
    this.readers = readers;
    this.registry = registry;
    this.openedAt = openedAt;
    this.cursor = request.resumeAfter() != null ? request.resumeAfter() : head();
    this.sink = connect.apply(this);
  }

  public StreamRequest request() {
    return request;
  }

  Instant openedAt() {
    return openedAt;
  }

  /** Reads the log after the cursor soon, on a reader thread; wake-ups while a read runs fold into one more read. */
  public void resume() {
    if (closed.get() || wakeUps.getAndIncrement() != 0) {
      return;
    }
    try {
      readers.execute(this::readUntilQuiet);
    } catch (RejectedExecutionException shuttingDown) {
      close();
    }
  }

  /** Ends the stream: it leaves the registry and its response ends after what was already queued. */
  public void close() {
    if (closed.compareAndSet(false, true)) {
      registry.forget(this);
      sink.close();
    }
  }

  boolean isClosed() {
    return closed.get();
  }

  /** Writes a comment line, which clients ignore, so that proxies and the client see the connection is alive. */
  void keepAlive() {
    if (!closed.get() && !sink.write(": keep-alive\n\n")) {
      close();
    }
  }

  private void readUntilQuiet() {
    int seen;
    do {
      seen = wakeUps.get();
      try {
        readAndSend();
      } catch (RuntimeException e) {
        // The log could not be read (the database is away): the next wake-up or keep-alive tries again.
        log.warn("event stream of customer {} could not read the event log: {}", request.customerId(), e.toString());
      }
    } while (wakeUps.addAndGet(-seen) != 0);
  }

  private void readAndSend() {
    while (!closed.get() && !sink.congested()) {
      List<EventLog.Event> batch = feed.after(request.customerId(), request.test(), cursor, readTypes(),
          request.activationId(), BATCH);
      for (EventLog.Event event : batch) {
        cursor = event.id();
        if (wanted(event) && !sink.write(frame(event))) {
          close();
          return;
        }
        if (request.activationId() != null && FINAL_TYPES.contains(event.type())) {
          close();
          return;
        }
      }
      if (batch.size() < BATCH) {
        if (request.untilCaughtUp()) {
          close();
        }
        return;
      }
    }
  }

  /**
   * The last id in the log now, for a stream that starts with new events only. Any event committing later has a
   * larger id than the log returned, since the log stops before ids that may still be committing.
   */
  private long head() {
    long last = 0;
    List<EventLog.Event> page;
    do {
      page = feed.after(request.customerId(), request.test(), last, readTypes(), request.activationId(), BATCH * 10);
      if (!page.isEmpty()) {
        last = page.get(page.size() - 1).id();
      }
    } while (page.size() == BATCH * 10);
    return last;
  }

  /**
   * One activation's stream reads all its events (a handful) and filters them here, so that it sees its final event
   * and ends even when the client did not ask for that type; a customer's stream lets the log filter.
   */
  private Set<String> readTypes() {
    return request.activationId() != null ? Set.of() : request.types();
  }

  private boolean wanted(EventLog.Event event) {
    return request.types().isEmpty() || request.types().contains(event.type());
  }

  /** An event as a Server-Sent Events message: its id for resuming, its type, and the JSON on one data line. */
  static String frame(EventLog.Event event) {
    ObjectNode message = JSON.createObjectNode();
    message.put("type", event.type());
    message.put("timestamp", Timestamps.format(event.occurredAt()));
    try {
      message.set("data", JSON.readTree(event.data()));
      // Jackson writes JSON without line breaks, as a data line must be.
      return "id: " + event.id() + "\nevent: " + event.type() + "\ndata: " + JSON.writeValueAsString(message) + "\n\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("event " + event.id() + " holds data that is not JSON", e);
    }
  }
}
