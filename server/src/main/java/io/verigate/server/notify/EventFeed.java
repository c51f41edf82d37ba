package io.verigate.server.notify;

import io.verigate.server.system.EventLog;
import java.util.List;
import java.util.Set;

/**
 * Where streams read events from: the durable event log's {@link EventLog#after}, as a function so that the registry
 * can be tried without a database.
 */
@FunctionalInterface
public interface EventFeed {
  List<EventLog.Event> after(long customerId, boolean test, long afterId, Set<String> types, Long activationId,
      int limit);
}
