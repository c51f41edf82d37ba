package io.verigate.server.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a node's master key comes from, and the start-up pass that leaves every stored source secret sealed under it.
 *
 * <p>The key is {@code master-key} when configured. Without one, a node on the embedded database generates a key into
 * {@code <data-dir>/master.key} (owner-only) on its first start and reads it from there afterwards. A node on
 * PostgreSQL generates none, since every node of a deployment needs the same key: it starts without a key as long as
 * no secret is sealed (it then refuses to store new secrets), and refuses to start once one is.
 *
 * <p>At every start, in one transaction: secrets stored in clear (before sealing existed) and secrets sealed under
 * {@code master-key-previous} are sealed under the current key. After that start the previous key can be dropped.
 */
public final class SecretsAtRest {
  static final String KEY_FILE = "master.key";
  private static final Logger log = LoggerFactory.getLogger(SecretsAtRest.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A column holding source secrets, and the key of its rows. */
  private record Column(String table, String id, String secret) {}

  private static final List<Column> COLUMNS = List.of(
      new Column("number_source", "id", "signing_secret"),
      new Column("smpp_link", "source_id", "password"),
      new Column("smshub_agent", "source_id", "protocol_key"),
      // Webhook signing secrets: the node signs with them, so they are sealed, not hashed.
      new Column("webhook_endpoint", "id", "secret"),
      new Column("webhook_endpoint", "id", "previous_secret"),
      // eSIM profiles: the matching id and confirmation code install the eSIM, in stock and once sold.
      new Column("esim_profile", "id", "matching_id"),
      new Column("esim_profile", "id", "confirmation_code"),
      new Column("esim", "id", "matching_id"),
      new Column("esim", "id", "confirmation_code"));

  /** One stored secret, as read at start. */
  private record Stored(Column column, long id, String value) {}

  private SecretsAtRest() {}

  /** The node's box for source secrets, once every stored secret is sealed under its key. */
  public static SecretBox open(Config config, Database db) {
    return db.inTransaction(h -> {
      List<Stored> stored = lockAll(h);
      SecretBox box = box(config, stored);
      int sealed = 0;
      for (Stored secret : stored) {
        if (!box.canOpen(secret.value())) {
          throw new ConfigException("a source secret is sealed under master key " + SecretBox.keyId(secret.value())
              + ", which is neither master-key nor master-key-previous (this node's key is " + box.currentKeyId()
              + "): configure the key it was sealed with, as master-key or, while rotating, master-key-previous");
        }
        if (box.hasKey() && box.needsSealing(secret.value())) {
          h.createUpdate("UPDATE " + secret.column().table() + " SET " + secret.column().secret() + " = :v WHERE "
                  + secret.column().id() + " = :id")
              .bind("v", box.seal(box.open(secret.value()))).bind("id", secret.id()).execute();
          sealed++;
        }
      }
      if (sealed > 0) {
        log.info("sealed {} source secrets under master key {}", sealed, box.currentKeyId());
      }
      long inClear = stored.stream().filter(secret -> !SecretBox.isSealed(secret.value())).count();
      if (!box.hasKey() && inClear > 0) {
        log.warn("{} source secrets are stored in clear: configure master-key (the same on every node) to encrypt "
            + "them", inClear);
      }
      return box;
    });
  }

  private static SecretBox box(Config config, List<Stored> stored) {
    byte[] previous = config.masterKeyPrevious().isBlank() ? null : Config.masterKeyBytes(config.masterKeyPrevious());
    if (!config.masterKey().isBlank()) {
      return SecretBox.of(Config.masterKeyBytes(config.masterKey()), previous);
    }
    boolean anySealed = stored.stream().anyMatch(secret -> SecretBox.isSealed(secret.value()));
    if (config.usesPostgres()) {
      if (anySealed) {
        throw new ConfigException("source secrets in this database are encrypted, and master-key is not configured: "
            + "configure the master key they were sealed with on this node, the same on every node of the deployment");
      }
      return SecretBox.withoutKey();
    }
    Path file = config.dataDir().resolve(KEY_FILE);
    if (Files.exists(file)) {
      return SecretBox.of(read(file), previous);
    }
    if (anySealed) {
      throw new ConfigException("source secrets in this database are encrypted, and " + file + " is gone: restore it, "
          + "or configure the key they were sealed with as master-key");
    }
    byte[] key = new byte[SecretBox.KEY_BYTES];
    RANDOM.nextBytes(key);
    DataDirectory.writeSecret(file, List.of(Base64.getEncoder().encodeToString(key)));
    log.info("generated a master key for source secrets in {}; keep it with the database", file);
    return SecretBox.of(key, previous);
  }

  private static byte[] read(Path file) {
    try {
      return Config.masterKeyBytes(Files.readString(file, StandardCharsets.UTF_8).trim());
    } catch (ConfigException e) {
      throw new ConfigException(file + " does not hold a master key: " + e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Every stored secret, locked, so that nodes starting at once seal each one once. */
  private static List<Stored> lockAll(Handle h) {
    List<Stored> stored = new ArrayList<>();
    for (Column column : COLUMNS) {
      h.createQuery("SELECT " + column.id() + " AS id, " + column.secret() + " AS secret FROM " + column.table()
              + " WHERE " + column.secret() + " IS NOT NULL AND " + column.secret() + " <> '' FOR UPDATE")
          .map((rs, ctx) -> new Stored(column, rs.getLong("id"), rs.getString("secret")))
          .forEach(stored::add);
    }
    return stored;
  }
}
