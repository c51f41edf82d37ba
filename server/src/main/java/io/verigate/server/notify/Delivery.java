package io.verigate.server.notify;

import java.time.Instant;
import java.util.Locale;

/**
 * One event sent to one endpoint, and how its last attempt went: the receiver's HTTP status (null when none came),
 * the time to its answer, its first bytes, or the error that stopped it.
 */
public record Delivery(long id, long endpointId, long eventId, String eventType, State state, int attempts,
    Instant createdAt, Instant lastAttemptAt, Integer responseStatus, Integer latencyMillis, String responseExcerpt,
    String lastError) {

  /** {@code PENDING} until a 2xx ({@code SUCCEEDED}) or the end of the retries ({@code FAILED}). */
  public enum State {
    PENDING, SUCCEEDED, FAILED;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The {@code webhook-id}: the event's, the same on every attempt and replay, so a receiver can drop repeats. */
  public String messageId() {
    return "evt_" + eventId;
  }
}
