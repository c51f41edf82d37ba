package io.verigate.server.activation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.verigate.server.system.NodeEvents;
import java.time.Duration;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Activations as last read, kept in memory so that a status poll, the request clients repeat every few seconds for
 * minutes, costs no database round trip. The database stays the truth. An entry is dropped when its activation
 * changes: at once on the node that changed it, and on the others when the change's node event arrives. Everything is
 * dropped when events may have been missed, and nothing is served from memory while they may be. Entries also age
 * out, which bounds how long a change whose event was lost can go unseen.
 *
 * <p>A read that misses loads the row inside the cache's per-entry computation, so a drop for the same activation
 * waits for the load and then removes what it loaded: a copy read before a change never outlives the change's drop.
 */
final class RecentActivations {
  static final String CHANNEL = "verigate_activation";
  private static final Duration MAX_AGE = Duration.ofSeconds(30);
  private static final int MAX_ENTRIES = 100_000;

  private final Cache<Integer, Activation> byId = Caffeine.newBuilder()
      .maximumSize(MAX_ENTRIES)
      .expireAfterWrite(MAX_AGE)
      .build();
  private final NodeEvents events;

  RecentActivations(NodeEvents events) {
    this.events = events;
  }

  /** The activation with this id, from memory when the node can trust it, else read (and then kept) by {@code read}. */
  Optional<Activation> get(int id, IntFunction<Optional<Activation>> read) {
    if (!events.listening()) {
      return read.apply(id);
    }
    return Optional.ofNullable(byId.get(id, key -> read.apply(key).orElse(null)));
  }

  /** The activation changed here and the change is committed: forget it and tell the other nodes. */
  void changed(int id) {
    forget(id);
    events.publish(CHANNEL, Integer.toString(id));
  }

  /** Another node changed the activation. */
  void forget(int id) {
    byId.invalidate(id);
  }

  /** Changes may have been missed. */
  void forgetAll() {
    byId.invalidateAll();
  }
}
