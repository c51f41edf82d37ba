package io.verigate.client.provider;

import java.time.Duration;

/** How a poller waits between checks: the real thread sleep, or a test clock that jumps ahead. */
@FunctionalInterface
public interface Sleeper {
  Sleeper SYSTEM = duration -> Thread.sleep(Math.max(0, duration.toMillis()));

  void sleep(Duration duration) throws InterruptedException;
}
