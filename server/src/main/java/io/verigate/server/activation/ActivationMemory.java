package io.verigate.server.activation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.verigate.server.system.NodeEvents;
import java.time.Duration;
import java.util.function.IntFunction;

/**
 * Something a node keeps in memory per activation, by id, so that a poll that shows it costs no database round
 * trip. The database stays the truth. {@link ActivationService#memory} hands these out and drops an entry whenever
 * its activation changes: at once on the node that changed it, and on the others when the change's node event
 * arrives. Everything is dropped when events may have been missed, and nothing is served from memory while they may
 * be. Entries also age out, which bounds how long a change whose event was lost can go unseen.
 *
 * <p>A read that misses loads inside the cache's per-entry computation, so a drop for the same activation waits for
 * the load and then removes what it loaded: a copy read before a change never outlives the change's drop.
 *
 * @param <V> what is kept for one activation
 */
public final class ActivationMemory<V> {
  private static final Duration MAX_AGE = Duration.ofSeconds(30);
  private static final int MAX_ENTRIES = 100_000;

  private final Cache<Integer, V> byId = Caffeine.newBuilder()
      .maximumSize(MAX_ENTRIES)
      .expireAfterWrite(MAX_AGE)
      .build();
  private final NodeEvents events;

  ActivationMemory(NodeEvents events) {
    this.events = events;
  }

  /**
   * What is kept for the activation with this id, from memory when the node can trust it, else read (and then kept)
   * by {@code read}; null when {@code read} finds nothing, which is not kept.
   */
  public V get(int id, IntFunction<V> read) {
    if (!events.listening()) {
      return read.apply(id);
    }
    return byId.get(id, read::apply);
  }

  void forget(int id) {
    byId.invalidate(id);
  }

  void forgetAll() {
    byId.invalidateAll();
  }
}
