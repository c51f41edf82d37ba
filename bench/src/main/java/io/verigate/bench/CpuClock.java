package io.verigate.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;

/**
 * CPU time this process (node and load generators together) has used. Over a run's wall time it tells how many cores
 * the run actually got: on a machine busy with other work, far fewer than it has.
 */
final class CpuClock {
  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private CpuClock() {}

  static long nanos() {
    return OS.getProcessCpuTime();
  }
}
