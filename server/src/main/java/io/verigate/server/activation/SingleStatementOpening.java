package io.verigate.server.activation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.verigate.server.inventory.Inventory;
import io.verigate.server.inventory.ReservedNumber;
import io.verigate.server.system.PositionalStatement;
import io.verigate.server.wallet.Ledger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 *   <li>{@link #claimAndOpen}: the statement itself locks free own numbers ({@link Inventory.Claim}) and shards with
 *   room that no other transaction holds, and opens several purchases at once ({@link ClaimingBatches} gathers
 *   them), so a whole purchase is a share of one round trip, sent with its COMMIT. A purchase left without a number
 *   or a shard has nothing written, and the caller learns why.</li>
 *   <li>{@link #open}: the caller has reserved the number and locked the shard earlier in its transaction (a number
 *   from a remote supplier, a shard it had to wait for, a purchase that writes more after this).</li>
 * </ul>
 * The lease comes first and everything else reads its output, so when a number was not free (a bug: it was locked
 * as free) nothing is written for its purchase. The ids of the activation and its hold are drawn from their sequences
 * up front, since the lease names the one and the activation the other. The event's data is the Java side's JSON with the number's fields filled in by the statement
 * ({@link ActivationEvents#createdDataTemplate}), so it reads exactly as every other path writes it.
 */
final class SingleStatementOpening {
  /** The purchase, the number and the shard the caller locked earlier in its transaction. */
  private static final String GIVEN = """
      WITH wanted AS (
        SELECT CAST(1 AS bigint) AS n, CAST(:customer AS bigint) AS customer, CAST(:wallet AS bigint) AS wallet,
          CAST(:price AS bigint) AS price, CAST(:eventData AS text) AS event_data
      ), claimed AS (
        SELECT CAST(1 AS bigint) AS rank, CAST(:number AS bigint) AS id, CAST(:phone AS text) AS e164,
          CAST(:country AS text) AS country, CAST(:operator AS text) AS operator, CAST(NULL AS timestamptz) AS created_at
      ), funded AS (
        SELECT CAST(:wallet AS bigint) AS wallet, CAST(:shard AS integer) AS shard
      )""";

  /**
   * The purchases, one per element of the arrays; as many free numbers as there are purchases, as the claim selects
   * them; and for each wallet a free shard with room for all of its purchases. Locked by this statement.
   */
  private static final String CLAIMED = """
      WITH wanted AS MATERIALIZED (
        SELECT * FROM unnest(CAST(:customers AS bigint[]), CAST(:wallets AS bigint[]), CAST(:prices AS bigint[]),
          CAST(:eventData AS text[])) WITH ORDINALITY AS w(customer, wallet, price, event_data, n)
      ), claimed AS MATERIALIZED (
        SELECT row_number() OVER () AS rank, numbers.* FROM (%s) AS numbers
      ), funded AS MATERIALIZED (
        SELECT buyers.wallet, room.shard
        FROM (SELECT wallet, sum(price) AS total FROM wanted GROUP BY wallet) AS buyers CROSS JOIN LATERAL (%s) AS room
      )""";

  /**
   * The writes. The purchases of funded wallets are paired with the claimed numbers in order; a purchase left without
   * a number or a shard writes nothing. {@code %1$s} and {@code %2$s} are the event's stamp columns and values when
   * the statement stamps it.
   */
  private static final String WRITES = """
      , paired AS (
        SELECT claimed.id AS number_id, claimed.e164, claimed.country, claimed.operator,
          claimed.created_at AS number_created_at, buyer.n, buyer.rank, buyer.customer, buyer.wallet, buyer.price,
          buyer.event_data, buyer.shard
        FROM (SELECT wanted.*, funded.shard, row_number() OVER (ORDER BY wanted.n) AS rank
          FROM wanted JOIN funded USING (wallet)) AS buyer
          JOIN claimed ON claimed.rank = buyer.rank
      ), drawn AS (
        SELECT paired.*, nextval(pg_get_serial_sequence('activation', 'id')) AS id,
          nextval(pg_get_serial_sequence('ledger_entry', 'id')) AS hold_id
        FROM paired
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
        INSERT INTO ledger_entry (id, wallet_id, shard, kind, amount, memo, created_at)
        SELECT leased.hold_id, leased.wallet, leased.shard, 'HOLD', leased.price, :memo, :now
        FROM leased JOIN used ON used.activation_id = leased.id
        RETURNING id
      ), opened AS (
        INSERT INTO activation (id, customer_id, mode, service, country, operator, number_id, phone, price, hold_id,
          status, created_at, expires_at, callback_url)
        SELECT leased.id, leased.customer, 'live', :service, leased.country, leased.operator, leased.number_id,
          leased.e164, leased.price, hold.id, 'WAITING', :now, :expires, :callback
        FROM leased JOIN hold ON hold.id = leased.hold_id
        RETURNING id
      ), announced AS (
        INSERT INTO event (%1$scustomer_id, test, type, activation_id, occurred_at, data)
        SELECT %2$sleased.customer, FALSE, :eventType, opened.id, :now, '{"activationId":' || opened.id || ','
          || substr(replace(replace(replace(leased.event_data, :phoneSlot, to_json(leased.e164)::text),
            :countrySlot, to_json(leased.country)::text), :operatorSlot, to_json(leased.operator)::text), 2)
        FROM opened JOIN leased ON leased.id = opened.id
        RETURNING id, activation_id
      ), reserved AS (
        UPDATE wallet_shard SET held = held + held_now.total
        FROM (SELECT leased.wallet, leased.shard, sum(leased.price) AS total
          FROM leased JOIN announced ON announced.activation_id = leased.id GROUP BY leased.wallet, leased.shard) AS held_now
        WHERE wallet_shard.wallet_id = held_now.wallet AND wallet_shard.shard = held_now.shard
        RETURNING wallet_shard.wallet_id
      )
      SELECT wanted.n, (SELECT count(*) FROM claimed) AS claimed, funded.shard IS NOT NULL AS funded,
        done.number_id, done.e164, done.country, done.operator, done.number_created_at, done.id AS activation_id,
        done.hold_id, done.event_id, (SELECT count(*) FROM reserved) AS reserved,
        (SELECT count(DISTINCT wallet) FROM leased) AS holding_wallets
      FROM wanted LEFT JOIN funded USING (wallet)
        LEFT JOIN (SELECT leased.*, announced.id AS event_id FROM leased JOIN announced ON announced.activation_id = leased.id)
          AS done ON done.n = wanted.n
      ORDER BY wanted.n""";

  /** The writes with the events' ids and transaction left to the {@code event_stamp} trigger. */
  private static final String WRITES_STAMPED_BY_TRIGGER = WRITES.formatted("", "");

  /**
   * The writes with the events stamped as their transaction's first ones, which a claiming statement's events always
   * are: the statement is the first write of its transaction and commits it, and its events are its only ones, in
   * the order of the purchases. The trigger (migration V15) finds the next id of the transaction with a PL/pgSQL call
   * and an index probe, about 5 % of the server's CPU in a perf profile of purchases; it leaves alone a row that comes
   * with its id (V28).
   */
  private static final String WRITES_STAMPED_AS_FIRST_EVENTS = WRITES.formatted("id, xact_id, ",
      "pg_current_xact_id()::text::bigint * 65536 + leased.rank - 1, pg_current_xact_id(), ");

  private static final PositionalStatement OPEN_GIVEN = PositionalStatement.of(GIVEN + WRITES_STAMPED_BY_TRIGGER);
  private static final PositionalStatement OPEN_GIVEN_AND_COMMIT =
      PositionalStatement.of(GIVEN + WRITES_STAMPED_BY_TRIGGER + "; COMMIT");

  /**
   * The claiming statement of each allocation query and number of purchases, built once: a handful of allocation
   * queries exist (an operator or any, how many prefixes are excluded, past a cursor or not), and the driver finds
   * its prepared statement by the text, whose 4 KB it hashes. Building it anew for each purchase had made hashing
   * strings the node's busiest method in a profile of purchases. The bound keeps a client who varies the excluded
   * prefixes from growing the map.
   */
  private final Cache<String, PositionalStatement> claimingStatements = Caffeine.newBuilder().maximumSize(256).build();

  /**
   * What the statement wrote for one purchase: the number it leased (with its arrival, null when the caller gave it)
   * and the ids the database gave the activation, its hold and event.
   */
  record Opened(ReservedNumber number, OffsetDateTime numberCreatedAt, int activationId, long holdId, long eventId) {}

  /**
   * What {@link #claimAndOpen} did for one purchase: opened it, or found no free number at all, or left it to the
   * caller (no shard of its wallet was free with room, or the numbers ran out before its turn).
   */
  record Claimed(Optional<Opened> opened, boolean noNumber) {}

  /** A purchase to open: its activation, still without its id, hold and (when claimed) number, and its wallet. */
  record Buying(Activation pending, long walletId) {}

  /**
   * Writes {@code pending} (an activation whose id and hold are still to come) on its reserved number, holding its
   * price on the {@code shard} of {@code walletId} that the caller locked with room for it; commits as well when
   * {@code commit}.
   */
  Opened open(Handle h, Activation pending, long walletId, int shard, String memo, boolean commit) {
    Map<String, Object> values = common(pending, memo);
    values.put("customer", pending.customerId());
    values.put("wallet", walletId);
    values.put("price", pending.price().units());
    values.put("eventData", ActivationEvents.createdDataTemplate(pending));
    values.put("number", pending.numberId());
    values.put("phone", pending.phone());
    values.put("country", pending.country());
    values.put("operator", pending.operator());
    values.put("shard", shard);
    return run(h, commit ? OPEN_GIVEN_AND_COMMIT : OPEN_GIVEN, values).get(0).opened()
        .orElseThrow(() -> new IllegalStateException("number " + pending.numberId() + " was leased while reserved"));
  }

  /**
   * Locks as many numbers as {@code claim} finds for the purchases (all of them bought at one moment, with the same
   * callback), and for each wallet among them a shard with room for all of its purchases that no other transaction
   * holds; writes each purchase that got both on its number, and commits. Answers for each purchase, in order.
   */
  List<Claimed> claimAndOpen(Handle h, Inventory.Claim claim, List<Buying> purchases, String memo) {
    Activation first = purchases.get(0).pending();
    if (purchases.stream().anyMatch(p -> !p.pending().createdAt().equals(first.createdAt())
        || !Objects.equals(p.pending().callbackUrl(), first.callbackUrl()))) {
      throw new IllegalArgumentException("the purchases of one statement are bought at one moment, with one callback");
    }
    String allocation = claim.locking().apply(purchases.size());
    PositionalStatement statement = claimingStatements.get(allocation, sql -> PositionalStatement.of(
        CLAIMED.formatted(sql, Ledger.freeShardWithRoom("buyers.wallet", "buyers.total", ":start",
            "EXISTS (SELECT 1 FROM claimed)")) + WRITES_STAMPED_AS_FIRST_EVENTS + "; COMMIT"));
    Map<String, Object> values = common(first, memo);
    values.putAll(claim.parameters());
    values.put("start", ThreadLocalRandom.current().nextInt(Ledger.SHARDS));
    try {
      Connection connection = h.getConnection();
      values.put("customers", connection.createArrayOf("bigint",
          purchases.stream().map(p -> p.pending().customerId()).toArray()));
      values.put("wallets", connection.createArrayOf("bigint", purchases.stream().map(Buying::walletId).toArray()));
      values.put("prices", connection.createArrayOf("bigint",
          purchases.stream().map(p -> p.pending().price().units()).toArray()));
      values.put("eventData", connection.createArrayOf("text",
          purchases.stream().map(p -> ActivationEvents.createdDataTemplate(p.pending())).toArray()));
    } catch (SQLException e) {
      throw new UnableToExecuteStatementException(e, null);
    }
    List<Claimed> claimed = run(h, statement, values);
    claimed.forEach(each -> each.opened().ifPresent(
        opened -> claim.claimed(h, opened.number().id(), opened.numberCreatedAt())));
    return claimed;
  }

  /** The values of the parameters that every purchase of a statement shares. */
  private static Map<String, Object> common(Activation pending, String memo) {
    Map<String, Object> values = new HashMap<>();
    values.put("service", pending.service());
    values.put("now", pending.createdAt().atOffset(ZoneOffset.UTC));
    values.put("memo", memo);
    values.put("expires", pending.expiresAt().atOffset(ZoneOffset.UTC));
    values.put("callback", pending.callbackUrl());
    values.put("eventType", ActivationEvents.CREATED);
    values.put("phoneSlot", ActivationEvents.PHONE_SLOT);
    values.put("countrySlot", ActivationEvents.COUNTRY_SLOT);
    values.put("operatorSlot", ActivationEvents.OPERATOR_SLOT);
    return values;
  }

  /**
   * Runs the statement on the transaction's own connection. Written with JDBC rather than through JDBI, whose binding
   * of these 30-odd parameters and mapping of the rows cost the node more CPU than the driver's work (see
   * {@link PositionalStatement}); a failure is reported as JDBI reports one, so callers handle both alike.
   */
  private static List<Claimed> run(Handle h, PositionalStatement statement, Map<String, Object> values) {
    try (PreparedStatement prepared = statement.prepare(h.getConnection(), values)) {
      prepared.execute();
      List<Claimed> claimed = new ArrayList<>();
      try (ResultSet rs = prepared.getResultSet()) {
        while (rs.next()) {
          claimed.add(claimed(rs));
        }
      }
      return claimed;
    } catch (SQLException e) {
      throw new UnableToExecuteStatementException(e, null);
    }
  }

  private static Claimed claimed(ResultSet rs) throws SQLException {
    if (rs.getLong("claimed") == 0) {
      return new Claimed(Optional.empty(), true);
    }
    if (!rs.getBoolean("funded") || rs.getObject("activation_id") == null) {
      return new Claimed(Optional.empty(), false);
    }
    if (rs.getLong("reserved") != rs.getLong("holding_wallets")) {
      throw new IllegalStateException("a shard was not found for its holds");
    }
    ReservedNumber number = new ReservedNumber(rs.getLong("number_id"), rs.getString("e164"),
        rs.getString("country"), rs.getString("operator"));
    return new Claimed(Optional.of(new Opened(number, rs.getObject("number_created_at", OffsetDateTime.class),
        rs.getInt("activation_id"), rs.getLong("hold_id"), rs.getLong("event_id"))), false);
  }
}
