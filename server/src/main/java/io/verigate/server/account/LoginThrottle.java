package io.verigate.server.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Limits password guessing on the dashboard: after a few failed log-ins for one email from one address, or many from
 * one address for any email, further attempts are refused until the window has passed since the first failure. It
 * also limits the sign-ups one address makes, where the operator allows sign-ups. Kept
 * in this node's memory: behind a load balancer each node counts its own, which still bounds guessing to a few
 * attempts per node and window.
 */
public final class LoginThrottle {
  static final Duration WINDOW = Duration.ofMinutes(15);
  static final int PER_EMAIL = 5;
  static final int PER_ADDRESS = 20;
  /** Sign-ups one address may make per window: enough for an office, too few to flood the node with customers. */
  static final int SIGN_UPS_PER_ADDRESS = 10;

  private final Cache<String, AtomicInteger> counts;

  public LoginThrottle(Clock clock) {
    this.counts = Caffeine.newBuilder().expireAfterWrite(WINDOW)
        .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
        .maximumSize(100_000).build();
  }

  /** Refuses an attempt while its address, or its email from that address, has failed too often. */
  void check(String clientAddress, String email) {
    if (count("addr:" + clientAddress) >= PER_ADDRESS || count("email:" + clientAddress + ":" + email) >= PER_EMAIL) {
      throw new Failure(ErrorCode.RATE_LIMITED, "too many failed log-ins; try again in "
          + WINDOW.toMinutes() + " minutes");
    }
  }

  /** Counts a sign-up from an address, refusing it when the address made too many within the window. */
  void signUp(String clientAddress) {
    AtomicInteger made = counts.get("signup:" + clientAddress, k -> new AtomicInteger());
    if (made.incrementAndGet() > SIGN_UPS_PER_ADDRESS) {
      throw new Failure(ErrorCode.RATE_LIMITED, "too many sign-ups from this address; try again in "
          + WINDOW.toMinutes() + " minutes");
    }
  }

  void failed(String clientAddress, String email) {
    // Counted from the first failure: raising a counter is no write, so later counts do not extend the window.
    counts.get("addr:" + clientAddress, k -> new AtomicInteger()).incrementAndGet();
    counts.get("email:" + clientAddress + ":" + email, k -> new AtomicInteger()).incrementAndGet();
  }

  private int count(String key) {
    AtomicInteger n = counts.getIfPresent(key);
    return n == null ? 0 : n.get();
  }
}
