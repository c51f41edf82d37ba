package io.verigate.bench;

import java.util.Arrays;

/**
 * Every sample of one measurement, kept whole so percentiles are exact (nearest rank) rather than estimated: a
 * run holds at most a few hundred thousand samples. Recorders on many threads share one instance.
 */
final class Latencies {
  private long[] nanos = new long[1024];
  private int count;

  synchronized void add(long sampleNanos) {
    if (count == nanos.length) {
      nanos = Arrays.copyOf(nanos, count * 2);
    }
    nanos[count++] = sampleNanos;
  }

  synchronized int count() {
    return count;
  }

  /** The sample at or below which the fraction {@code p} of all samples lie, in milliseconds; 0 when empty. */
  synchronized double percentileMillis(double p) {
    if (count == 0) {
      return 0;
    }
    long[] sorted = Arrays.copyOf(nanos, count);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p * count);
    return sorted[Math.max(0, Math.min(count, rank) - 1)] / 1e6;
  }

  double maxMillis() {
    return percentileMillis(1.0);
  }

  /** {@code p50 / p99 / max} in milliseconds, as the tables show it. */
  String summary() {
    return String.format("%.1f / %.1f / %.1f", percentileMillis(0.50), percentileMillis(0.99), maxMillis());
  }
}
