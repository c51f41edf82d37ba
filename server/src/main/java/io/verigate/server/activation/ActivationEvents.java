package io.verigate.server.activation;

import io.verigate.server.account.Mode;
import io.verigate.server.system.EventLog;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Writes each activation transition to the event log, in the transaction that makes it: {@code activation.created}
 * on purchase, {@code activation.received} when a code arrives, {@code activation.resend} when the customer asks for
 * another, and one event per way an activation ends. A message without a code changes no status and writes none.
 */
final class ActivationEvents {
  static final String CREATED = "activation.created";
  static final String RECEIVED = "activation.received";
  static final String RESEND = "activation.resend";
  /** The data field naming the URL the purchase asked this activation's events to be posted to, when it did. */
  static final String CALLBACK_URL = "callbackUrl";

  private final EventLog log;

  ActivationEvents(EventLog log) {
    this.log = log;
  }

  void created(Handle h, Activation opened) {
    append(h, CREATED, opened);
  }

  /** Records what {@code before} becoming {@code after} means to the customer, if anything. */
  void changed(Handle h, Activation before, Activation after) {
    type(before, after).ifPresent(type -> append(h, type, after));
  }

  private static Optional<String> type(Activation before, Activation after) {
    if (before.status().isLive() && !after.status().isLive()) {
      return Optional.of("activation." + after.status().name().toLowerCase(Locale.ROOT));
    }
    if (before.status() == ActivationStatus.RECEIVED && after.status() == ActivationStatus.WAITING) {
      return Optional.of(RESEND);
    }
    if (after.hasCode() && after.status().isLive() && !after.codeAt().equals(before.codeAt())) {
      return Optional.of(RECEIVED);
    }
    return Optional.empty();
  }

  /** Where {@link #createdDataTemplate} leaves a number's field for the statement that leases it to fill in. */
  static final String PHONE_SLOT = "\"<phone>\"";
  static final String COUNTRY_SLOT = "\"<country>\"";
  static final String OPERATOR_SLOT = "\"<operator>\"";

  /**
   * The created event's data without its leading {@code activationId}, as a JSON object whose phone, country and
   * operator are the slots above (no real value looks like them), for a statement that inserts the event itself,
   * prefixes the id it generates and fills in the number it leased (see {@link SingleStatementOpening}).
   */
  static String createdDataTemplate(Activation pending) {
    Map<String, Object> data = data(CREATED, pending);
    data.remove("activationId");
    data.put("phone", "<phone>");
    data.put("country", "<country>");
    data.put("operator", "<operator>");
    return EventLog.dataJson(data);
  }

  /** Hands the created event that {@link SingleStatementOpening} inserted to the log's listeners. */
  void createdBy(Handle h, Activation opened, long eventId) {
    log.inserted(h, new EventLog.Event(eventId, opened.customerId(), opened.mode() == Mode.TEST, CREATED,
        (long) opened.id(), opened.createdAt(), EventLog.dataJson(data(CREATED, opened))));
  }

  private void append(Handle h, String type, Activation a) {
    log.append(h, a.customerId(), a.mode() == Mode.TEST, type, (long) a.id(), data(type, a));
  }

  private static Map<String, Object> data(String type, Activation a) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("activationId", a.id());
    data.put("status", a.status().name());
    data.put("phone", a.phone());
    data.put("service", a.service());
    data.put("country", a.country());
    data.put("operator", a.operator());
    data.put("price", a.price().toDecimalString());
    if (type.equals(RECEIVED)) {
      data.put("code", a.code());
      data.put("text", a.smsText());
      data.put("from", a.smsFrom());
    }
    if (a.callbackUrl() != null) {
      data.put(CALLBACK_URL, a.callbackUrl());
    }
    return data;
  }
}
