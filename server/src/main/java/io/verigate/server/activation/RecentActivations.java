package io.verigate.server.activation;

import io.verigate.server.system.NodeEvents;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;

/**
 * The node's in-memory view of activations: each activation as last read, so that a status poll, the request
 * clients repeat every few seconds for minutes, costs no database round trip, and whatever else other features
 * keep per activation in {@link ActivationMemory memories} of their own. One activation's change drops its entry
 * from every memory together, and one node event carries that drop to the other nodes.
 */
final class RecentActivations {
  static final String CHANNEL = "verigate_activation";

  private final NodeEvents events;
  private final List<ActivationMemory<?>> memories = new CopyOnWriteArrayList<>();
  private final ActivationMemory<Activation> activations;

  RecentActivations(NodeEvents events) {
    this.events = events;
    this.activations = remember();
  }

  /** A new memory, from now on dropped with the activations. */
  <V> ActivationMemory<V> remember() {
    ActivationMemory<V> memory = new ActivationMemory<>(events);
    memories.add(memory);
    return memory;
  }

  /** The activation with this id, from memory when the node can trust it, else read (and then kept) by {@code read}. */
  Optional<Activation> get(int id, IntFunction<Optional<Activation>> read) {
    return Optional.ofNullable(activations.get(id, key -> read.apply(key).orElse(null)));
  }

  /** The activation changed here and the change is committed: forget it and tell the other nodes. */
  void changed(int id) {
    forget(id);
    events.publish(CHANNEL, Integer.toString(id));
  }

  /** Another node changed the activation. */
  void forget(int id) {
    memories.forEach(memory -> memory.forget(id));
  }

  /** Changes may have been missed. */
  void forgetAll() {
    memories.forEach(ActivationMemory::forgetAll);
  }
}
