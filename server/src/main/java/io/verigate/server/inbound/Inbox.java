package io.verigate.server.inbound;

import io.verigate.server.account.Principal;
import io.verigate.server.activation.Activation;
import io.verigate.server.activation.ActivationMemory;
import io.verigate.server.activation.ActivationService;
import io.verigate.server.system.Database;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Every SMS an activation received, oldest first, for the customer who owns it. */
public final class Inbox {
  private final Database db;
  private final ActivationService activations;
  /**
   * Each activation's messages as last read, so that a poll showing them (5sim's check) costs no database read. A
   * message reaches an activation only through {@link ActivationService#deliver}, a change of the activation, which
   * drops the entry.
   */
  private final ActivationMemory<List<StoredSms>> recent;

  public Inbox(Database db, ActivationService activations) {
    this.db = db;
    this.activations = activations;
    this.recent = activations.memory();
  }

  public List<StoredSms> messages(Principal principal, int activationId) {
    return messagesOf(activations.get(principal, activationId));
  }

  /** The messages of an activation the caller read through {@link ActivationService}, which proved it its customer's. */
  public List<StoredSms> messagesOf(Activation activation) {
    return recent.get(activation.id(), id -> List.copyOf(messagesOf(List.of(id)).getOrDefault(id, List.of())));
  }

  /**
   * The messages of several activations in one read, keyed by activation id (absent when it has none), for
   * lists of orders. The caller passes ids it already read through {@link ActivationService}, which proved
   * they belong to its customer.
   */
  public Map<Integer, List<StoredSms>> messagesOf(Collection<Integer> activationIds) {
    if (activationIds.isEmpty()) {
      return Map.of();
    }
    return db.withHandle(h -> h.createQuery("SELECT activation_id, id, sender, text, code, received_at FROM inbound_message "
            + "WHERE activation_id IN (<ids>) ORDER BY id")
        .bindList("ids", List.copyOf(activationIds))
        .reduceRows(new HashMap<Integer, List<StoredSms>>(), (acc, row) -> {
          StoredSms sms = new StoredSms(row.getColumn("id", Long.class), row.getColumn("sender", String.class),
              row.getColumn("text", String.class), row.getColumn("code", String.class),
              row.getColumn("received_at", OffsetDateTime.class).toInstant());
          acc.computeIfAbsent(row.getColumn("activation_id", Integer.class), id -> new ArrayList<>()).add(sms);
          return acc;
        }));
  }
}
