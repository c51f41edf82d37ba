package io.verigate.server.account;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.verigate.server.system.Database;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The dashboard's way in: customers' email and password log-ins (bcrypt), the operator's log-in with the admin token,
 * and the sessions both open. A session's token lives only in the browser's cookie; the node stores its SHA-256, so a
 * copy of the database opens no session. Failed log-ins are throttled per address and per email ({@link LoginThrottle}).
 */
public final class Logins {
  /** bcrypt's work factor: about a quarter of a second per check on a server core, slow enough to make guessing dear. */
  private static final int COST = 12;
  public static final Duration SESSION_LIFETIME = Duration.ofHours(12);
  static final int MIN_PASSWORD = 10;
  /** bcrypt reads at most 72 bytes; a longer password would be silently cut, so it is refused instead. */
  static final int MAX_PASSWORD_BYTES = 72;
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");
  /** Checked when the email is unknown too, so the answer's timing does not tell which emails have a log-in. */
  private static final byte[] DECOY_HASH = BCrypt.withDefaults().hash(COST, "decoy".toCharArray());

  private final Database db;
  private final Clock clock;
  private final Accounts accounts;
  private final AdminAuth admin;
  private final LoginThrottle throttle;
  private final boolean selfServiceSignUp;

  /** A session as a request presents it: whose it is ({@code customerId} null for the operator's). */
  public record Session(String tokenHash, Long customerId, Instant expiresAt) {
    public boolean operator() {
      return customerId == null;
    }

    /**
     * The token every form of this session carries: derived from the session's stored hash, so it needs no storage of
     * its own, and a page of another site, which can make the browser send the cookie but never read it or the
     * node's database, cannot make it.
     */
    public String csrfToken() {
      return ApiKeyFormat.sha256("csrf:" + tokenHash);
    }
  }

  /** A session just opened: {@code token} goes into the cookie and is never stored. */
  public record Opened(String token, Session session) {}

  public Logins(Database db, Clock clock, Accounts accounts, AdminAuth admin, LoginThrottle throttle,
      boolean selfServiceSignUp) {
    this.db = db;
    this.clock = clock;
    this.accounts = accounts;
    this.admin = admin;
    this.throttle = throttle;
    this.selfServiceSignUp = selfServiceSignUp;
  }

  /** Whether the operator lets anyone create a customer from the dashboard ({@code dashboard-sign-up}). */
  public boolean signUpAllowed() {
    return selfServiceSignUp;
  }

  /** Creates a customer (named by its email, with its wallets) and its log-in, and opens its first session. */
  public Opened signUp(String email, String password, String clientAddress) {
    if (!selfServiceSignUp) {
      throw new Failure(ErrorCode.FORBIDDEN, "this node does not take sign-ups; ask its operator for an account");
    }
    String normalised = normaliseEmail(email);
    checkPassword(password);
    throttle.signUp(clientAddress);
    String hash = BCrypt.withDefaults().hashToString(COST, password.toCharArray());
    OffsetDateTime now = OffsetDateTime.now(clock);
    long customerId;
    try {
      customerId = db.inTransaction(h -> {
        long created = accounts.insert(h, new Actor("signup:" + normalised, clientAddress), normalised, now);
        h.createUpdate("INSERT INTO customer_login (customer_id, email, password_hash, created_at) "
                + "VALUES (:c, :e, :p, :t)")
            .bind("c", created).bind("e", normalised).bind("p", hash).bind("t", now).execute();
        return created;
      });
    } catch (RuntimeException e) {
      if (Database.violatesUnique(e)) {
        throw new Failure(ErrorCode.CONFLICT, "an account with this email exists; log in instead");
      }
      throw e;
    }
    return open(customerId);
  }

  /** Opens a session for a customer's email and password, or refuses (the same way for an unknown email). */
  public Opened logIn(String email, String password, String clientAddress) {
    String normalised = email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
    throttle.check(clientAddress, normalised);
    Optional<Stored> stored = db.withHandle(h -> h.createQuery(
            "SELECT customer_id, password_hash FROM customer_login WHERE email = :e")
        .bind("e", normalised)
        .map((rs, ctx) -> new Stored(rs.getLong("customer_id"), rs.getString("password_hash")))
        .findOne());
    byte[] hash = stored.map(s -> s.hash().getBytes(StandardCharsets.US_ASCII)).orElse(DECOY_HASH);
    char[] presented = password == null ? new char[0] : password.toCharArray();
    boolean matches = BCrypt.verifyer().verify(presented, hash).verified;
    if (stored.isEmpty() || !matches) {
      throttle.failed(clientAddress, normalised);
      throw new Failure(ErrorCode.BAD_KEY, "the email or the password is wrong");
    }
    return open(stored.get().customerId());
  }

  /** Opens an operator's session for the admin token, throttled like a customer's log-in. */
  public Opened operatorLogIn(String adminToken, String clientAddress) {
    throttle.check(clientAddress, "operator");
    if (!admin.accepts(adminToken)) {
      throttle.failed(clientAddress, "operator");
      throw new Failure(ErrorCode.BAD_KEY, "the admin token is wrong");
    }
    return open(null);
  }

  /** The live session behind a cookie's token, if any. */
  public Optional<Session> find(String token) {
    if (token == null || token.isBlank() || token.length() > 100) {
      return Optional.empty();
    }
    String hash = ApiKeyFormat.sha256(token);
    return db.withHandle(h -> h.createQuery(
            "SELECT customer_id, expires_at FROM dashboard_session WHERE token_sha256 = :h AND expires_at > :now")
        .bind("h", hash).bind("now", OffsetDateTime.now(clock))
        .map((rs, ctx) -> new Session(hash, (Long) rs.getObject("customer_id", Long.class),
            rs.getObject("expires_at", OffsetDateTime.class).toInstant()))
        .findOne());
  }

  /** Ends a session at once; the cookie's token opens nothing afterwards. */
  public void logOut(String token) {
    if (token != null && !token.isBlank()) {
      db.inTransaction(h -> h.createUpdate("DELETE FROM dashboard_session WHERE token_sha256 = :h")
          .bind("h", ApiKeyFormat.sha256(token)).execute());
    }
  }

  /** Deletes the sessions that ended; for the node's housekeeping. */
  public int removeExpired() {
    return db.inTransaction(h -> h.createUpdate("DELETE FROM dashboard_session WHERE expires_at <= :now")
        .bind("now", OffsetDateTime.now(clock)).execute());
  }

  private Opened open(Long customerId) {
    String token = ApiKeyFormat.random(43);
    String hash = ApiKeyFormat.sha256(token);
    Instant now = clock.instant();
    Instant expires = now.plus(SESSION_LIFETIME);
    db.inTransaction(h -> h.createUpdate("INSERT INTO dashboard_session (token_sha256, customer_id, created_at, "
            + "expires_at) VALUES (:h, :c, :t, :e)")
        .bind("h", hash).bind("c", customerId).bind("t", now.atOffset(ZoneOffset.UTC))
        .bind("e", expires.atOffset(ZoneOffset.UTC)).execute());
    return new Opened(token, new Session(hash, customerId, expires));
  }

  static String normaliseEmail(String email) {
    String trimmed = email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
    if (trimmed.length() > 200 || !EMAIL.matcher(trimmed).matches()) {
      throw new Failure(ErrorCode.BAD_REQUEST, "an email address such as name@example.com is required");
    }
    return trimmed;
  }

  static void checkPassword(String password) {
    if (password == null || password.length() < MIN_PASSWORD
        || password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
      throw new Failure(ErrorCode.BAD_REQUEST, "the password must have at least " + MIN_PASSWORD
          + " characters and at most " + MAX_PASSWORD_BYTES + " bytes");
    }
  }

  private record Stored(long customerId, String hash) {}
}
