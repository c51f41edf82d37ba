package io.verigate.server.system;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable log of what happened to each customer's activations and wallets. A feature appends an event in the
 * same transaction as the change it records, so there is no change without its event and no event without its
 * change. The log is the one source for webhooks, SSE streams (and their resume with {@code Last-Event-ID}) and the
 * dashboard's live view; in-process listeners and node events only wake readers sooner.
 *
 * <p>Event ids increase with every event. Readers resume after the last id they delivered. Ids are handed out
 * before their transactions commit, so a smaller id can become visible after a larger one: a reader must not
 * conclude that an id it skipped will never appear (see {@link #after}).
 */
public final class EventLog {
  private static final Logger log = LoggerFactory.getLogger(EventLog.class);
  /** The node-event channel that carries {@code customerId:eventId} of each committed event to every node. */
  static final String CHANNEL = "verigate_events";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COLUMNS = "id, customer_id, test, type, activation_id, occurred_at, data";

  /**
   * One event as stored. {@code test} tells sandbox events from live ones (a key of one mode sees only its own);
   * {@code data} is the event's JSON object as text, ready to embed in a webhook or an SSE message.
   */
  public record Event(long id, long customerId, boolean test, String type, Long activationId, Instant occurredAt,
      String data) {}

  /** Hears every appended event inside the appending transaction, to enqueue work atomically with it. */
  public interface InTransaction {
    void appended(Handle h, Event event);

    /**
     * Whether {@link #appended} may write anything for such an event. A listener that says no lets a hot path commit
     * its event's transaction in the statement that writes it (see {@link EventLog#quietFor}); every listener must
     * answer, since one that always said yes would quietly put every live purchase back on the slower path.
     */
    boolean listensTo(Handle h, long customerId, boolean test, String type);

    /** A listener that does {@code work} for the events {@code wanted} accepts by mode and type, and for no other. */
    static InTransaction forEvents(BiPredicate<Boolean, String> wanted, BiConsumer<Handle, Event> work) {
      return new InTransaction() {
        @Override
        public void appended(Handle h, Event event) {
          if (wanted.test(event.test(), event.type())) {
            work.accept(h, event);
          }
        }

        @Override
        public boolean listensTo(Handle h, long customerId, boolean test, String type) {
          return wanted.test(test, type);
        }
      };
    }
  }

  /** Hears an event once its transaction committed, on every node (through node events), to wake readers. */
  @FunctionalInterface
  public interface Committed {
    void committed(long customerId, long eventId);
  }

  private final Database db;
  private final Clock clock;
  private final NodeEvents nodeEvents;
  private final boolean alone;
  private final List<InTransaction> inTransaction = new CopyOnWriteArrayList<>();
  private final List<Committed> committed = new CopyOnWriteArrayList<>();
  private final InFlight inFlight;

  public EventLog(Database db, Clock clock, NodeEvents nodeEvents) {
    this.db = db;
    this.clock = clock;
    this.nodeEvents = nodeEvents;
    // Alone on its database, a node tells its own listeners directly; otherwise node events carry the news to every
    // node, this one included (its listening connection hears its own notifications).
    this.alone = nodeEvents instanceof NodeEvents.SingleNode;
    this.inFlight = new InFlight(db.isPostgres() ? 0
        : db.withHandle(h -> h.createQuery("SELECT COALESCE(MAX(id), 0) FROM event").mapTo(Long.class).one()));
    if (!alone) {
      nodeEvents.subscribe(CHANNEL, this::heard, () -> {});
    }
  }

  public void onAppend(InTransaction listener) {
    inTransaction.add(listener);
  }

  public void onCommitted(Committed listener) {
    committed.add(listener);
  }

  /** Appends an event in the caller's transaction; {@code data} is written as a JSON object. */
  public Event append(Handle h, long customerId, boolean test, String type, Long activationId, Map<String, ?> data) {
    if (!h.isInTransaction()) {
      throw new IllegalStateException("an event is appended in the transaction of its change");
    }
    // The database keeps microseconds; the event handed back is the one every reader gets.
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    String json = json(data);
    if (!db.isPostgres()) {
      inFlight.enter(h);
    }
    long id = h.createUpdate("INSERT INTO event (customer_id, test, type, activation_id, occurred_at, data) "
            + "VALUES (:c, :t, :type, :a, :at, :data)")
        .bind("c", customerId).bind("t", test).bind("type", type).bind("a", activationId)
        .bind("at", now.atOffset(ZoneOffset.UTC)).bind("data", json)
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    if (!db.isPostgres()) {
      inFlight.drew(id);
    }
    return inserted(h, new Event(id, customerId, test, type, activationId, now, json));
  }

  /**
   * Takes over an event whose row the caller's own statement inserted (on PostgreSQL only, where the id comes from the
   * table's trigger, see the migration V15): the in-transaction listeners hear it and it is announced after commit,
   * exactly as for {@link #append}. For a hot path that writes its change and its event in one statement.
   */
  public Event inserted(Handle h, Event event) {
    inTransaction.forEach(listener -> listener.appended(h, event));
    h.afterCommit(() -> announce(event.customerId(), event.id()));
    return event;
  }

  /**
   * Whether no in-transaction listener would write anything for such an event, so its transaction may commit in the
   * statement that inserts it, before {@link #inserted} runs the (then idle) listeners.
   */
  public boolean quietFor(Handle h, long customerId, boolean test, String type) {
    return inTransaction.stream().noneMatch(listener -> listener.listensTo(h, customerId, test, type));
  }

  /** Event data as the log stores it: a JSON object, written the same way whoever inserts the row. */
  public static String dataJson(Map<String, ?> data) {
    return json(data);
  }

  /**
   * A customer's events of one mode with ids above {@code afterId}, oldest first, at most {@code limit}; only the
   * given {@code types} (all when empty) and only one activation's when {@code activationId} is not null. Only
   * events whose transactions have committed are returned, and never one out of id order: the answer stops before
   * the first id that may still be committing, so resuming after the last returned id misses nothing.
   */
  public List<Event> after(long customerId, boolean test, long afterId, Set<String> types, Long activationId,
      int limit) {
    // PostgreSQL: ids follow transaction ids, so only those of transactions older than every one still running (see
    // the migration V15). H2: up to the smallest id a transaction of this node may still hold.
    String horizon = db.isPostgres()
        ? "id < pg_snapshot_xmin(pg_current_snapshot())::text::bigint * 65536"
        : "id <= :horizon";
    long settled = db.isPostgres() ? 0 : inFlight.horizon();
    String sql = "SELECT " + COLUMNS + " FROM event WHERE customer_id = :c AND test = :t AND id > :after AND "
        + horizon + (types.isEmpty() ? "" : " AND type IN (<types>)")
        + (activationId == null ? "" : " AND activation_id = :a") + " ORDER BY id LIMIT :limit";
    return db.withHandle(h -> {
      Query query = h.createQuery(sql).bind("c", customerId).bind("t", test).bind("after", afterId)
          .bind("limit", limit);
      if (!db.isPostgres()) {
        query.bind("horizon", settled);
      }
      if (!types.isEmpty()) {
        query.bindList("types", List.copyOf(types));
      }
      if (activationId != null) {
        query.bind("a", activationId);
      }
      return query.map((rs, ctx) -> new Event(rs.getLong("id"), rs.getLong("customer_id"), rs.getBoolean("test"),
          rs.getString("type"), rs.getObject("activation_id", Long.class),
          rs.getObject("occurred_at", OffsetDateTime.class).toInstant(), rs.getString("data"))).list();
    });
  }

  /** Deletes events older than {@code cutoff} (the configured retention); returns how many. */
  public int purgeOlderThan(Instant cutoff) {
    return db.withHandle(h -> h.createUpdate("DELETE FROM event WHERE occurred_at < :cutoff")
        .bind("cutoff", cutoff.atOffset(ZoneOffset.UTC)).execute());
  }

  private void announce(long customerId, long eventId) {
    if (alone || !nodeEvents.listening()) {
      // Without a listening connection this node would not hear its own event; a second wake-up is harmless.
      tell(customerId, eventId);
    }
    if (!alone) {
      nodeEvents.publish(CHANNEL, customerId + ":" + eventId);
    }
  }

  private void heard(String payload) {
    int colon = payload.indexOf(':');
    tell(Long.parseLong(payload.substring(0, colon)), Long.parseLong(payload.substring(colon + 1)));
  }

  private void tell(long customerId, long eventId) {
    for (Committed listener : committed) {
      try {
        listener.committed(customerId, eventId);
      } catch (RuntimeException e) {
        log.warn("an event listener failed on event {} of customer {}", eventId, customerId, e);
      }
    }
  }

  private static String json(Map<String, ?> data) {
    try {
      return JSON.writeValueAsString(data);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("event data is not JSON: " + data, e);
    }
  }

  /**
   * The ids this node's open transactions may still commit, for H2 (one node per database). An append registers
   * before it draws its id, with the highest id drawn so far as its floor: every id it draws is above that floor. A
   * reader reads the highest id drawn, then the floors of the appends still open; ids up to the smallest of these
   * are committed or rolled back, since an append that drew one of them either left already or holds a floor below it.
   */
  private static final class InFlight {
    private final AtomicLong drawn = new AtomicLong();
    private final Map<Object, Long> floors = new ConcurrentHashMap<>();

    /** Events committed before this node started are all settled. */
    InFlight(long highestStored) {
      drawn.set(highestStored);
    }

    void enter(Handle h) {
      Object token = new Object();
      floors.put(token, drawn.get());
      h.afterCommit(() -> floors.remove(token));
      h.afterRollback(() -> floors.remove(token));
    }

    void drew(long id) {
      drawn.accumulateAndGet(id, Math::max);
    }

    long horizon() {
      long horizon = drawn.get();
      for (long floor : floors.values()) {
        horizon = Math.min(horizon, floor);
      }
      return horizon;
    }
  }
}
