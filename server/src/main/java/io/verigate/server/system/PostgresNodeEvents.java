package io.verigate.server.system;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Node events over PostgreSQL's LISTEN/NOTIFY. Publishing is one {@code pg_notify} through the pool, after the
 * change's own transaction (a NOTIFY inside it would serialise every commit on the notification queue's lock).
 * Listening takes a connection of its own, outside the pool, watched by one thread; when it drops, the node stops
 * trusting its caches until a new connection listens again and the gap handlers have run.
 */
final class PostgresNodeEvents implements NodeEvents {
  private static final Logger log = LoggerFactory.getLogger(PostgresNodeEvents.class);
  /** What the listening connection calls itself in pg_stat_activity. */
  static final String APPLICATION_NAME = "verigate-node-events";
  private static final int WAIT_MILLIS = 500;
  /** A connection whose peer vanished without a reset shows no error while idle, so it is checked this often. */
  private static final Duration CHECK_EVERY = Duration.ofSeconds(10);
  private static final Duration RETRY_AFTER = Duration.ofSeconds(2);

  private record Subscriber(Consumer<String> onEvent, Runnable onGap) {}

  private final Database db;
  private final Config config;
  private final Map<String, List<Subscriber>> subscribers = new ConcurrentHashMap<>();
  private final Thread listener = new Thread(this::listen, "verigate-node-events");
  private volatile boolean listening;
  private volatile boolean closed;

  PostgresNodeEvents(Database db, Config config) {
    this.db = db;
    this.config = config;
    listener.setDaemon(true);
  }

  @Override
  public void publish(String channel, String payload) {
    try {
      db.withHandle(h -> h.createQuery("SELECT pg_notify(:channel, :payload)")
          .bind("channel", channel).bind("payload", payload)
          .mapTo(String.class).list());
    } catch (RuntimeException e) {
      // The change is committed; other nodes see it once their cached copy ages out.
      log.warn("could not tell the other nodes about {} {}: {}", channel, payload, e.getMessage());
    }
  }

  @Override
  public void subscribe(String channel, Consumer<String> onEvent, Runnable onGap) {
    if (listener.isAlive()) {
      throw new IllegalStateException("subscribe to " + channel + " before the node starts");
    }
    subscribers.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(new Subscriber(onEvent, onGap));
  }

  @Override
  public boolean listening() {
    return listening;
  }

  @Override
  public void start() {
    listener.start();
  }

  @Override
  public void close() {
    closed = true;
    listener.interrupt();
  }

  private void listen() {
    while (!closed) {
      try (Connection connection = connect()) {
        listenOn(connection);
      } catch (SQLException e) {
        if (!closed) {
          log.warn("node events: the listening connection failed ({}); caches are bypassed until it is back",
              e.getMessage());
        }
      } finally {
        listening = false;
      }
      pause(RETRY_AFTER);
    }
  }

  private void listenOn(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String channel : subscribers.keySet()) {
        statement.execute("LISTEN " + channel);
      }
    }
    // Anything cached before this point may have changed while no one listened.
    subscribers.values().forEach(list -> list.forEach(s -> s.onGap().run()));
    listening = true;
    PGConnection events = connection.unwrap(PGConnection.class);
    long checkAt = System.nanoTime() + CHECK_EVERY.toNanos();
    while (!closed) {
      PGNotification[] arrived = events.getNotifications(WAIT_MILLIS);
      if (arrived != null) {
        for (PGNotification event : arrived) {
          dispatch(event.getName(), event.getParameter());
        }
      }
      if (System.nanoTime() - checkAt > 0) {
        try (Statement check = connection.createStatement()) {
          check.execute("SELECT 1");
        }
        checkAt = System.nanoTime() + CHECK_EVERY.toNanos();
      }
    }
  }

  private void dispatch(String channel, String payload) {
    for (Subscriber subscriber : subscribers.getOrDefault(channel, List.of())) {
      try {
        subscriber.onEvent().accept(payload);
      } catch (RuntimeException e) {
        log.warn("node events: ignoring event {} '{}': {}", channel, payload, e.getMessage());
      }
    }
  }

  private Connection connect() throws SQLException {
    Properties properties = new Properties();
    if (!config.databaseUser().isBlank()) {
      properties.setProperty("user", config.databaseUser());
    }
    if (!config.databasePassword().isBlank()) {
      properties.setProperty("password", config.databasePassword());
    }
    properties.setProperty("ApplicationName", APPLICATION_NAME);
    return DriverManager.getConnection(config.databaseUrl(), properties);
  }

  private void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
