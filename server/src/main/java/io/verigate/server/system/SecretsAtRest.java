package io.verigate.server.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
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
 * <p>At every start, secrets stored in clear (before sealing existed, or while the node had no key) and secrets sealed
 * under {@code master-key-previous} are sealed under the current key ({@link SealingPass}). After that start the
 * previous key can be dropped.
 */
public final class SecretsAtRest {
  static final String KEY_FILE = "master.key";
  private static final Logger log = LoggerFactory.getLogger(SecretsAtRest.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private SecretsAtRest() {}

  /** The node's box for source secrets, once every stored secret is sealed under its key. */
  public static SecretBox open(Config config, Database db) {
    SecretBox box = box(config, db);
    if (box.hasKey()) {
      SealingPass.run(db, box, SealingPass.BATCH);
    } else {
      long inClear = SealingPass.inClear(db);
      if (inClear > 0) {
        log.warn("{} source secrets are stored in clear: configure master-key (the same on every node) to encrypt "
            + "them", inClear);
      }
    }
    return box;
  }

  private static SecretBox box(Config config, Database db) {
    byte[] previous = config.masterKeyPrevious().isBlank() ? null : Config.masterKeyBytes(config.masterKeyPrevious());
    if (!config.masterKey().isBlank()) {
      return SecretBox.of(Config.masterKeyBytes(config.masterKey()), previous);
    }
    boolean anySealed = SealingPass.anySealed(db);
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
}
