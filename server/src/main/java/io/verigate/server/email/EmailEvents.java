package io.verigate.server.email;

import io.verigate.server.account.Mode;
import io.verigate.server.activation.ActivationStatus;
import io.verigate.server.system.EventLog;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Writes each email activation transition to the event log in the transaction that makes it, as SMS activations do:
 * {@code email_activation.created}, {@code .received} when a letter with a code or link lands, and one event per way
 * it ends. Webhooks and Server-Sent Events read them from the log like every other event. The events carry no
 * {@code activation_id}: that column names SMS activations, whose per-activation streams must not mix the two.
 */
public final class EmailEvents {
  public static final String CREATED = "email_activation.created";
  public static final String RECEIVED = "email_activation.received";

  private final EventLog log;

  EmailEvents(EventLog log) {
    this.log = log;
  }

  void created(Handle h, EmailActivation opened) {
    append(h, CREATED, opened);
  }

  void changed(Handle h, EmailActivation before, EmailActivation after) {
    type(before, after).ifPresent(type -> append(h, type, after));
  }

  private static Optional<String> type(EmailActivation before, EmailActivation after) {
    ActivationStatus was = before.status();
    ActivationStatus is = after.status();
    if (was.isLive() && !is.isLive()) {
      return Optional.of("email_activation." + is.name().toLowerCase(Locale.ROOT));
    }
    if (is == ActivationStatus.RECEIVED && !after.receivedAt().equals(before.receivedAt())) {
      return Optional.of(RECEIVED);
    }
    return Optional.empty();
  }

  private void append(Handle h, String type, EmailActivation a) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("emailActivationId", a.id());
    data.put("status", a.status().name());
    data.put("emailAddress", a.address());
    data.put("site", a.site());
    data.put("domain", a.domain());
    data.put("price", a.price().toDecimalString());
    if (type.equals(RECEIVED)) {
      data.put("otpValue", a.otpCode());
      data.put("otpLink", a.otpLink());
      data.put("subject", a.subject());
      data.put("from", a.from());
    }
    log.append(h, a.customerId(), a.mode() == Mode.TEST, type, null, data);
  }
}
