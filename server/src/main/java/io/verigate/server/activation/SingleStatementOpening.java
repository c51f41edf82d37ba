package io.verigate.server.activation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.verigate.server.inventory.Inventory;
import io.verigate.server.inventory.ReservedNumber;
import io.verigate.server.system.PositionalStatement;
import io.verigate.server.wallet.Ledger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

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

  /**
   * The writes; {@code %1$s} and {@code %2$s} are the event's stamp columns and values when the statement stamps it.
   */
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
        INSERT INTO event (%1$scustomer_id, test, type, activation_id, occurred_at, data)
        SELECT %2$s:customer, FALSE, :eventType, opened.id, :now, '{"activationId":' || opened.id || ','
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

  /** The writes with the event's id and transaction left to the {@code event_stamp} trigger. */
  private static final String WRITES_STAMPED_BY_TRIGGER = WRITES.formatted("", "");

  /**
   * The writes with the event stamped as its transaction's first, which a claiming statement's event always is: the
   * statement is the first write of its transaction and commits it, and the event is its only one. The trigger
   * (migration V15) finds the next id of the transaction with a PL/pgSQL call and an index probe, about 5 % of the
   * server's CPU in a perf profile of purchases; it leaves alone a row that comes with its id (V28).
   */
  private static final String WRITES_STAMPED_AS_FIRST_EVENT = WRITES.formatted("id, xact_id, ",
      "pg_current_xact_id()::text::bigint * 65536, pg_current_xact_id(), ");

  private static final PositionalStatement OPEN_GIVEN = PositionalStatement.of(GIVEN + WRITES_STAMPED_BY_TRIGGER);
  private static final PositionalStatement OPEN_GIVEN_AND_COMMIT =
      PositionalStatement.of(GIVEN + WRITES_STAMPED_BY_TRIGGER + "; COMMIT");

  /**
   * The claiming statement of each allocation query, built once: a handful of allocation queries exist (an operator or
   * any, how many prefixes are excluded, past a cursor or not), and the driver finds its prepared statement by the
   * text, whose 3 KB it hashes. Building it anew for each purchase had made hashing strings the node's busiest method
   * in a profile of purchases. The bound keeps a client who varies the excluded prefixes from growing the map.
   */
  private final Cache<String, PositionalStatement> claimingStatements = Caffeine.newBuilder().maximumSize(64).build();

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
    Map<String, Object> values = values(pending, walletId, memo);
    values.put("number", pending.numberId());
    values.put("phone", pending.phone());
    values.put("country", pending.country());
    values.put("operator", pending.operator());
    values.put("shard", shard);
    return run(h, commit ? OPEN_GIVEN_AND_COMMIT : OPEN_GIVEN, values, walletId).opened()
        .orElseThrow(() -> new IllegalStateException("number " + pending.numberId() + " was leased while reserved"));
  }

  /**
   * Locks the first number {@code claim} finds and a shard of {@code walletId} with room for the price that no other
   * transaction holds, writes {@code pending} (whose number fields are still to come) on them, and commits. When
   * either lock finds nothing the transaction commits having written nothing.
   */
  Claimed claimAndOpen(Handle h, Inventory.Claim claim, Activation pending, long walletId, String memo) {
    PositionalStatement statement = claimingStatements.get(claim.sql(), allocation -> PositionalStatement.of(
        CLAIMED.formatted(allocation, Ledger.freeShardWithRoom("EXISTS (SELECT 1 FROM claimed)"))
            + WRITES_STAMPED_AS_FIRST_EVENT + "; COMMIT"));
    Map<String, Object> values = values(pending, walletId, memo);
    values.putAll(claim.parameters());
    values.put("start", ThreadLocalRandom.current().nextInt(Ledger.SHARDS));
    Claimed claimed = run(h, statement, values, walletId);
    claimed.opened().ifPresent(opened -> claim.claimed(h, opened.number().id(), opened.numberCreatedAt()));
    return claimed;
  }

  /** The values of the writes' parameters. */
  private static Map<String, Object> values(Activation pending, long walletId, String memo) {
    Map<String, Object> values = new HashMap<>();
    values.put("service", pending.service());
    values.put("now", pending.createdAt().atOffset(ZoneOffset.UTC));
    values.put("wallet", walletId);
    values.put("price", pending.price().units());
    values.put("memo", memo);
    values.put("customer", pending.customerId());
    values.put("expires", pending.expiresAt().atOffset(ZoneOffset.UTC));
    values.put("callback", pending.callbackUrl());
    values.put("eventType", ActivationEvents.CREATED);
    values.put("eventData", ActivationEvents.createdDataTemplate(pending));
    values.put("phoneSlot", ActivationEvents.PHONE_SLOT);
    values.put("countrySlot", ActivationEvents.COUNTRY_SLOT);
    values.put("operatorSlot", ActivationEvents.OPERATOR_SLOT);
    return values;
  }

  /**
   * Runs the statement on the transaction's own connection. Written with JDBC rather than through JDBI, whose binding
   * of these 30-odd parameters and mapping of the row cost the node more CPU than the driver's work (see
   * {@link PositionalStatement}); a failure is reported as JDBI reports one, so callers handle both alike.
   */
  private static Claimed run(Handle h, PositionalStatement statement, Map<String, Object> values, long walletId) {
    try (PreparedStatement prepared = statement.prepare(h.getConnection(), values)) {
      prepared.execute();
      try (ResultSet rs = prepared.getResultSet()) {
        if (!rs.next()) {
          throw new IllegalStateException("the opening statement returned no row");
        }
        return claimed(rs, walletId);
      }
    } catch (SQLException e) {
      throw new UnableToExecuteStatementException(e, null);
    }
  }

  private static Claimed claimed(ResultSet rs, long walletId) throws SQLException {
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
  }
}
