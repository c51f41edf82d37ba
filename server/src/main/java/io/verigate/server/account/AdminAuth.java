package io.verigate.server.account;

import io.verigate.server.system.Database;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/** The operator's admin token: only its SHA-256 is stored, in the {@code setting} table. */
public final class AdminAuth {
  static final String SETTING = "admin_token_sha256";
  private final Database db;
  private volatile String expectedHash;

  public AdminAuth(Database db) {
    this.db = db;
  }

  /** Whether an admin token was ever set (false only before the very first start completes). */
  public boolean isConfigured() {
    return storedHash().isPresent();
  }

  public void set(String token) {
    String hash = ApiKeyFormat.sha256(token);
    db.inTransaction(h -> {
      h.createUpdate("DELETE FROM setting WHERE name = :n").bind("n", SETTING).execute();
      return h.createUpdate("INSERT INTO setting (name, setting_value) VALUES (:n, :v)").bind("n", SETTING).bind("v", hash).execute();
    });
    expectedHash = hash;
  }

  public boolean accepts(String presented) {
    if (presented == null || presented.isBlank()) {
      return false;
    }
    String expected = expectedHash != null ? expectedHash : storedHash().orElse(null);
    if (expected == null) {
      return false;
    }
    expectedHash = expected;
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
        ApiKeyFormat.sha256(presented).getBytes(StandardCharsets.US_ASCII));
  }

  private Optional<String> storedHash() {
    return db.withHandle(h -> h.createQuery("SELECT setting_value FROM setting WHERE name = :n").bind("n", SETTING)
        .mapTo(String.class).findOne());
  }
}
