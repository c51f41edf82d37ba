package io.verigate.server.activation;

import java.time.ZoneOffset;
import org.jdbi.v3.core.Handle;

/**
 * The writes that open a live activation on a reserved number, as one PostgreSQL statement: the number's lease and
 * its use for the service, the hold's ledger entry, the activation, its {@code activation.created} event and, last,
 * the held amount of the wallet shard the caller locked with room for the price. {@link ActivationService}
 * makes the same writes one statement each on H2 and for test purchases (whose wallet funds itself); on PostgreSQL a
 * live purchase is the node's busiest transaction, and each statement there is a round trip during which a pooled
 * connection waits. Measured on 2 cores, the five statements cost more CPU on both sides than everything else in a
 * purchase together.
 *
 * <p>The lease comes first and everything else reads its output, so when the number was not free (a bug: the purchase
 * locked it as free) nothing at all is written. The activation's id is drawn from its identity sequence up front,
 * since the lease names it. When the caller lets it, the statement's COMMIT travels with it (see
 * {@code Database.executeLast}), so the locks end without another round trip.
 */
final class SingleStatementOpening {
  private static final String SQL = """
      WITH drawn AS (
        SELECT nextval(pg_get_serial_sequence('activation', 'id')) AS id
      ), leased AS (
        UPDATE phone_number SET active_activation_id = drawn.id FROM drawn
        WHERE phone_number.id = :number AND phone_number.active_activation_id IS NULL
        RETURNING drawn.id
      ), used AS (
        INSERT INTO number_use (number_id, service, activation_id, used_at)
        SELECT :number, :service, id, :now FROM leased
        ON CONFLICT (number_id, service) DO UPDATE SET activation_id = EXCLUDED.activation_id, used_at = EXCLUDED.used_at
        RETURNING activation_id
      ), hold AS (
        INSERT INTO ledger_entry (wallet_id, shard, kind, amount, memo, created_at)
        SELECT :wallet, :shard, 'HOLD', :price, :memo, :now FROM used
        RETURNING id
      ), opened AS (
        INSERT INTO activation (id, customer_id, mode, service, country, operator, number_id, phone, price, hold_id,
          status, created_at, expires_at, callback_url)
        SELECT used.activation_id, :customer, 'live', :service, :country, :operator, :number, :phone, :price, hold.id,
          'WAITING', :now, :expires, :callback
        FROM used, hold
        RETURNING id, hold_id
      ), announced AS (
        INSERT INTO event (customer_id, test, type, activation_id, occurred_at, data)
        SELECT :customer, FALSE, :eventType, id, :now, '{"activationId":' || id || ',' || substr(:eventRest, 2)
        FROM opened
        RETURNING id
      ), reserved AS (
        UPDATE wallet_shard SET held = held + :price
        WHERE wallet_id = :wallet AND shard = :shard AND EXISTS (SELECT 1 FROM announced)
        RETURNING shard
      )
      SELECT opened.id AS activation_id, opened.hold_id, announced.id AS event_id,
        (SELECT count(*) FROM reserved) AS reserved
      FROM opened, announced""";

  /** What the statement wrote: the ids the database gave the activation, its hold and its event. */
  record Opened(int activationId, long holdId, long eventId) {}

  /**
   * Writes {@code pending} (an activation whose id and hold are still to come) on its reserved number, holding its
   * price on the {@code shard} of {@code walletId} that the caller locked with room for it; commits as well when
   * {@code commit}. {@code eventRest} is the created event's data
   * without its activation id (see {@link ActivationEvents#createdDataAfterId}).
   */
  Opened open(Handle h, Activation pending, long walletId, int shard, String memo, String eventRest, boolean commit) {
    String sql = commit ? SQL + "; COMMIT" : SQL;
    Opened opened = h.createQuery(sql)
        .bind("number", pending.numberId()).bind("service", pending.service()).bind("now", utc(pending))
        .bind("wallet", walletId).bind("shard", shard).bind("price", pending.price().units()).bind("memo", memo)
        .bind("customer", pending.customerId()).bind("country", pending.country())
        .bind("operator", pending.operator()).bind("phone", pending.phone())
        .bind("expires", pending.expiresAt().atOffset(ZoneOffset.UTC)).bind("callback", pending.callbackUrl())
        .bind("eventType", ActivationEvents.CREATED).bind("eventRest", eventRest)
        .map((rs, ctx) -> {
          if (rs.getLong("reserved") != 1) {
            throw new IllegalStateException("shard " + shard + " of wallet " + walletId + " was not found for its hold");
          }
          return new Opened(rs.getInt("activation_id"), rs.getLong("hold_id"), rs.getLong("event_id"));
        })
        .findOne()
        .orElseThrow(() -> new IllegalStateException("number " + pending.numberId() + " was leased while reserved"));
    return opened;
  }

  private static java.time.OffsetDateTime utc(Activation pending) {
    return pending.createdAt().atOffset(ZoneOffset.UTC);
  }
}
