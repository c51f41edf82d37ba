package io.verigate.client.provider;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * A {@link FailoverProvider}'s work as Micrometer meters: {@code verigate.client.purchases} (numbers bought, by
 * provider, country and service) and {@code verigate.client.outcomes} (each route's attempt, by provider, country,
 * service and outcome, timed from purchase to outcome). Micrometer is an optional dependency of the SDK: add
 * {@code io.micrometer:micrometer-core} to use this class; nothing else in the SDK needs it.
 *
 * <pre>{@code
 * FailoverProvider providers = FailoverProvider.builder().provider(...).listener(new FailoverMetrics(registry)).build();
 * }</pre>
 */
public final class FailoverMetrics implements FailoverListener {
  private final MeterRegistry registry;

  public FailoverMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void bought(String provider, String country, String service, BigDecimal price) {
    Counter.builder("verigate.client.purchases")
        .description("Numbers bought through the failover")
        .tags("provider", provider, "country", country, "service", service)
        .register(registry)
        .increment();
  }

  @Override
  public void outcome(String provider, String country, String service, String outcome, Duration took) {
    Timer.builder("verigate.client.outcomes")
        .description("Each route's attempt, from its purchase to a code or a failure")
        .tags("provider", provider, "country", country, "service", service, "outcome", outcome)
        .register(registry)
        .record(took);
  }
}
