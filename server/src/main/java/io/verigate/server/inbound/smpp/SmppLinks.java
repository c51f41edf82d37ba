package io.verigate.server.inbound.smpp;

import io.verigate.server.inbound.Reassembly;
import io.verigate.server.inventory.NumberSources;
import io.verigate.server.system.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every SMPP link of this node: one per source of type smpp, bound while the node runs. The links follow the sources'
 * settings, so a source the operator adds or changes through the admin API binds (again) within seconds. Long
 * messages are reassembled by the core's {@link Reassembly}, whose sweep the node runs.
 */
public final class SmppLinks implements AutoCloseable {
  /** How soon a new or changed source binds: the cost is one small read per node. */
  private static final Duration REFRESH = Duration.ofSeconds(1);

  private final NumberSources sources;
  private final Scheduler scheduler;
  private final SmppIntake intake;
  private final Map<Long, SmppLink> running = new HashMap<>();
  private boolean closed;

  public SmppLinks(NumberSources sources, Reassembly reassembly, Scheduler scheduler, Clock clock) {
    this.sources = sources;
    this.scheduler = scheduler;
    this.intake = new SmppIntake(reassembly, sources, clock);
  }

  public void start() {
    refresh();
    scheduler.every(REFRESH, "smpp link refresh", this::refresh);
  }

  /** Binds the links of new sources, rebinds those whose settings changed. */
  synchronized void refresh() {
    if (closed) {
      return;
    }
    Map<Long, NumberSources.SmppLink> wanted = sources.smppLinks().stream()
        .collect(Collectors.toMap(link -> link.source().id(), Function.identity()));
    running.values().removeIf(link -> {
      boolean stale = !link.config().equals(wanted.get(link.config().source().id()));
      if (stale) {
        link.close();
      }
      return stale;
    });
    wanted.forEach((sourceId, config) -> running.computeIfAbsent(sourceId, id -> {
      SmppLink link = new SmppLink(config, sources, intake);
      link.start();
      return link;
    }));
  }

  /** How many links this node runs now. */
  public synchronized int size() {
    return running.size();
  }

  /** Unbinds every link; the node closes its database only after this returns. */
  @Override
  public synchronized void close() {
    closed = true;
    running.values().forEach(SmppLink::close);
    running.clear();
  }
}
