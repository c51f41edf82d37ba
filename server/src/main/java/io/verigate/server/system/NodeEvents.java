package io.verigate.server.system;

import java.util.function.Consumer;

/**
 * Tells the other nodes on the same database that something they may hold in memory changed. A node drops its own
 * stale entries at once when it makes a change; the event, published after the change committed, carries that drop to
 * the rest. Events are hints, never the truth: a node that may have missed some is told so, and must not trust what
 * it cached until it listens again.
 */
public interface NodeEvents extends AutoCloseable {
  /**
   * Sends the payload, one line of text, to every node listening on the channel. Call it after the commit; it returns
   * at once and never fails the caller's request.
   */
  void publish(String channel, String payload);

  /**
   * Calls {@code onEvent} with the payload of every event on the channel, and {@code onGap} whenever events may have
   * been missed, before listening resumes. Subscribe while building the node, before {@link #start}.
   */
  void subscribe(String channel, Consumer<String> onEvent, Runnable onGap);

  /** Whether this node hears every event now; while it does not, caches the events keep fresh must be bypassed. */
  boolean listening();

  void start();

  @Override
  void close();

  /** For the database the node runs on: PostgreSQL carries events between nodes; H2 serves one node only. */
  static NodeEvents of(Database db, Config config) {
    return db.isPostgres() ? new PostgresNodeEvents(db, config) : new SingleNode();
  }

  /** A node alone on its database has no one to tell, and misses nothing. */
  final class SingleNode implements NodeEvents {
    @Override
    public void publish(String channel, String payload) {}

    @Override
    public void subscribe(String channel, Consumer<String> onEvent, Runnable onGap) {}

    @Override
    public boolean listening() {
      return true;
    }

    @Override
    public void start() {}

    @Override
    public void close() {}
  }
}
