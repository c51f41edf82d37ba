package io.verigate.server.notify;

import java.time.Instant;
import java.util.Set;

/**
 * A URL a customer's events of one mode are posted to. {@code eventTypes} filters them (empty: every type);
 * {@code disabledReason} says why the node disabled it (a 410, days of failures), null when the customer did or it is
 * enabled; {@code previousSecretUntil} is the end of a rotation's overlap, while the old secret still signs too.
 * Its secrets are never part of it: they are read only to sign.
 */
public record Endpoint(long id, WebhookOwner owner, String url, Set<String> eventTypes, WebhookFormat format,
    boolean enabled, String disabledReason, Instant previousSecretUntil, Instant failingSince, Instant createdAt) {

  /** Whether an event of this type goes to this endpoint at all. */
  boolean wants(String type) {
    if (!enabled || !(eventTypes.isEmpty() || eventTypes.contains(type))) {
      return false;
    }
    return format != WebhookFormat.SMS_ACTIVATE || type.equals(EventTypes.ACTIVATION_RECEIVED);
  }
}
