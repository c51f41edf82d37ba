package io.verigate.server.system;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Node events over PostgreSQL's LISTEN/NOTIFY. Publishing never blocks the caller: events queue for one thread that
 * sends whatever has gathered as one {@code pg_notify} per channel, after the changes' own transactions (a NOTIFY
 * inside them would serialise every commit on the notification queue's lock), so under load many changes share one
 * round trip. Listening takes a connection of its own, outside the pool, watched by another thread; when it drops,
 * the node stops trusting its caches until a new connection listens again and the gap handlers have run.
 */
final class PostgresNodeEvents implements NodeEvents {
  private static final Logger log = LoggerFactory.getLogger(PostgresNodeEvents.class);
  /** What the listening connection calls itself in pg_stat_activity. */
  static final String APPLICATION_NAME = "verigate-node-events";
  private static final int WAIT_MILLIS = 500;
  /** A connection whose peer vanished without a reset shows no error while idle, so it is checked this often. */
  private static final Duration CHECK_EVERY = Duration.ofSeconds(10);
  private static final Duration RETRY_AFTER = Duration.ofSeconds(2);
  /** Separates the events one notification carries; payloads never contain it. */
  private static final String SEPARATOR = "\n";
  /** PostgreSQL refuses a payload of 8000 bytes or more. */
  private static final int MAX_NOTIFICATION_BYTES = 7000;
  /** Beyond this many unsent events, more are dropped: the caches they would refresh age out on their own. */
  private static final int MAX_QUEUED = 100_000;

  private record Event(String channel, String payload) {}

  private record Subscriber(Consumer<String> onEvent, Runnable onGap) {}

  private final Database db;
  private final Config config;
  private final Map<String, List<Subscriber>> subscribers = new ConcurrentHashMap<>();
  private final Thread listener = new Thread(this::listen, "verigate-node-events");
  private final BlockingQueue<Event> unsent = new LinkedBlockingQueue<>(MAX_QUEUED);
  private final Thread sender = new Thread(this::sendQueued, "verigate-node-events-out");
  private volatile boolean listening;
  private volatile boolean closed;

  PostgresNodeEvents(Database db, Config config) {
    this.db = db;
    this.config = config;
    listener.setDaemon(true);
    sender.setDaemon(true);
  }

  @Override
  public void publish(String channel, String payload) {
    if (payload.contains(SEPARATOR)) {
      throw new IllegalArgumentException("a node event's payload is one line, got '" + payload + "'");
    }
    if (!unsent.offer(new Event(channel, payload))) {
      log.warn("node events: {} unsent already, dropping {} {}", MAX_QUEUED, channel, payload);
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
    sender.start();
  }

  /** Stops listening and sends what is still queued, so other nodes hear of this node's last changes. */
  @Override
  public void close() {
    closed = true;
    listener.interrupt();
    sender.interrupt();
    try {
      sender.join(Duration.ofSeconds(5).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    send(drainUnsent(new ArrayList<>()));
  }

  private void sendQueued() {
    while (!closed) {
      try {
        Event first = unsent.take();
        send(drainUnsent(new ArrayList<>(List.of(first))));
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private List<Event> drainUnsent(List<Event> batch) {
    unsent.drainTo(batch);
    return batch;
  }

  /** One notification per channel and at most {@link #MAX_NOTIFICATION_BYTES}, each carrying several events. */
  private void send(List<Event> events) {
    Map<String, List<String>> byChannel = new LinkedHashMap<>();
    events.forEach(e -> byChannel.computeIfAbsent(e.channel(), c -> new ArrayList<>()).add(e.payload()));
    byChannel.forEach((channel, payloads) -> {
      StringJoiner notification = new StringJoiner(SEPARATOR);
      int bytes = 0;
      for (String payload : payloads) {
        int size = payload.getBytes(StandardCharsets.UTF_8).length + 1;
        if (bytes > 0 && bytes + size > MAX_NOTIFICATION_BYTES) {
          notify(channel, notification.toString());
          notification = new StringJoiner(SEPARATOR);
          bytes = 0;
        }
        notification.add(payload);
        bytes += size;
      }
      notify(channel, notification.toString());
    });
  }

  private void notify(String channel, String payload) {
    try {
      db.withHandle(h -> h.createQuery("SELECT pg_notify(:channel, :payload)")
          .bind("channel", channel).bind("payload", payload)
          .mapTo(String.class).list());
    } catch (RuntimeException e) {
      // The changes are committed; other nodes see them once their cached copies age out.
      log.warn("could not tell the other nodes about {} events on {}: {}", payload.split(SEPARATOR).length, channel,
          e.getMessage());
    }
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
        for (PGNotification notification : arrived) {
          for (String payload : notification.getParameter().split(SEPARATOR)) {
            dispatch(notification.getName(), payload);
          }
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
