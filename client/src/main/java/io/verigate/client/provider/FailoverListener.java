package io.verigate.client.provider;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * What a {@link FailoverProvider} reports as it works, for metrics or logs: {@link FailoverMetrics} records it in a
 * Micrometer registry. Every method does nothing unless overridden, and is called on the thread doing the work, so it
 * must return quickly.
 */
public interface FailoverListener {
  /** Hears nothing. */
  FailoverListener NONE = new FailoverListener() {};

  /** A route sold a number. */
  default void bought(String provider, String country, String service, BigDecimal price) {}

  /**
   * A route's attempt ended after {@code took}: {@code "code"} when a code arrived, otherwise the failure's
   * {@link ProviderException.Reason} ({@code NO_NUMBERS}, {@code TIMEOUT}, ...). A call that was given up (an interrupt)
   * is no outcome and is not reported.
   */
  default void outcome(String provider, String country, String service, String outcome, Duration took) {}
}
