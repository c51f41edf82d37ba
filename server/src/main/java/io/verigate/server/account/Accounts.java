package io.verigate.server.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.verigate.server.system.Database;
import io.verigate.server.system.NodeEvents;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Customers and their API keys: creation by the operator, authentication on every request. */
public final class Accounts {
  /**
   * How long a key lookup is trusted without the database. A revocation reaches other nodes as a node event at once;
   * this bounds how late it lands on a node that missed the event.
   */
  private static final Duration KEY_CACHE_TTL = Duration.ofSeconds(5);
  static final String REVOKED_CHANNEL = "verigate_key_revoked";

  private final Database db;
  private final Clock clock;
  private final NodeEvents events;
  // Keyed by the SHA-256 of the presented key, so the cache never holds a usable secret.
  private final Cache<String, Optional<Principal>> principals = Caffeine.newBuilder()
      .expireAfterWrite(KEY_CACHE_TTL)
      .maximumSize(100_000)
      .build();

  private final CustomerSetup setup;

  /** What else a new customer needs, written in the transaction that creates it (its wallets). */
  public interface CustomerSetup {
    void created(Handle h, long customerId);
  }

  public Accounts(Database db, Clock clock, NodeEvents events, CustomerSetup setup) {
    this.db = db;
    this.clock = clock;
    this.events = events;
    this.setup = setup;
    events.subscribe(REVOKED_CHANNEL, keyId -> principals.invalidateAll(), principals::invalidateAll);
  }

  public record Customer(long id, String name, Instant createdAt) {}

  /** A freshly issued key: {@code key} is shown once and never stored. */
  public record IssuedKey(String key, String keyId, long customerId, Mode mode, String label) {}

  public record KeyInfo(String keyId, long customerId, Mode mode, String label, Instant createdAt, Instant revokedAt) {}

  public Customer createCustomer(String name) {
    if (name == null || name.isBlank() || name.length() > 200) {
      throw new Failure(ErrorCode.BAD_REQUEST, "name is required (at most 200 characters)");
    }
    OffsetDateTime now = OffsetDateTime.now(clock);
    long id = db.inTransaction(h -> {
      long created = h.createUpdate("INSERT INTO customer (name, created_at) VALUES (:n, :t)")
          .bind("n", name.trim()).bind("t", now)
          .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
      setup.created(h, created);
      return created;
    });
    return new Customer(id, name.trim(), now.toInstant());
  }

  public Optional<Customer> customer(long id) {
    return db.withHandle(h -> h.createQuery("SELECT id, name, created_at FROM customer WHERE id = :id")
        .bind("id", id)
        .map((rs, ctx) -> new Customer(rs.getLong("id"), rs.getString("name"),
            rs.getObject("created_at", OffsetDateTime.class).toInstant()))
        .findOne());
  }

  public List<Customer> customers() {
    return db.withHandle(h -> h.createQuery("SELECT id, name, created_at FROM customer ORDER BY id")
        .map((rs, ctx) -> new Customer(rs.getLong("id"), rs.getString("name"),
            rs.getObject("created_at", OffsetDateTime.class).toInstant()))
        .list());
  }

  public IssuedKey issueKey(long customerId, Mode mode, String label) {
    requireCustomer(customerId);
    String key = ApiKeyFormat.generate(mode);
    String keyId = ApiKeyFormat.parse(key).orElseThrow().keyId();
    String safeLabel = label == null || label.isBlank() ? "default" : label.trim();
    db.inTransaction(h -> h.createUpdate("INSERT INTO api_key (customer_id, key_id, secret_hash, mode, label, created_at) "
            + "VALUES (:c, :k, :s, :m, :l, :t)")
        .bind("c", customerId).bind("k", keyId).bind("s", ApiKeyFormat.sha256(key))
        .bind("m", mode.sqlName()).bind("l", safeLabel).bind("t", OffsetDateTime.now(clock))
        .execute());
    return new IssuedKey(key, keyId, customerId, mode, safeLabel);
  }

  public List<KeyInfo> keys(long customerId) {
    return db.withHandle(h -> h.createQuery("SELECT key_id, customer_id, mode, label, created_at, revoked_at "
            + "FROM api_key WHERE customer_id = :c ORDER BY id")
        .bind("c", customerId)
        .map((rs, ctx) -> new KeyInfo(rs.getString("key_id"), rs.getLong("customer_id"), Mode.fromSql(rs.getString("mode")),
            rs.getString("label"), rs.getObject("created_at", OffsetDateTime.class).toInstant(),
            Optional.ofNullable(rs.getObject("revoked_at", OffsetDateTime.class)).map(OffsetDateTime::toInstant).orElse(null)))
        .list());
  }

  public void revokeKey(String keyId) {
    int updated = db.inTransaction(h -> h.createUpdate("UPDATE api_key SET revoked_at = :t WHERE key_id = :k AND revoked_at IS NULL")
        .bind("t", OffsetDateTime.now(clock)).bind("k", keyId).execute());
    if (updated == 0) {
      throw new Failure(ErrorCode.NOT_FOUND, "no active key with id " + keyId);
    }
    principals.invalidateAll();
    events.publish(REVOKED_CHANNEL, keyId);
  }

  /** The caller behind a presented key, or empty for a malformed, unknown or revoked key. */
  public Optional<Principal> authenticate(String presented) {
    Optional<ApiKeyFormat.Parsed> parsed = ApiKeyFormat.parse(presented);
    if (parsed.isEmpty()) {
      return Optional.empty();
    }
    String hash = ApiKeyFormat.sha256(presented);
    return principals.get(hash, ignored -> lookup(parsed.get(), hash));
  }

  private Optional<Principal> lookup(ApiKeyFormat.Parsed parsed, String hash) {
    record Row(long customerId, String mode, String hash) {}
    Optional<Row> row = db.withHandle(h -> h.createQuery(
            "SELECT customer_id, mode, secret_hash FROM api_key WHERE key_id = :k AND revoked_at IS NULL")
        .bind("k", parsed.keyId())
        .map((rs, ctx) -> new Row(rs.getLong("customer_id"), rs.getString("mode"), rs.getString("secret_hash")))
        .findOne());
    return row.filter(r -> MessageDigest.isEqual(r.hash().getBytes(StandardCharsets.US_ASCII), hash.getBytes(StandardCharsets.US_ASCII)))
        .map(r -> new Principal(r.customerId(), Mode.fromSql(r.mode()), parsed.keyId()));
  }

  private void requireCustomer(long customerId) {
    if (customer(customerId).isEmpty()) {
      throw new Failure(ErrorCode.NOT_FOUND, "no customer with id " + customerId);
    }
  }
}
