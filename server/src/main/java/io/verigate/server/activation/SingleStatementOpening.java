package io.verigate.server.activation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.verigate.server.inventory.Inventory;
import io.verigate.server.inventory.ReservedNumber;
import io.verigate.server.wallet.Ledger;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * The writes that open a live activation, as one PostgreSQL statement: the number's lease and its use for the
 * service, the hold's ledger entry, the activation, its {@code activation.created} event and, last, the held amount
 * of a wallet shard with room for the price. {@link ActivationService} makes the same writes one statement each on H2
 * and for test purchases (whose wallet funds itself); on PostgreSQL a live purchase is the node's busiest transaction,
 * and each statement there is a round trip during which a pooled connection waits. Measured on 2 cores, the
 * statements cost more CPU on both sides than everything else in a purchase together.
 *
 * <p>The statement opens on a number and a shard, which come one of two ways:
 * <ul>
 *   <li>{@link #claimAndOpen}: the statement itself locks the first free own number ({@link Inventory.Claim}) and a
 *   shard with room that no other transaction holds, so a whole purchase is one round trip, sent with its COMMIT.
 *   When either lock finds nothing, nothing is written and the caller learns which.</li>
 *   <li>{@link #open}: the caller has reserved the number and locked the shard earlier in its transaction (a number
 *   from a remote supplier, a shard it had to wait for, a purchase that writes more after this).</li>
 * </ul>
 * The lease comes first and everything else reads its output, so when the number was not free (a bug: it was locked
 * as free) nothing at all is written. The activation's id is drawn from its identity sequence up front, since the
 * lease names it. The event's data is the Java side's JSON with the number's fields filled in by the statement
 * ({@link ActivationEvents#createdDataTemplate}), so it reads exactly as every other path writes it.
 */
final class SingleStatementOpening {
  /** The number and shard the caller locked earlier in its transaction. */
  private static final String GIVEN = """
      WITH claimed AS (
        SELECT CAST(:number AS bigint) AS id, CAST(:phone AS text) AS e164, CAST(:country AS text) AS country,
          CAST(:operator AS text) AS operator, CAST(NULL AS timestamptz) AS created_at
      ), shard AS (
        SELECT CAST(:shard AS integer) AS shard
      )""";

  /** The first free number as the claim selects it, and then a free shard with room, locked by this statement. */
  private static final String CLAIMED = """
      WITH claimed AS MATERIALIZED (
        %s
      ), shard AS MATERIALIZED (
        %s
      )""";

  private static final String WRITES = """
      , drawn AS (
        SELECT nextval(pg_get_serial_sequence('activation', 'id')) AS id, claimed.id AS number_id, claimed.e164,
          claimed.country, claimed.operator, claimed.created_at AS number_created_at, shard.shard
        FROM claimed, shard
      ), leased AS (
        UPDATE phone_number SET active_activation_id = drawn.id FROM drawn
        WHERE phone_number.id = drawn.number_id AND phone_number.active_activation_id IS NULL
        RETURNING drawn.*
      ), used AS (
        INSERT INTO number_use (number_id, service, activation_id, used_at)
        SELECT number_id, :service, id, :now FROM leased
        ON CONFLICT (number_id, service) DO UPDATE SET activation_id = EXCLUDED.activation_id, used_at = EXCLUDED.used_at
        RETURNING activation_id
      ), hold AS (
        INSERT INTO ledger_entry (wallet_id, shard, kind, amount, memo, created_at)
        SELECT :wallet, leased.shard, 'HOLD', :price, :memo, :now FROM leased, used
        RETURNING id
      ), opened AS (
        INSERT INTO activation (id, customer_id, mode, service, country, operator, number_id, phone, price, hold_id,
          status, created_at, expires_at, callback_url)
        SELECT leased.id, :customer, 'live', :service, leased.country, leased.operator, leased.number_id, leased.e164,
          :price, hold.id, 'WAITING', :now, :expires, :callback
        FROM leased, hold
        RETURNING id, hold_id
      ), announced AS (
        INSERT INTO event (customer_id, test, type, activation_id, occurred_at, data)
        SELECT :customer, FALSE, :eventType, opened.id, :now, '{"activationId":' || opened.id || ','
          || substr(replace(replace(replace(:eventData, :phoneSlot, to_json(leased.e164)::text),
            :countrySlot, to_json(leased.country)::text), :operatorSlot, to_json(leased.operator)::text), 2)
        FROM opened, leased
        RETURNING id
      ), reserved AS (
        UPDATE wallet_shard SET held = held + :price FROM leased
        WHERE wallet_id = :wallet AND wallet_shard.shard = leased.shard AND EXISTS (SELECT 1 FROM announced)
        RETURNING wallet_shard.shard
      )
      SELECT (SELECT count(*) FROM claimed) AS claimed, (SELECT count(*) FROM shard) AS shards,
        leased.number_id, leased.e164, leased.country, leased.operator, leased.number_created_at,
        opened.id AS activation_id, opened.hold_id,
        announced.id AS event_id, (SELECT count(*) FROM reserved) AS reserved
      FROM (SELECT 1) AS one
        LEFT JOIN (leased CROSS JOIN opened CROSS JOIN announced) ON TRUE""";

  /**
   * The claiming statement of each allocation query, built once. The statement is then the same string every time, and
   * JDBI's parsed-statement cache and the driver's prepared-statement cache find it by a hash the string keeps, where
   * a string built anew for each purchase made both hash its 3 KB again (hashing strings was the node's busiest method
   * in a profile of purchases). A handful of allocation queries exist (an operator or any, how many prefixes are excluded, past a
   * cursor or not); the bound keeps a client who varies the excluded prefixes from growing the map.
   */
  private final Cache<String, String> claimingStatements = Caffeine.newBuilder().maximumSize(64).build();

  /**
   * What the statement wrote: the number it leased (with its arrival, null when the caller gave it) and the ids the
   * database gave the activation, its hold and event.
   */
  record Opened(ReservedNumber number, OffsetDateTime numberCreatedAt, int activationId, long holdId, long eventId) {}

  /** What {@link #claimAndOpen} did: opened, or found no free number, or no shard free with room. */
  record Claimed(Optional<Opened> opened, boolean noNumber) {}

  /**
   * Writes {@code pending} (an activation whose id and hold are still to come) on its reserved number, holding its
   * price on the {@code shard} of {@code walletId} that the caller locked with room for it; commits as well when
   * {@code commit}.
   */
  Opened open(Handle h, Activation pending, long walletId, int shard, String memo, boolean commit) {
    Query query = h.createQuery(GIVEN + WRITES + (commit ? "; COMMIT" : ""))
        .bind("number", pending.numberId()).bind("phone", pending.phone()).bind("country", pending.country())
        .bind("operator", pending.operator()).bind("shard", shard);
    return run(query, pending, walletId, memo).opened()
        .orElseThrow(() -> new IllegalStateException("number " + pending.numberId() + " was leased while reserved"));
  }

  /**
   * Locks the first number {@code claim} finds and a shard of {@code walletId} with room for the price that no other
   * transaction holds, writes {@code pending} (whose number fields are still to come) on them, and commits. When
   * either lock finds nothing the transaction commits having written nothing.
   */
  Claimed claimAndOpen(Handle h, Inventory.Claim claim, Activation pending, long walletId, String memo) {
    Query query = h.createQuery(claimingStatements.get(claim.sql(), allocation -> CLAIMED.formatted(allocation,
            Ledger.freeShardWithRoom("EXISTS (SELECT 1 FROM claimed)")) + WRITES + "; COMMIT"))
        .bind("start", ThreadLocalRandom.current().nextInt(Ledger.SHARDS));
    claim.parameters().accept(query);
    Claimed claimed = run(query, pending, walletId, memo);
    claimed.opened().ifPresent(opened -> claim.claimed(h, opened.number().id(), opened.numberCreatedAt()));
    return claimed;
  }

  private static Claimed run(Query query, Activation pending, long walletId, String memo) {
    query.bind("service", pending.service()).bind("now", pending.createdAt().atOffset(ZoneOffset.UTC))
        .bind("wallet", walletId).bind("price", pending.price().units()).bind("memo", memo)
        .bind("customer", pending.customerId()).bind("expires", pending.expiresAt().atOffset(ZoneOffset.UTC))
        .bind("callback", pending.callbackUrl())
        .bind("eventType", ActivationEvents.CREATED).bind("eventData", ActivationEvents.createdDataTemplate(pending))
        .bind("phoneSlot", ActivationEvents.PHONE_SLOT).bind("countrySlot", ActivationEvents.COUNTRY_SLOT)
        .bind("operatorSlot", ActivationEvents.OPERATOR_SLOT);
    return query.map((rs, ctx) -> {
      if (rs.getLong("claimed") == 0 || rs.getLong("shards") == 0) {
        return new Claimed(Optional.empty(), rs.getLong("claimed") == 0);
      }
      if (rs.getObject("activation_id") == null) {
        return new Claimed(Optional.empty(), false);
      }
      if (rs.getLong("reserved") != 1) {
        throw new IllegalStateException("shard of wallet " + walletId + " was not found for its hold");
      }
      ReservedNumber number = new ReservedNumber(rs.getLong("number_id"), rs.getString("e164"),
          rs.getString("country"), rs.getString("operator"));
      return new Claimed(Optional.of(new Opened(number, rs.getObject("number_created_at", OffsetDateTime.class),
          rs.getInt("activation_id"), rs.getLong("hold_id"), rs.getLong("event_id"))), false);
    }).one();
  }
}
