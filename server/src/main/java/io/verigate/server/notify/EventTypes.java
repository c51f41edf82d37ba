package io.verigate.server.notify;

import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The event types an endpoint may ask for; an empty filter means every one of them. */
public final class EventTypes {
  /** Sent only by {@code POST /webhooks/{id}/test}, to that endpoint alone, whatever its filter. */
  public static final String TEST = "webhook.test";
  public static final String ACTIVATION_RECEIVED = "activation.received";

  public static final List<String> ALL = List.of(
      "activation.created", ACTIVATION_RECEIVED, "activation.resend", "activation.finished", "activation.canceled",
      "activation.expired", "activation.banned", "wallet.credited", "wallet.low_balance",
      "email_activation.created", "email_activation.received", "email_activation.finished",
      "email_activation.canceled", "email_activation.expired",
      "esim.ordered", "esim.topped_up", "esim.refunded", "esim.low_data");

  private EventTypes() {}

  /** A filter from the names given; an unknown name is refused rather than silently never matching. */
  public static Set<String> filter(Collection<String> names) {
    Set<String> filter = new LinkedHashSet<>();
    for (String name : names) {
      String type = name.trim();
      if (!ALL.contains(type)) {
        throw new Failure(ErrorCode.BAD_REQUEST, "unknown event type '" + type + "' (one of " + String.join(", ", ALL)
            + ")");
      }
      filter.add(type);
    }
    return filter;
  }
}
