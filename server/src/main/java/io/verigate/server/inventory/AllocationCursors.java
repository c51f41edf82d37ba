package io.verigate.server.inventory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.verigate.server.account.Mode;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * Where a purchase's search for a free number starts on PostgreSQL: just past the number the last purchase of the
 * same service in the same country took, per mode.
 *
 * <p>Why: a sold number leaves the partial index of free numbers only when VACUUM removes its entry, and autovacuum
 * comes by at most once a minute. Numbers are taken oldest first, so the entries of those sold since sit at the head
 * of the index, and a search from the start steps over every one of them: measured, 40,000 sales without a vacuum
 * made one allocation read 202 pages instead of 6, a third of what a whole purchase costs PostgreSQL. Past the
 * cursor the search meets none of them.
 *
 * <p>A number behind the cursor that is free for the service (one given back, or skipped while another purchase held
 * it) is not lost: a search that finds nothing past the cursor searches again from the start, in the same
 * statement. The order of sale becomes oldest first past the last sale, then oldest first from the start. Each node
 * keeps its own cursors in memory; they are hints, never needed for correctness.
 */
final class AllocationCursors {
  /** A number's place in the free numbers' index order. */
  record Position(OffsetDateTime createdAt, long id) {}

  private final Cache<String, Position> positions = Caffeine.newBuilder().maximumSize(100_000).build();

  Optional<Position> of(Mode mode, String country, String service) {
    return Optional.ofNullable(positions.getIfPresent(key(mode, country, service)));
  }

  void moveTo(Mode mode, String country, String service, Position position) {
    positions.put(key(mode, country, service), position);
  }

  private static String key(Mode mode, String country, String service) {
    return mode.sqlName() + '|' + country + '|' + service;
  }
}
