package io.verigate.server.inbound;

import io.verigate.server.account.Principal;
import io.verigate.server.activation.ActivationService;
import io.verigate.server.system.Database;
import java.time.OffsetDateTime;
import java.util.List;

/** Every SMS an activation received, oldest first, for the customer who owns it. */
public final class Inbox {
  private final Database db;
  private final ActivationService activations;

  public Inbox(Database db, ActivationService activations) {
    this.db = db;
    this.activations = activations;
  }

  public List<StoredSms> messages(Principal principal, int activationId) {
    activations.get(principal, activationId);
    return db.withHandle(h -> h.createQuery("SELECT id, sender, text, code, received_at FROM inbound_message "
            + "WHERE activation_id = :a ORDER BY id")
        .bind("a", activationId)
        .map((rs, ctx) -> new StoredSms(rs.getLong("id"), rs.getString("sender"), rs.getString("text"),
            rs.getString("code"), rs.getObject("received_at", OffsetDateTime.class).toInstant()))
        .list());
  }
}
