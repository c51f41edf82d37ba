package io.verigate.server.inventory;

import io.verigate.server.system.Database;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Messages and refused requests per number source and UTC day, for the operator's chart of each source over time.
 * A message only bumps a counter in memory; {@link #flush} adds the counts to the {@code source_day} rows every few
 * seconds, so a busy source's messages never queue on one row's lock. A node that dies loses what it counted since
 * its last flush: these are figures to watch, not the journal (which holds every message).
 */
public final class SourceTraffic {
  /** One source's traffic on one day. */
  public record Day(long sourceId, LocalDate day, long messages, long rejected) {}

  private record Key(long sourceId, LocalDate day) {}

  private record Counts(LongAdder messages, LongAdder rejected) {
    Counts() {
      this(new LongAdder(), new LongAdder());
    }
  }

  private final Database db;
  private final Clock clock;
  private final Map<Key, Counts> unwritten = new ConcurrentHashMap<>();

  SourceTraffic(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** A message the source delivered was journaled. */
  public void message(long sourceId) {
    today(sourceId).messages().increment();
  }

  void rejected(long sourceId) {
    today(sourceId).rejected().increment();
  }

  private Counts today(long sourceId) {
    return unwritten.computeIfAbsent(new Key(sourceId, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)),
        key -> new Counts());
  }

  /** Adds what this node counted since the last flush to the database; what a failed write held is kept for the next. */
  public synchronized void flush() {
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    unwritten.forEach((key, counts) -> {
      long messages = counts.messages().sumThenReset();
      long rejected = counts.rejected().sumThenReset();
      if (messages == 0 && rejected == 0) {
        if (key.day().isBefore(today)) {
          unwritten.remove(key, counts);
        }
        return;
      }
      try {
        db.withHandle(h -> add(h, key, messages, rejected));
      } catch (RuntimeException e) {
        counts.messages().add(messages);
        counts.rejected().add(rejected);
        throw e;
      }
    });
  }

  /** Every source's days from {@code since} on, oldest first, with this node's counts written first. */
  public List<Day> since(LocalDate since) {
    flush();
    return db.withHandle(h -> h.createQuery("SELECT source_id, on_day, messages, rejected FROM source_day "
            + "WHERE on_day >= :since ORDER BY on_day, source_id")
        .bind("since", since)
        .map((rs, ctx) -> new Day(rs.getLong("source_id"), rs.getObject("on_day", LocalDate.class),
            rs.getLong("messages"), rs.getLong("rejected")))
        .list());
  }

  /** Adds to the day's row, creating it when this is its first count; another node creating it meanwhile is fine. */
  private static int add(Handle h, Key key, long messages, long rejected) {
    if (update(h, key, messages, rejected) > 0) {
      return 1;
    }
    try {
      return h.createUpdate("INSERT INTO source_day (source_id, on_day, messages, rejected) VALUES (:s, :d, :m, :r)")
          .bind("s", key.sourceId()).bind("d", key.day()).bind("m", messages).bind("r", rejected).execute();
    } catch (UnableToExecuteStatementException e) {
      if (!Database.violatesUnique(e)) {
        throw e;
      }
      return update(h, key, messages, rejected);
    }
  }

  private static int update(Handle h, Key key, long messages, long rejected) {
    return h.createUpdate("UPDATE source_day SET messages = messages + :m, rejected = rejected + :r "
            + "WHERE source_id = :s AND on_day = :d")
        .bind("s", key.sourceId()).bind("d", key.day()).bind("m", messages).bind("r", rejected).execute();
  }
}
