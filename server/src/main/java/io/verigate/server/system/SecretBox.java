package io.verigate.server.system;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Source secrets as the database keeps them: sealed with AES-256-GCM under the master key, each value with a random
 * 96-bit nonce, as {@code v1:<key id>:<base64 of nonce, ciphertext and tag>}. The version says how the rest reads, so
 * the format can change; the key id (the start of the key's SHA-256) says which key sealed it, so a value sealed under
 * the previous key is found and sealed again, and one sealed under a key this node lacks is named as such rather than
 * failing as a wrong tag. The header is authenticated along with the secret.
 *
 * <p>A value without the version prefix was stored before secrets were sealed, and reads as it is.
 */
public final class SecretBox {
  static final int KEY_BYTES = 32;
  /** How every sealed value begins; the start-up pass finds values by it. */
  static final String VERSION = "v1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A master key and the id sealed values name it by. */
  record Key(SecretKeySpec spec, String id) {
    static Key of(byte[] bytes) {
      if (bytes.length != KEY_BYTES) {
        throw new IllegalArgumentException("a master key is " + KEY_BYTES + " bytes, not " + bytes.length);
      }
      return new Key(new SecretKeySpec(bytes, "AES"), HexFormat.of().formatHex(sha256(bytes), 0, 4));
    }
  }

  private final Key current;
  private final Key previous;

  private SecretBox(Key current, Key previous) {
    this.current = current;
    this.previous = previous;
  }

  /** Seals with {@code current}; opens what it or {@code previous} (null: none) sealed. */
  static SecretBox of(byte[] current, byte[] previous) {
    return new SecretBox(Key.of(current), previous == null ? null : Key.of(previous));
  }

  /** A box for a node without a master key: it opens values stored in clear and seals nothing. */
  static SecretBox withoutKey() {
    return new SecretBox(null, null);
  }

  public boolean hasKey() {
    return current != null;
  }

  /** Id of the key this box seals with, for the operator's log. */
  String currentKeyId() {
    return current == null ? "(none)" : current.id();
  }

  /** How every value this box seals begins: what tells a value already sealed under the current key apart. */
  String sealedPrefix() {
    if (current == null) {
      throw new IllegalStateException("a box without a key seals nothing");
    }
    return VERSION + current.id() + ":";
  }

  /**
   * The value to store for a secret; null and the empty text stay as they are (nothing to hide). Refused on a node
   * without a master key, which would otherwise have to store it in clear.
   */
  public String seal(String secret) {
    if (secret == null || secret.isEmpty()) {
      return secret;
    }
    if (current == null) {
      throw new Failure(ErrorCode.CONFLICT, "this node has no master key to encrypt source secrets with: configure "
          + "master-key (base64 of 32 random bytes, e.g. from 'openssl rand -base64 32'), the same on every node");
    }
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    String header = sealedPrefix();
    byte[] sealed = crypt(Cipher.ENCRYPT_MODE, current, nonce, header, secret.getBytes(StandardCharsets.UTF_8));
    byte[] stored = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
    System.arraycopy(sealed, 0, stored, NONCE_BYTES, sealed.length);
    return header + Base64.getEncoder().encodeToString(stored);
  }

  /** The secret a stored value holds; a value from before sealing reads as it is. */
  public String open(String stored) {
    if (!isSealed(stored)) {
      return stored;
    }
    String id = keyId(stored);
    Key key = keyNamed(id).orElseThrow(() -> new IllegalStateException("a source secret is sealed under master key "
        + id + ", which this node does not have (its master-key is " + currentKeyId() + ")"));
    String header = VERSION + id + ":";
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(stored.substring(header.length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("a sealed source secret is damaged: not base64", e);
    }
    if (raw.length <= NONCE_BYTES) {
      throw new IllegalStateException("a sealed source secret is damaged: too short");
    }
    byte[] nonce = Arrays.copyOf(raw, NONCE_BYTES);
    byte[] plain = crypt(Cipher.DECRYPT_MODE, key, nonce, header, Arrays.copyOfRange(raw, NONCE_BYTES, raw.length));
    return new String(plain, StandardCharsets.UTF_8);
  }

  static boolean isSealed(String stored) {
    return stored != null && stored.startsWith(VERSION);
  }

  /** Whether this box can open the value: it is in clear, or sealed under the current or the previous key. */
  boolean canOpen(String stored) {
    return !isSealed(stored) || keyNamed(keyId(stored)).isPresent();
  }

  static String keyId(String sealed) {
    int end = sealed.indexOf(':', VERSION.length());
    return end < 0 ? "" : sealed.substring(VERSION.length(), end);
  }

  private Optional<Key> keyNamed(String id) {
    if (current != null && current.id().equals(id)) {
      return Optional.of(current);
    }
    return previous != null && previous.id().equals(id) ? Optional.of(previous) : Optional.empty();
  }

  /** Encrypts or decrypts with the key; the header is authenticated with the secret. */
  private static byte[] crypt(int mode, Key key, byte[] nonce, String header, byte[] input) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, key.spec(), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(header.getBytes(StandardCharsets.US_ASCII));
      return cipher.doFinal(input);
    } catch (AEADBadTagException e) {
      throw new IllegalStateException("a sealed source secret does not open under master key " + key.id()
          + ": it was altered, or sealed under another key with the same id", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has AES-GCM", e);
    }
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
