package io.verigate.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.stream.Stream;

/**
 * The CPU time (user + system, from /proc/<pid>/stat) of the PostgreSQL server on this machine: every process named
 * {@code postgres} (postmaster, WAL writer, checkpointer, this database's backends) except the backends of other
 * databases, which other builds on a shared machine may be using. The server-wide processes work for those databases
 * too, so their part is told apart. A process that exits inside a window takes its time with it; the node's pooled
 * backends, which do the work measured here, live for the whole run.
 */
final class PostgresCpu implements AutoCloseable {
  private static final Path PROC = Path.of("/proc");
  /** The unit of /proc's CPU times. */
  static final long TICKS_PER_SECOND = clockTicksPerSecond();

  /** CPU ticks per process at one moment, and which of the processes were this database's backends. */
  record Snapshot(Map<Long, Long> ticks, Set<Long> ourBackends) {
    /** PostgreSQL's CPU time since the earlier snapshot. */
    double secondsSince(Snapshot earlier) {
      return secondsSince(earlier, pid -> true);
    }

    /**
     * The part of it spent outside this database's backends: postmaster, WAL writer, checkpointer and the like, which
     * work for every database on the server, so for other builds' too.
     */
    double sharedSecondsSince(Snapshot earlier) {
      return secondsSince(earlier, pid -> !ourBackends.contains(pid) && !earlier.ourBackends.contains(pid));
    }

    private double secondsSince(Snapshot earlier, LongPredicate counted) {
      long spent = 0;
      for (Map.Entry<Long, Long> now : ticks.entrySet()) {
        if (counted.test(now.getKey())) {
          // A process started inside the window spent all its time in it.
          spent += now.getValue() - earlier.ticks.getOrDefault(now.getKey(), 0L);
        }
      }
      return spent / (double) TICKS_PER_SECOND;
    }
  }

  /** Kept open for the whole run, so that no backend starts or ends just to ask which backends are whose. */
  private final Connection connection;

  PostgresCpu(String databaseUrl) throws SQLException {
    this.connection = DriverManager.getConnection(databaseUrl);
  }

  Snapshot snapshot() {
    Set<Long> others = backends("datname <> current_database()");
    Map<Long, Long> ticks = new HashMap<>();
    try (Stream<Path> processes = Files.list(PROC)) {
      processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
        long pid = Long.parseLong(p.getFileName().toString());
        if (!others.contains(pid)) {
          cpuTicksIfPostgres(p).ifPresent(t -> ticks.put(pid, t));
        }
      });
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc: " + e, e);
    }
    return new Snapshot(ticks, backends("datname = current_database()"));
  }

  private Set<Long> backends(String condition) {
    Set<Long> pids = new HashSet<>();
    try (Statement s = connection.createStatement();
        ResultSet rows = s.executeQuery("SELECT pid FROM pg_stat_activity WHERE " + condition)) {
      while (rows.next()) {
        pids.add(rows.getLong(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read pg_stat_activity: " + e.getMessage(), e);
    }
    return pids;
  }

  /** utime + stime of a {@code postgres} process; empty for any other process, or one that just ended. */
  private static Optional<Long> cpuTicksIfPostgres(Path process) {
    try {
      if (!Files.readString(process.resolve("comm"), StandardCharsets.UTF_8).trim().equals("postgres")) {
        return Optional.empty();
      }
      String stat = Files.readString(process.resolve("stat"), StandardCharsets.UTF_8);
      // Fields after the command name (which may hold spaces, hence the last ')'): state is field 3, utime 14, stime 15.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Optional.of(Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
    } catch (IOException e) {
      // ended between the listing and the read, or not ours to read: not a PostgreSQL process we can count
      return Optional.empty();
    }
  }

  /** USER_HZ: 100 on every common Linux build; asked of getconf in case this one differs. */
  private static long clockTicksPerSecond() {
    try {
      Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      return getconf.waitFor() == 0 ? Long.parseLong(out) : 100;
    } catch (IOException | NumberFormatException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      // the connection is gone either way
    }
  }
}
