package io.verigate.server.notify;

import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Every stream open on this node, by customer. An event committed on any node wakes the streams of its customer
 * here; each then reads the durable log from its own cursor, so a stream on this node sees events written on every
 * node, and one that resumes with {@code Last-Event-ID} gets exactly the events it missed.
 *
 * <p>A stream holds no thread while it waits: it is a cursor and a sink, and reads run on the {@code readers}
 * executor only when something woke it. Open streams are bounded per customer and per node, since each holds a
 * connection and a little memory.
 */
public final class EventStreams implements AutoCloseable {
  /** Open streams one customer may hold on one node: enough for every tab of a dashboard and a few services. */
  public static final int MAX_PER_CUSTOMER = 100;
  /** How often streams send a keep-alive comment (and read the log, in case a wake-up was lost). */
  public static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
  /**
   * A stream ends after this long and the client reconnects (EventSource does so by itself, with
   * {@code Last-Event-ID}), which passes the access gate again: a revoked key stops streaming within this time.
   */
  public static final Duration LIFETIME = Duration.ofMinutes(30);

  private final EventFeed feed;
  private final Executor readers;
  private final Clock clock;
  private final int maxStreams;
  private final Map<Long, Set<EventStream>> byCustomer = new ConcurrentHashMap<>();
  /** Streams counted against the limits, from before they open until they leave; guarded by {@code this}. */
  private final Map<Long, Integer> reserved = new HashMap<>();
  private int open;

  public EventStreams(EventFeed feed, Executor readers, Clock clock, int maxStreams) {
    this.feed = feed;
    this.readers = readers;
    this.clock = clock;
    this.maxStreams = maxStreams;
  }

  /**
   * Opens a stream, or refuses with {@code TOO_MANY_STREAMS} before {@code connect} is called, so that a refusal is
   * still an ordinary answer. {@code connect} turns the stream into the sink it writes to. Events after the request's
   * cursor (all of them, when it resumes) are sent at once.
   */
  public EventStream open(StreamRequest request, Function<EventStream, StreamSink> connect) {
    reserve(request.customerId());
    EventStream stream;
    try {
      stream = new EventStream(request, feed, readers, this, clock.instant(), connect);
    } catch (RuntimeException e) {
      release(request.customerId());
      throw e;
    }
    byCustomer.compute(request.customerId(), (customer, streams) -> {
      Set<EventStream> listed = streams != null ? streams : ConcurrentHashMap.newKeySet();
      listed.add(stream);
      return listed;
    });
    if (stream.isClosed()) {
      forget(stream); // the client left while it connected, before the stream was listed
    }
    stream.resume();
    return stream;
  }

  /**
   * Whether the log holds an event the request asks for after the client's last one: none for a request without
   * {@code Last-Event-ID}, which asks for new events only.
   */
  public boolean hasMore(StreamRequest request) {
    return request.resumeAfter() != null && !feed.after(request.customerId(), request.test(), request.resumeAfter(),
        request.types(), request.activationId(), 1).isEmpty();
  }

  /** An event of the customer committed (on any node): its streams read the log. */
  public void committed(long customerId, long eventId) {
    byCustomer.getOrDefault(customerId, Set.of()).forEach(EventStream::resume);
  }

  /** The periodic tick: ends streams past their lifetime, sends the others a keep-alive and has them read the log. */
  public void keepAlive() {
    Instant tooOld = clock.instant().minus(LIFETIME);
    for (EventStream stream : all()) {
      if (stream.openedAt().isBefore(tooOld)) {
        stream.close();
      } else {
        stream.keepAlive();
        stream.resume();
      }
    }
  }

  /** Streams open on this node. */
  public synchronized int openStreams() {
    return open;
  }

  /** Ends every stream, for a node that shuts down. */
  @Override
  public void close() {
    all().forEach(EventStream::close);
  }

  void forget(EventStream stream) {
    boolean[] removed = new boolean[1];
    // Under the map's lock for the customer, as open lists a stream, so that a stream is never listed in a set that
    // was just dropped as empty.
    byCustomer.computeIfPresent(stream.request().customerId(), (customer, streams) -> {
      removed[0] = streams.remove(stream);
      return streams.isEmpty() ? null : streams;
    });
    if (removed[0]) {
      release(stream.request().customerId());
    }
  }

  private synchronized void reserve(long customerId) {
    if (open >= maxStreams) {
      throw new Failure(ErrorCode.TOO_MANY_STREAMS,
          "this node has " + maxStreams + " event streams open, its limit; try again later or another node");
    }
    if (count(customerId) >= MAX_PER_CUSTOMER) {
      throw new Failure(ErrorCode.TOO_MANY_STREAMS,
          "at most " + MAX_PER_CUSTOMER + " event streams may be open at once per customer; close one first");
    }
    open++;
    reserved.merge(customerId, 1, Integer::sum);
  }

  private synchronized void release(long customerId) {
    open--;
    reserved.computeIfPresent(customerId, (c, n) -> n == 1 ? null : n - 1);
  }

  private int count(long customerId) {
    return reserved.getOrDefault(customerId, 0);
  }

  private List<EventStream> all() {
    return byCustomer.values().stream().flatMap(Set::stream).toList();
  }
}
