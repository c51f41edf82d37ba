package io.verigate.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the rest of the machine did during one measured window: the share of CPU time the host stole from this virtual
 * machine (it steals in bursts, and a window hit by one says little about the code), the CPU time all processes spent
 * (so that what other processes, such as other builds, took can be told), and, when given, the CPU time PostgreSQL
 * spent. One watch per window: {@link #start} at its start, {@link #stop} at its end.
 */
class MachineWatch {
  /** Watches nothing: for the runs that print neither figure. */
  static final MachineWatch NONE = new MachineWatch(null) {
    @Override
    void start() {}

    @Override
    void stop() {}
  };

  private final PostgresCpu postgres;
  private long[] cpuAtStart;
  private long[] cpuAtEnd;
  private PostgresCpu.Snapshot postgresAtStart;
  private double postgresSeconds;
  private double postgresSharedSeconds;

  private MachineWatch(PostgresCpu postgres) {
    this.postgres = postgres;
  }

  static MachineWatch steal() {
    return new MachineWatch(null);
  }

  static MachineWatch stealAndPostgres(PostgresCpu postgres) {
    return new MachineWatch(postgres);
  }

  void start() {
    cpuAtStart = machineCpu();
    if (postgres != null) {
      postgresAtStart = postgres.snapshot();
    }
  }

  void stop() {
    cpuAtEnd = machineCpu();
    if (postgres != null) {
      PostgresCpu.Snapshot end = postgres.snapshot();
      postgresSeconds = end.secondsSince(postgresAtStart);
      postgresSharedSeconds = end.sharedSecondsSince(postgresAtStart);
    }
  }

  /** Stolen time as a percentage of all the CPU time the machine's cores had in the window. */
  double stealPercent() {
    long total = 0;
    // user nice system idle iowait irq softirq steal: guest time is already counted in user and nice.
    for (int i = 0; i < 8; i++) {
      total += cpuAtEnd[i] - cpuAtStart[i];
    }
    return total == 0 ? 0 : 100.0 * (cpuAtEnd[7] - cpuAtStart[7]) / total;
  }

  /** CPU time every process on the machine spent in the window (user, nice, system, irq, softirq). */
  double busyCpuSeconds() {
    long busy = 0;
    for (int i : new int[] {0, 1, 2, 5, 6}) {
      busy += cpuAtEnd[i] - cpuAtStart[i];
    }
    return busy / (double) PostgresCpu.TICKS_PER_SECOND;
  }

  /** PostgreSQL's CPU time in the window (see {@link PostgresCpu} for whose); 0 when not watched. */
  double postgresCpuSeconds() {
    return postgresSeconds;
  }

  /** The part of {@link #postgresCpuSeconds} outside this database's backends (see {@link PostgresCpu}). */
  double postgresSharedCpuSeconds() {
    return postgresSharedSeconds;
  }

  /** The aggregate {@code cpu} line of /proc/stat, in clock ticks: user nice system idle iowait irq softirq steal ... */
  private static long[] machineCpu() {
    try {
      String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long[] ticks = new long[fields.length - 1];
      for (int i = 1; i < fields.length; i++) {
        ticks[i - 1] = Long.parseLong(fields[i]);
      }
      return ticks;
    } catch (IOException e) {
      throw new UncheckedIOException("this benchmark reads /proc/stat, so it runs on Linux only", e);
    }
  }
}
