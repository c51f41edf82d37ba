package io.verigate.server.system;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work that must happen later and at least once (a webhook delivery, a FINISH sent to a SIM-bank agent, a sandbox
 * delivery): an item enqueued in the transaction of the change that calls for it, claimed by one node at a time
 * with {@code SKIP LOCKED}, retried with jittered backoff, its attempts counted, and dead after its kind's schedule
 * runs out, where the operator sees it and can send it again. A handler runs outside any transaction and may be
 * called again for an item it already handled (a crash between its effect and the item's completion), so its
 * effect must be safe to repeat.
 *
 * <p>A claimed item is leased to its node: no other node takes it until the lease ends. A node therefore claims
 * only as many items as it has free workers, runs them at once, side by side, and gives each at most half the
 * lease: an item never waits in a queue while its lease runs out (a serial batch of slow items would outlive it and
 * be taken by a second node while the first still posts), and one slow receiver does not hold up the others.
 */
public final class Outbox {
  private static final Logger log = LoggerFactory.getLogger(Outbox.class);
  /**
   * How long a claimed item stays with its node: no other node takes it meanwhile, and if the node dies the item
   * falls due again after it. A handler gets half of it before its attempt counts as failed.
   */
  public static final Duration LEASE = Duration.ofMinutes(2);
  /** Items one node runs at once: handlers mostly wait on the network. */
  static final int WORKERS = 8;
  private static final int MAX_ERROR = 1000;
  private static final String COLUMNS = "id, kind, payload, state, attempts, created_at, due_at, last_error";

  public enum State { PENDING, DONE, DEAD }

  /** An item as a handler and the operator see it; {@code payload} is the kind's own text (JSON by convention). */
  public record Item(long id, String kind, String payload, State state, int attempts, Instant createdAt,
      Instant dueAt, String lastError) {}

  /** What a handler made of an item. */
  public sealed interface Outcome permits Done, Retry, Dead {}

  /** Handled: the item is complete. */
  public record Done() implements Outcome {}

  /** Not yet: try again after {@code after} (null: the kind's schedule decides), remembering {@code error}. */
  public record Retry(Duration after, String error) implements Outcome {}

  /** Never: the item is dead at once, with {@code reason}. */
  public record Dead(String reason) implements Outcome {}

  @FunctionalInterface
  public interface Handler {
    Outcome handle(Item item);
  }

  /**
   * How a kind retries: the delay before each further attempt (the item dies when they run out), each stretched or
   * shrunk by up to {@code jitter} (0.2 = ±20 %) so that items failing together do not retry together.
   */
  public record RetryPolicy(List<Duration> delays, double jitter) {
    public RetryPolicy {
      delays = List.copyOf(delays);
      if (jitter < 0 || jitter >= 1) {
        throw new IllegalArgumentException("jitter is a fraction below 1, got " + jitter);
      }
    }

    /** The wait after failed attempt number {@code attempt} (1 for the first), or empty when the item is to die. */
    Optional<Duration> after(int attempt, Duration asked) {
      if (attempt > delays.size()) {
        return Optional.empty();
      }
      Duration base = asked != null ? asked : delays.get(attempt - 1);
      double factor = 1 + (ThreadLocalRandom.current().nextDouble() * 2 - 1) * jitter;
      return Optional.of(Duration.ofMillis(Math.round(base.toMillis() * factor)));
    }
  }

  private record Kind(RetryPolicy policy, Handler handler) {}

  private final Database db;
  private final Clock clock;
  private final Duration lease;
  private final Duration itemTimeout;
  private final Map<String, Kind> kinds = new ConcurrentHashMap<>();
  /** Free workers: a node claims no more items than it can start at once. */
  private final Semaphore free;
  private final ExecutorService workers;
  private volatile Runnable wake = () -> {};

  public Outbox(Database db, Clock clock) {
    this(db, clock, LEASE, WORKERS);
  }

  /** An outbox with its own lease and number of workers (tests shorten the lease to see it end). */
  public Outbox(Database db, Clock clock, Duration lease, int workers) {
    this.db = db;
    this.clock = clock;
    this.lease = lease;
    this.itemTimeout = lease.dividedBy(2);
    this.free = new Semaphore(workers);
    AtomicInteger n = new AtomicInteger();
    // Threads beyond the workers only ever run handlers that overran their time and were told to stop.
    this.workers = Executors.newCachedThreadPool(task -> {
      Thread thread = new Thread(task, "verigate-outbox-" + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Registers the handler of one kind of item; every node registers the same kinds before {@link #runDue}. */
  public void register(String kind, RetryPolicy policy, Handler handler) {
    if (kinds.putIfAbsent(kind, new Kind(policy, handler)) != null) {
      throw new IllegalStateException("outbox kind " + kind + " is registered twice");
    }
  }

  /** What to call once a transaction that enqueued an item committed, to run it without waiting for the next tick. */
  public void whenEnqueued(Runnable wake) {
    this.wake = wake;
  }

  /** Enqueues an item in the caller's transaction, due at {@code dueAt}. */
  public long enqueue(Handle h, String kind, String payload, Instant dueAt) {
    long id = h.createUpdate("INSERT INTO outbox_item (kind, payload, state, created_at, due_at) "
            + "VALUES (:kind, :payload, 'PENDING', :now, :due)")
        .bind("kind", kind).bind("payload", payload).bind("now", utc(clock.instant())).bind("due", utc(dueAt))
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    if (!dueAt.isAfter(clock.instant())) {
      h.afterCommit(wake);
    }
    return id;
  }

  /**
   * Claims the items due now that no other node holds, as many at a time as there are free workers, runs their
   * handlers side by side and records the outcomes; returns once no item is due. A handler that has no outcome
   * within half the lease is interrupted and its attempt fails, before the lease could hand the item to another node.
   */
  public void runDue() {
    if (kinds.isEmpty()) {
      return;
    }
    int taken;
    List<Claimed> claimed;
    do {
      try {
        free.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      taken = 1 + free.drainPermits();
      try {
        claimed = claim(taken);
      } catch (RuntimeException e) {
        free.release(taken);
        throw e;
      }
      free.release(taken - claimed.size());
      try {
        runAll(claimed);
      } finally {
        free.release(claimed.size());
      }
    } while (claimed.size() == taken);
  }

  private record Claimed(Item item, long token) {}

  /**
   * Takes up to {@code limit} due items no other transaction holds, counts the attempt and moves them out by the
   * lease, in one short transaction: the handlers then run outside it, and only this claim's token may record their
   * outcomes.
   */
  private List<Claimed> claim(int limit) {
    Instant now = clock.instant();
    long token = ThreadLocalRandom.current().nextLong();
    return db.inTransaction(h -> {
      List<Item> due = h.createQuery("SELECT " + COLUMNS + " FROM outbox_item WHERE state = 'PENDING' "
              + "AND due_at <= :now AND kind IN (<kinds>) ORDER BY due_at LIMIT " + limit + " FOR UPDATE SKIP LOCKED")
          .bind("now", utc(now)).bindList("kinds", List.copyOf(kinds.keySet()))
          .map((rs, ctx) -> item(rs)).list();
      if (due.isEmpty()) {
        return List.of();
      }
      h.createUpdate("UPDATE outbox_item SET attempts = attempts + 1, claim_token = :token, due_at = :lease "
              + "WHERE id IN (<ids>)")
          .bind("token", token).bind("lease", utc(now.plus(lease)))
          .bindList("ids", due.stream().map(Item::id).toList()).execute();
      return due.stream()
          .map(i -> new Claimed(new Item(i.id(), i.kind(), i.payload(), i.state(), i.attempts() + 1, i.createdAt(),
              i.dueAt(), i.lastError()), token))
          .toList();
    });
  }

  /**
   * Runs the claimed items on the workers at once and records each outcome as it comes, each within the item
   * timeout. The caller took a free worker for each item; they are free again once this returns.
   */
  private void runAll(List<Claimed> claimed) {
    long deadline = System.nanoTime() + itemTimeout.toNanos();
    List<Future<Outcome>> running = claimed.stream().map(c -> workers.submit(() -> outcome(c.item()))).toList();
    for (int i = 0; i < claimed.size(); i++) {
      Item item = claimed.get(i).item();
      Future<Outcome> handling = running.get(i);
      Outcome outcome;
      try {
        outcome = handling.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        handling.cancel(true);
        log.warn("outbox item {} ({}) had no outcome within {} s; interrupted", item.id(), item.kind(),
            itemTimeout.toSeconds());
        outcome = new Retry(null, "no outcome within " + itemTimeout.toMillis() + " ms");
      } catch (ExecutionException e) {
        outcome = new Retry(null, String.valueOf(e.getCause()));
      } catch (InterruptedException e) {
        // The node is stopping: the lease hands the items still running to the next node.
        running.forEach(f -> f.cancel(true));
        Thread.currentThread().interrupt();
        return;
      }
      record(claimed.get(i), kinds.get(item.kind()).policy(), outcome);
    }
  }

  private Outcome outcome(Item item) {
    try {
      return kinds.get(item.kind()).handler().handle(item);
    } catch (RuntimeException e) {
      log.warn("outbox item {} ({}) failed on attempt {}", item.id(), item.kind(), item.attempts(), e);
      return new Retry(null, String.valueOf(e));
    }
  }

  private void record(Claimed claimed, RetryPolicy policy, Outcome outcome) {
    Item item = claimed.item();
    Instant now = clock.instant();
    String state;
    Instant due = now;
    String error;
    if (outcome instanceof Retry retry) {
      Optional<Duration> wait = policy.after(item.attempts(), retry.after());
      state = wait.isPresent() ? "PENDING" : "DEAD";
      due = wait.map(now::plus).orElse(now);
      error = retry.error();
    } else if (outcome instanceof Dead dead) {
      state = "DEAD";
      error = dead.reason();
    } else {
      state = "DONE";
      error = null;
    }
    if (!state.equals("DONE")) {
      log.info("outbox item {} ({}) attempt {}: {} {}", item.id(), item.kind(), item.attempts(), state, error);
    }
    String lastError = error == null || error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR);
    Instant dueAt = due;
    int recorded = db.withHandle(h -> h.createUpdate("UPDATE outbox_item SET state = :state, due_at = :due, "
            + "last_error = :error, claim_token = NULL WHERE id = :id AND claim_token = :token")
        .bind("state", state).bind("due", utc(dueAt)).bind("error", lastError).bind("id", item.id())
        .bind("token", claimed.token()).execute());
    if (recorded == 0) {
      log.warn("outbox item {} ({}) was taken back before its outcome {} was recorded", item.id(), item.kind(), state);
    }
  }

  /** Items of one state (and kind, when not null), newest first, with ids below {@code beforeId}: for the operator. */
  public List<Item> list(State state, String kind, long beforeId, int limit) {
    return db.withHandle(h -> {
      Query query = h.createQuery("SELECT " + COLUMNS + " FROM outbox_item WHERE state = :state AND id < :before"
              + (kind == null ? "" : " AND kind = :kind") + " ORDER BY id DESC LIMIT :limit")
          .bind("state", state.name()).bind("before", beforeId).bind("limit", limit);
      if (kind != null) {
        query.bind("kind", kind);
      }
      return query.map((rs, ctx) -> item(rs)).list();
    });
  }

  /** One item, for the operator. */
  public Optional<Item> find(long itemId) {
    return db.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM outbox_item WHERE id = :id")
        .bind("id", itemId).map((rs, ctx) -> item(rs)).findOne());
  }

  /**
   * Makes a dead or pending item due now again (an operator's retry, a customer's replay). A dead item starts its
   * kind's schedule afresh; an item a node is handling right now is left to it. Returns whether the item is now due.
   */
  public boolean retryNow(long itemId) {
    Instant now = clock.instant();
    boolean due = db.withHandle(h -> h.createUpdate("UPDATE outbox_item SET "
            + "attempts = CASE WHEN state = 'DEAD' THEN 0 ELSE attempts END, state = 'PENDING', due_at = :now, "
            + "claim_token = NULL WHERE id = :id AND (state = 'DEAD' OR (state = 'PENDING' "
            + "AND (claim_token IS NULL OR due_at <= :now)))")
        .bind("now", utc(now)).bind("id", itemId).execute() > 0);
    if (due) {
      wake.run();
    }
    return due;
  }

  /** How many items of one group wait for a next attempt, and the latest error of one not yet done (null: none). */
  public record Backlog(long pending, String lastError) {}

  /**
   * The backlog of the items of {@code kind} whose payload starts with {@code payloadPrefix}: a kind that puts what
   * it groups by first in its payload (an agent's FINISHes, say) lets the operator see each group's backlog.
   */
  public Backlog backlog(String kind, String payloadPrefix) {
    String like = payloadPrefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    return db.withHandle(h -> new Backlog(
        h.createQuery("SELECT COUNT(*) FROM outbox_item WHERE state = 'PENDING' AND kind = :kind "
                + "AND payload LIKE :like ESCAPE '\\'")
            .bind("kind", kind).bind("like", like).mapTo(Long.class).one(),
        h.createQuery("SELECT last_error FROM outbox_item WHERE state <> 'DONE' AND kind = :kind "
                + "AND payload LIKE :like ESCAPE '\\' AND last_error IS NOT NULL ORDER BY id DESC LIMIT 1")
            .bind("kind", kind).bind("like", like).mapTo(String.class).findOne().orElse(null)));
  }

  /** Stops the workers; items they were running fall due again when their leases end. */
  public void close() {
    workers.shutdownNow();
  }

  /** Deletes completed items older than {@code cutoff} (dead ones stay for the operator); returns how many. */
  public int purgeDoneOlderThan(Instant cutoff) {
    return db.withHandle(h -> h.createUpdate("DELETE FROM outbox_item WHERE state = 'DONE' AND created_at < :cutoff")
        .bind("cutoff", utc(cutoff)).execute());
  }

  private static Item item(ResultSet rs) throws SQLException {
    return new Item(rs.getLong("id"), rs.getString("kind"), rs.getString("payload"),
        State.valueOf(rs.getString("state")), rs.getInt("attempts"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
        rs.getObject("due_at", OffsetDateTime.class).toInstant(), rs.getString("last_error"));
  }

  /**
   * Cut to the microseconds the database keeps: a due time it rounded up would otherwise lie a fraction of a
   * microsecond after the same moment given as {@code now}.
   */
  private static OffsetDateTime utc(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
  }
}
