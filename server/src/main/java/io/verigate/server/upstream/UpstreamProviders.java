package io.verigate.server.upstream;

import io.verigate.client.provider.Endpoint;
import io.verigate.client.provider.FailoverProvider;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The registered upstreams as one SDK {@link FailoverProvider}, tried in the order {@link UpstreamQuotes} ranks them
 * for each purchase: an upstream whose circuit is open skipped, routes with poor health in the rolling window tried
 * last. The failover is built once and rebuilt only when the registered upstreams change, so its circuits and health carry over from purchase to purchase; another
 * node's registration is seen within {@link #REFRESH}.
 */
final class UpstreamProviders {
  static final Duration REFRESH = Duration.ofSeconds(15);

  /** The failover and the upstreams it was built from, by name. */
  record Current(List<Upstream> upstreams, FailoverProvider failover, Map<String, ResoldProvider> byName,
      Instant readAt) {}

  private final Upstreams upstreams;
  private final Clock clock;
  private final Duration timeout;
  private final HttpClient http;
  private volatile Current current;

  UpstreamProviders(Upstreams upstreams, Clock clock, Duration timeout) {
    this.upstreams = upstreams;
    this.clock = clock;
    this.timeout = timeout;
    // One client for every upstream: a connection that cannot be made within the timeout counts as a provider down.
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** The failover over today's upstreams; empty when none is registered. */
  Optional<Current> current() {
    Current seen = current;
    if (seen == null || !clock.instant().isBefore(seen.readAt().plus(REFRESH))) {
      seen = reload();
    }
    return seen.failover() == null ? Optional.empty() : Optional.of(seen);
  }

  /** Reads the upstreams again, keeping the failover (and its circuits) when they did not change. */
  synchronized Current reload() {
    List<Upstream> now = upstreams.all();
    Current before = current;
    if (before != null && before.upstreams().equals(now)) {
      current = new Current(now, before.failover(), before.byName(), clock.instant());
    } else {
      current = build(now);
    }
    return current;
  }

  private Current build(List<Upstream> list) {
    if (list.isEmpty()) {
      return new Current(list, null, Map.of(), clock.instant());
    }
    Map<String, ResoldProvider> byName = list.stream()
        .map(upstream -> new ResoldProvider(upstream, upstream.protocol().provider(upstream.name(), endpoint(upstream)),
            clock))
        .collect(Collectors.toMap(ResoldProvider::name, Function.identity()));
    FailoverProvider.Builder failover = FailoverProvider.builder().name("upstreams").clock(clock);
    list.forEach(upstream -> failover.provider(byName.get(upstream.name())));
    return new Current(list, failover.build(), byName, clock.instant());
  }

  private Endpoint endpoint(Upstream upstream) {
    return Endpoint.of(upstream.baseUrl().toString(), upstream.key())
        .withHttpClient(http)
        .withRequestTimeout(timeout);
  }
}
