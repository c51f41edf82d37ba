package io.verigate.server.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.verigate.server.system.Database;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.system.NodeEvents;
import io.verigate.server.system.Timestamps;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

/**
 * API keys: issued by the operator or by the customer's own keys, each with scopes, an optional address allowlist
 * and expiry; revoked at once or rotated with an overlap during which old and new both work.
 *
 * <p>Only a key's SHA-256 is stored. Lookups are cached per node for a few seconds, keyed by that hash; expiry is
 * checked against the clock on every use, and a revocation or rotation reaches every node at once as a node event.
 */
public final class ApiKeys {
  private static final Duration CACHE_TTL = Duration.ofSeconds(5);
  /** The longest overlap a rotation may grant the old key: long enough for any deploy, short of forgetting it. */
  public static final Duration MAX_OVERLAP = Duration.ofDays(30);
  static final String CHANGED_CHANNEL = "verigate_key_changed";
  private static final String COLUMNS = "key_id, customer_id, mode, label, scopes, allowed_ips, created_at, expires_at, "
      + "revoked_at, replaced_by, last_used_at, last_used_address";
  /** How precisely a key's last use is kept. */
  private static final Duration NOTED_USE_PRECISION = Duration.ofSeconds(1);

  private final Database db;
  private final Clock clock;
  private final NodeEvents events;
  private final int maxActivePerCustomer;
  private final Audit audit;
  // Keyed by the SHA-256 of the presented key, so the cache never holds a usable secret.
  private final Cache<String, Optional<Key>> byHash = Caffeine.newBuilder()
      .expireAfterWrite(CACHE_TTL)
      .maximumSize(100_000)
      .build();
  /** Last uses not yet written: one row update per key per flush, not one per request. */
  private final Map<String, Use> pendingUses = new ConcurrentHashMap<>();

  /** What a new key is allowed to do. A null expiry never expires; an empty allowlist admits any address. */
  public record NewKey(Mode mode, String label, Set<Scope> scopes, List<AddressRange> allowedIps, Instant expiresAt) {
    /** A key with every scope, usable from anywhere, never expiring. */
    public static NewKey unrestricted(Mode mode, String label) {
      return new NewKey(mode, label, Scope.ALL, List.of(), null);
    }
  }

  public enum State { ACTIVE, EXPIRED, REVOKED }

  /** A key as its owner sees it; never its secret. */
  public record Key(String keyId, long customerId, Mode mode, String label, Set<Scope> scopes,
      List<AddressRange> allowedIps, Instant createdAt, Instant expiresAt, Instant revokedAt, String replacedBy,
      Instant lastUsedAt, String lastUsedAddress) {

    public State stateAt(Instant now) {
      if (revokedAt != null) {
        return State.REVOKED;
      }
      return expiresAt != null && !now.isBefore(expiresAt) ? State.EXPIRED : State.ACTIVE;
    }

    Key lastUsed(Use use) {
      return use == null || (lastUsedAt != null && !use.at().isAfter(lastUsedAt)) ? this
          : new Key(keyId, customerId, mode, label, scopes, allowedIps, createdAt, expiresAt, revokedAt, replacedBy,
              use.at(), use.address());
    }
  }

  /** A freshly issued key: {@code secret} is shown once and never stored. */
  public record IssuedKey(String secret, Key key) {}

  record Use(Instant at, String address) {}

  public ApiKeys(Database db, Clock clock, NodeEvents events, int maxActivePerCustomer, Audit audit) {
    this.db = db;
    this.clock = clock;
    this.events = events;
    this.maxActivePerCustomer = maxActivePerCustomer;
    this.audit = audit;
    events.subscribe(CHANGED_CHANNEL, keyId -> byHash.invalidateAll(), byHash::invalidateAll);
  }

  /** Issues a key with any mode and scopes, as the operator or the node itself. */
  public IssuedKey issue(Actor actor, long customerId, NewKey spec) {
    return db.inTransaction(h -> {
      IssuedKey issued = insert(h, customerId, spec);
      audit.record(h, new AuditEntry(actor, AuditAction.KEY_CREATED, "key:" + issued.key().keyId(), details(issued.key())));
      return issued;
    });
  }

  /**
   * Issues a key as a customer's own key {@code caller}: of the caller's mode and with no scope the caller lacks,
   * so a key can never mint a stronger one.
   */
  public IssuedKey issue(Principal caller, String clientAddress, NewKey spec) {
    if (spec.mode() != caller.mode()) {
      throw new Failure(ErrorCode.FORBIDDEN, "a " + caller.mode().sqlName() + " key manages only "
          + caller.mode().sqlName() + " keys");
    }
    requireScopes(caller, spec.scopes());
    return issue(Actor.customer(caller, clientAddress), caller.customerId(), spec);
  }

  /** Every key of a customer, as the operator sees them. */
  public List<Key> list(long customerId) {
    return db.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM api_key WHERE customer_id = :c ORDER BY id")
        .bind("c", customerId)
        .map((rs, ctx) -> key(rs))
        .list())
        .stream().map(k -> k.lastUsed(pendingUses.get(k.keyId()))).toList();
  }

  /** The keys a caller manages: its customer's keys of its own mode. */
  public List<Key> list(Principal caller) {
    return list(caller.customerId()).stream().filter(k -> k.mode() == caller.mode()).toList();
  }

  /** The customer a key belongs to, for the operator's calls that name only the key. */
  public long owner(String keyId) {
    return db.withHandle(h -> h.createQuery("SELECT customer_id FROM api_key WHERE key_id = :k").bind("k", keyId)
        .mapTo(Long.class).findOne())
        .orElseThrow(() -> new Failure(ErrorCode.NOT_FOUND, "no key with id " + keyId));
  }

  /** Revokes one of the customer's keys at once, as the operator; a key that is already revoked is not found. */
  public Key revoke(Actor actor, long customerId, String keyId) {
    return revoke(actor, customerId, keyId, key -> { });
  }

  /** Revokes a key of the caller's own customer and mode. */
  public Key revoke(Principal caller, String clientAddress, String keyId) {
    return revoke(Actor.customer(caller, clientAddress), caller.customerId(), keyId, key -> requireSameMode(caller, key));
  }

  private Key revoke(Actor actor, long customerId, String keyId, Consumer<Key> authorise) {
    Key revoked = db.inTransaction(h -> {
      Key key = lockActive(h, customerId, keyId);
      authorise.accept(key);
      h.createUpdate("UPDATE api_key SET revoked_at = :t WHERE key_id = :k")
          .bind("t", now()).bind("k", keyId).execute();
      audit.record(h, new AuditEntry(actor, AuditAction.KEY_REVOKED, "key:" + keyId, Map.of("customerId", customerId)));
      return reload(h, key.keyId());
    });
    changed(keyId);
    return revoked;
  }

  /**
   * Replaces a key by a new one with the same label, mode, scopes, allowlist and expiry. The old key keeps working
   * for {@code overlap} (zero ends it now), so a deploy can switch to the new key without an outage.
   */
  public IssuedKey rotate(Actor actor, long customerId, String keyId, Duration overlap) {
    return rotate(actor, customerId, keyId, overlap, key -> { });
  }

  /** Rotates a key of the caller's own customer and mode that has no scope the caller lacks (it gets the new secret). */
  public IssuedKey rotate(Principal caller, String clientAddress, String keyId, Duration overlap) {
    return rotate(Actor.customer(caller, clientAddress), caller.customerId(), keyId, overlap, key -> {
      requireSameMode(caller, key);
      requireScopes(caller, key.scopes());
    });
  }

  private IssuedKey rotate(Actor actor, long customerId, String keyId, Duration overlap, Consumer<Key> authorise) {
    if (overlap.isNegative() || overlap.compareTo(MAX_OVERLAP) > 0) {
      throw new Failure(ErrorCode.BAD_REQUEST, "the overlap must be between 0 and " + MAX_OVERLAP.toDays() + " days");
    }
    IssuedKey issued = db.inTransaction(h -> {
      Key old = lockActive(h, customerId, keyId);
      authorise.accept(old);
      if (old.replacedBy() != null) {
        throw new Failure(ErrorCode.INVALID_STATE, "key " + keyId + " was already rotated to " + old.replacedBy());
      }
      Instant end = instantNow().plus(overlap);
      if (old.expiresAt() != null && old.expiresAt().isBefore(end)) {
        end = old.expiresAt();
      }
      IssuedKey fresh = insertUnchecked(h, customerId,
          new NewKey(old.mode(), old.label(), old.scopes(), old.allowedIps(), old.expiresAt()));
      h.createUpdate("UPDATE api_key SET replaced_by = :n, expires_at = :e WHERE key_id = :k")
          .bind("n", fresh.key().keyId()).bind("e", end.atOffset(ZoneOffset.UTC)).bind("k", keyId).execute();
      audit.record(h, new AuditEntry(actor, AuditAction.KEY_ROTATED, "key:" + keyId,
          Map.of("customerId", customerId, "replacedBy", fresh.key().keyId(), "oldKeyEndsAt", Timestamps.format(end))));
      return fresh;
    });
    changed(keyId);
    return issued;
  }

  /** The key behind a presented secret, or empty for a malformed, unknown or revoked one (expired keys are returned). */
  public Optional<Key> find(String presented) {
    if (presented == null) {
      return Optional.empty();
    }
    // Hashed first: a key found in the cache was parsed when it was put there (the same string has the same hash),
    // so the requests that follow, nearly all of them, skip the parse.
    String hash = ApiKeyFormat.sha256(presented);
    Optional<Key> cached = byHash.getIfPresent(hash);
    if (cached != null) {
      return cached;
    }
    Optional<ApiKeyFormat.Parsed> parsed = ApiKeyFormat.parse(presented);
    if (parsed.isEmpty()) {
      return Optional.empty();
    }
    // Looked up outside the cache's lock: a lookup waiting for a connection must not hold up other keys' requests
    // (the cache's compute locks a whole bin of keys); two concurrent misses of one key both read, harmlessly.
    Optional<Key> found = lookup(parsed.get().keyId(), hash);
    byHash.put(hash, found);
    return found;
  }

  /**
   * Notes a use of a key; written to the database by {@link #flushUses()}. A use within a second of the one already
   * noted, from the same address, changes nothing worth writing and is only read: a key polled from many threads
   * at once would otherwise have them all queue on the one entry's lock.
   */
  public void noteUse(String keyId, Instant at, String address) {
    Use noted = pendingUses.get(keyId);
    if (noted != null && Objects.equals(noted.address(), address)
        && !at.isAfter(noted.at().plus(NOTED_USE_PRECISION))) {
      return;
    }
    pendingUses.put(keyId, new Use(at, address));
  }

  /** Writes the last use of every key used since the previous flush. */
  public void flushUses() {
    if (pendingUses.isEmpty()) {
      return;
    }
    Map<String, Use> batch = Map.copyOf(pendingUses);
    db.inTransaction(h -> {
      var update = h.prepareBatch("UPDATE api_key SET last_used_at = :t, last_used_address = :a "
          + "WHERE key_id = :k AND (last_used_at IS NULL OR last_used_at < :t)");
      batch.forEach((keyId, use) -> update.bind("k", keyId).bind("t", use.at().atOffset(ZoneOffset.UTC))
          .bind("a", use.address()).add());
      return update.execute();
    });
    batch.forEach(pendingUses::remove);
  }

  /** What the audit log keeps of a new key: its settings, never its secret. */
  private static Map<String, Object> details(Key key) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("customerId", key.customerId());
    detail.put("mode", key.mode().sqlName());
    detail.put("label", key.label());
    detail.put("scopes", Scope.format(key.scopes()));
    if (!key.allowedIps().isEmpty()) {
      detail.put("allowedIps", AddressRange.format(key.allowedIps()));
    }
    if (key.expiresAt() != null) {
      detail.put("expiresAt", Timestamps.format(key.expiresAt()));
    }
    return detail;
  }

  private static void requireSameMode(Principal caller, Key key) {
    if (key.mode() != caller.mode()) {
      // Keys of the other mode are invisible to the caller, so this one does not exist for it.
      throw new Failure(ErrorCode.NOT_FOUND, "no key with id " + key.keyId());
    }
  }

  private static void requireScopes(Principal caller, Set<Scope> wanted) {
    if (!caller.scopes().containsAll(wanted)) {
      throw new Failure(ErrorCode.SCOPE_REQUIRED, "a key manages only keys with scopes it has itself ("
          + Scope.format(caller.scopes()) + ")");
    }
  }

  private IssuedKey insert(Handle h, long customerId, NewKey spec) {
    // Locking the customer row serialises concurrent issues for one customer, so the cap cannot be overrun.
    if (h.createQuery("SELECT id FROM customer WHERE id = :c FOR UPDATE").bind("c", customerId).mapTo(Long.class)
        .findOne().isEmpty()) {
      throw new Failure(ErrorCode.NOT_FOUND, "no customer with id " + customerId);
    }
    int active = h.createQuery("SELECT count(*) FROM api_key WHERE customer_id = :c AND revoked_at IS NULL "
            + "AND replaced_by IS NULL AND (expires_at IS NULL OR expires_at > :t)")
        .bind("c", customerId).bind("t", now())
        .mapTo(Integer.class).one();
    if (active >= maxActivePerCustomer) {
      throw new Failure(ErrorCode.KEY_LIMIT, "a customer may have at most " + maxActivePerCustomer
          + " active keys; revoke one first");
    }
    return insertUnchecked(h, customerId, spec);
  }

  private IssuedKey insertUnchecked(Handle h, long customerId, NewKey spec) {
    String label = spec.label() == null || spec.label().isBlank() ? "default" : spec.label().trim();
    if (label.length() > 200) {
      throw new Failure(ErrorCode.BAD_REQUEST, "label must be at most 200 characters");
    }
    if (spec.expiresAt() != null && !spec.expiresAt().isAfter(clock.instant())) {
      throw new Failure(ErrorCode.BAD_REQUEST, "expiresAt must be in the future");
    }
    String secret = ApiKeyFormat.generate(spec.mode());
    String keyId = ApiKeyFormat.parse(secret).orElseThrow().keyId();
    h.createUpdate("INSERT INTO api_key (customer_id, key_id, secret_hash, mode, label, scopes, allowed_ips, created_at, "
            + "expires_at) VALUES (:c, :k, :s, :m, :l, :sc, :ips, :t, :e)")
        .bind("c", customerId).bind("k", keyId).bind("s", ApiKeyFormat.sha256(secret))
        .bind("m", spec.mode().sqlName()).bind("l", label).bind("sc", Scope.format(spec.scopes()))
        .bind("ips", spec.allowedIps().isEmpty() ? null : AddressRange.format(spec.allowedIps()))
        .bind("t", now())
        .bind("e", spec.expiresAt() == null ? null : spec.expiresAt().atOffset(ZoneOffset.UTC))
        .execute();
    return new IssuedKey(secret, reload(h, keyId));
  }

  private Key lockActive(Handle h, long customerId, String keyId) {
    Key key = h.createQuery("SELECT " + COLUMNS + " FROM api_key WHERE key_id = :k AND customer_id = :c FOR UPDATE")
        .bind("k", keyId).bind("c", customerId)
        .map((rs, ctx) -> key(rs))
        .findOne()
        .orElseThrow(() -> new Failure(ErrorCode.NOT_FOUND, "no key with id " + keyId));
    if (key.stateAt(clock.instant()) != State.ACTIVE) {
      throw new Failure(ErrorCode.NOT_FOUND, "no active key with id " + keyId);
    }
    return key;
  }

  private Key reload(Handle h, String keyId) {
    return h.createQuery("SELECT " + COLUMNS + " FROM api_key WHERE key_id = :k").bind("k", keyId)
        .map((rs, ctx) -> key(rs)).one();
  }

  private Optional<Key> lookup(String keyId, String hash) {
    record Row(Key key, String hash) {}
    return db.withHandle(h -> h.createQuery("SELECT " + COLUMNS + ", secret_hash FROM api_key "
            + "WHERE key_id = :k AND revoked_at IS NULL")
        .bind("k", keyId)
        .map((rs, ctx) -> new Row(key(rs), rs.getString("secret_hash")))
        .findOne())
        .filter(row -> MessageDigest.isEqual(row.hash().getBytes(StandardCharsets.US_ASCII),
            hash.getBytes(StandardCharsets.US_ASCII)))
        .map(Row::key);
  }

  private void changed(String keyId) {
    byHash.invalidateAll();
    events.publish(CHANGED_CHANNEL, keyId);
  }

  private OffsetDateTime now() {
    return instantNow().atOffset(ZoneOffset.UTC);
  }

  /**
   * The clock's time at the database's precision. Stored times are microseconds, and a database rounds rather than
   * truncates: an overlap of zero would otherwise end a few hundred nanoseconds in the future.
   */
  private Instant instantNow() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private static Key key(ResultSet rs) throws SQLException {
    return new Key(rs.getString("key_id"), rs.getLong("customer_id"), Mode.fromSql(rs.getString("mode")),
        rs.getString("label"), Scope.fromStored(rs.getString("scopes")),
        AddressRange.parseList(rs.getString("allowed_ips")), instant(rs, "created_at"), instant(rs, "expires_at"),
        instant(rs, "revoked_at"), rs.getString("replaced_by"), instant(rs, "last_used_at"),
        rs.getString("last_used_address"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}
