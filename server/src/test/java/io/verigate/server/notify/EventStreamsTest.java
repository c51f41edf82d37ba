package io.verigate.server.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.EventLog;
import io.verigate.server.system.Failure;
import io.verigate.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The registry against an in-memory log that filters as {@link EventLog#after} promises, reading on the caller's thread. */
class EventStreamsTest {
  private static final long ACME = 1;
  private static final long OTHER = 2;
  private static final Pattern ID = Pattern.compile("^id: (\\d+)$", Pattern.MULTILINE);

  private final FakeLog log = new FakeLog();
  private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));
  private final EventStreams streams = new EventStreams(log, Runnable::run, clock, 3);

  @Test
  void resumesAfterTheLastEventIdWithExactlyTheMissedEventsInOrder() {
    for (int i = 0; i < 5; i++) {
      log.add(ACME, false, "activation.created", 7L);
    }

    Sink sink = open(request(Set.of(), null, 2L));

    assertThat(sink.ids()).containsExactly(3L, 4L, 5L);
  }

  @Test
  void withoutLastEventIdStartsWithNewEventsOnly() {
    log.add(ACME, false, "activation.created", 7L);
    Sink sink = open(request(Set.of(), null, null));

    long received = log.add(ACME, false, "activation.received", 7L);
    streams.committed(ACME, received);

    assertThat(sink.ids()).containsExactly(received);
  }

  @Test
  void replaysMoreThanOneBatch() {
    for (int i = 0; i < EventStream.BATCH * 2 + 5; i++) {
      log.add(ACME, false, "wallet.credited", null);
    }

    Sink sink = open(request(Set.of(), null, 0L));

    assertThat(sink.ids()).hasSize(EventStream.BATCH * 2 + 5).isSorted();
  }

  @Test
  void sendsOnlyTheAskedTypesAndOnlyTheCustomersEventsOfItsMode() {
    Sink sink = open(request(Set.of("activation.received"), null, null));

    log.add(ACME, false, "activation.created", 7L);
    long wanted = log.add(ACME, false, "activation.received", 7L);
    long otherCustomers = log.add(OTHER, false, "activation.received", 8L);
    long sandbox = log.add(ACME, true, "activation.received", 9L);
    streams.committed(ACME, wanted);
    streams.committed(OTHER, otherCustomers);
    streams.committed(ACME, sandbox);

    assertThat(sink.ids()).containsExactly(wanted);
  }

  @Test
  void anActivationsStreamEndsAfterItsFinalEventEvenWhenItsTypeWasNotAsked() {
    Sink sink = open(request(Set.of("activation.received"), 7L, null));

    long received = log.add(ACME, false, "activation.received", 7L);
    log.add(ACME, false, "activation.received", 8L);
    long finished = log.add(ACME, false, "activation.finished", 7L);
    streams.committed(ACME, finished);

    assertThat(sink.ids()).containsExactly(received);
    assertThat(sink.closed).isTrue();
    assertThat(streams.openStreams()).isZero();
  }

  @Test
  void aStreamForAnActivationThatIsOverEndsOnceCaughtUp() {
    long created = log.add(ACME, false, "activation.created", 7L);
    log.add(ACME, false, "activation.expired", 7L);

    Sink sink = open(new StreamRequest(ACME, false, Set.of("activation.created"), 7L, 0L, true));

    assertThat(sink.ids()).containsExactly(created);
    assertThat(sink.closed).isTrue();
    assertThat(streams.hasMore(new StreamRequest(ACME, false, Set.of(), 7L, 2L, true))).isFalse();
    assertThat(streams.hasMore(new StreamRequest(ACME, false, Set.of(), 7L, 1L, true))).isTrue();
    assertThat(streams.hasMore(new StreamRequest(ACME, false, Set.of(), 7L, null, true))).isFalse();
  }

  @Test
  void boundsStreamsPerNodeAndFreesASlotWhenOneCloses() {
    EventStream first = streams.open(request(Set.of(), null, null), s -> new Sink());
    open(request(Set.of(), null, null));
    open(new StreamRequest(OTHER, false, Set.of(), null, null, false));

    assertThatThrownBy(() -> open(request(Set.of(), null, null)))
        .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.code()).isEqualTo(ErrorCode.TOO_MANY_STREAMS));
    first.close();
    open(request(Set.of(), null, null));
    assertThat(streams.openStreams()).isEqualTo(3);
  }

  @Test
  void boundsStreamsPerCustomer() {
    EventStreams roomy = new EventStreams(log, Runnable::run, clock, 1000);
    for (int i = 0; i < EventStreams.MAX_PER_CUSTOMER; i++) {
      roomy.open(request(Set.of(), null, null), s -> new Sink());
    }

    assertThatThrownBy(() -> roomy.open(request(Set.of(), null, null), s -> new Sink()))
        .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.code()).isEqualTo(ErrorCode.TOO_MANY_STREAMS));
    roomy.open(new StreamRequest(OTHER, false, Set.of(), null, null, false), s -> new Sink());
  }

  @Test
  void aCongestedClientGetsNoMoreBatchesUntilItDrained() {
    for (int i = 0; i < EventStream.BATCH * 2 + 5; i++) {
      log.add(ACME, false, "activation.created", 7L);
    }
    Sink sink = new Sink();
    sink.congestAfter = 1;
    EventStream stream = streams.open(request(Set.of(), null, 0L), s -> sink);

    assertThat(sink.ids()).hasSize(EventStream.BATCH);
    sink.congestAfter = Integer.MAX_VALUE;
    stream.resume();
    assertThat(sink.ids()).hasSize(EventStream.BATCH * 2 + 5).doesNotHaveDuplicates().isSorted();
  }

  @Test
  void keepAliveSendsACommentEndsStreamsPastTheirLifetimeAndDropsClientsThatLeft() {
    Sink young = open(request(Set.of(), null, null));
    Sink gone = open(request(Set.of(), null, null));
    gone.accepting = false;
    clock.advance(EventStreams.LIFETIME.minus(Duration.ofMinutes(1)));
    streams.keepAlive();

    assertThat(young.text).endsWith(": keep-alive\n\n");
    assertThat(gone.closed).isTrue();
    assertThat(streams.openStreams()).isEqualTo(1);

    clock.advance(Duration.ofMinutes(2));
    streams.keepAlive();
    assertThat(young.closed).isTrue();
    assertThat(streams.openStreams()).isZero();
  }

  @Test
  void keepAliveReadsTheLogInCaseAWakeUpWasLost() {
    Sink sink = open(request(Set.of(), null, null));
    long missed = log.add(ACME, false, "wallet.credited", null);

    streams.keepAlive();

    assertThat(sink.ids()).containsExactly(missed);
  }

  @Test
  void writesEachEventAsAnSseMessageWithItsJsonOnOneDataLine() {
    EventLog.Event event = new EventLog.Event(42, ACME, false, "activation.received", 7L,
        Instant.parse("2025-03-01T10:00:00Z"), "{\n \"activationId\": 7, \"code\": \"123456\"\n}");

    assertThat(EventStream.frame(event)).isEqualTo("id: 42\nevent: activation.received\n"
        + "data: {\"type\":\"activation.received\",\"timestamp\":\"2025-03-01T10:00:00.000Z\","
        + "\"data\":{\"activationId\":7,\"code\":\"123456\"}}\n\n");
  }

  private StreamRequest request(Set<String> types, Long activationId, Long resumeAfter) {
    return new StreamRequest(ACME, false, types, activationId, resumeAfter, false);
  }

  private Sink open(StreamRequest request) {
    Sink[] sink = new Sink[1];
    streams.open(request, s -> sink[0] = new Sink());
    return sink[0];
  }

  /** The log's promise, in memory: one customer's events of one mode, filtered, in id order. */
  private static final class FakeLog implements EventFeed {
    private final List<EventLog.Event> events = new ArrayList<>();

    long add(long customerId, boolean test, String type, Long activationId) {
      long id = events.size() + 1;
      events.add(new EventLog.Event(id, customerId, test, type, activationId, Instant.EPOCH, "{}"));
      return id;
    }

    @Override
    public List<EventLog.Event> after(long customerId, boolean test, long afterId, Set<String> types,
        Long activationId, int limit) {
      return events.stream()
          .filter(e -> e.customerId() == customerId && e.test() == test && e.id() > afterId)
          .filter(e -> types.isEmpty() || types.contains(e.type()))
          .filter(e -> activationId == null || activationId.equals(e.activationId()))
          .limit(limit)
          .toList();
    }
  }

  /** A client that takes everything, unless told to stop taking or to fall behind. */
  private static final class Sink implements StreamSink {
    private String text = "";
    private boolean closed;
    private boolean accepting = true;
    private int congestAfter = Integer.MAX_VALUE;

    @Override
    public boolean write(String more) {
      text += more;
      return accepting;
    }

    @Override
    public boolean congested() {
      return ids().size() >= congestAfter;
    }

    @Override
    public void close() {
      closed = true;
    }

    List<Long> ids() {
      List<Long> ids = new ArrayList<>();
      Matcher m = ID.matcher(text);
      while (m.find()) {
        ids.add(Long.parseLong(m.group(1)));
      }
      return ids;
    }
  }
}
