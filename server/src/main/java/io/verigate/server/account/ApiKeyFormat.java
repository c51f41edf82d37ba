package io.verigate.server.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The shape of an API key: {@code vg_<live|test>_<8-char key id><32-char secret><6-char checksum>}, all
 * Base62. The prefix makes leaked keys easy to scan for, the key id is the public handle shown in lists,
 * and the CRC32 checksum lets us reject mistyped keys without a database read. Only the SHA-256 of the
 * whole key is stored; 190 random bits need no slow hash.
 */
public final class ApiKeyFormat {
  private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final String LIVE_PREFIX = "vg_" + Mode.LIVE.sqlName() + "_";
  private static final String TEST_PREFIX = "vg_" + Mode.TEST.sqlName() + "_";
  /** One digest per thread: looking the algorithm up among the JDK's providers cost more than hashing a key. */
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  });
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeyFormat() {}

  /** A parsed key: the mode its prefix claims and its public id. */
  public record Parsed(Mode mode, String keyId) {}

  public static String generate(Mode mode) {
    String body = "vg_" + mode.sqlName() + "_" + random(8) + random(32);
    return body + checksum(body);
  }

  /**
   * Parses a presented key; empty when the shape or the checksum is wrong. Checked by hand rather than with a regular
   * expression: every authenticated request parses its key, and the matcher was most of that request's own work.
   */
  public static Optional<Parsed> parse(String presented) {
    if (presented == null || presented.length() != LIVE_PREFIX.length() + 8 + 32 + 6) {
      return Optional.empty();
    }
    Mode mode = presented.startsWith(LIVE_PREFIX) ? Mode.LIVE : presented.startsWith(TEST_PREFIX) ? Mode.TEST : null;
    if (mode == null) {
      return Optional.empty();
    }
    for (int i = LIVE_PREFIX.length(); i < presented.length(); i++) {
      if (ALPHABET.indexOf(presented.charAt(i)) < 0) {
        return Optional.empty();
      }
    }
    String body = presented.substring(0, presented.length() - 6);
    if (!presented.endsWith(checksum(body))) {
      return Optional.empty();
    }
    return Optional.of(new Parsed(mode, presented.substring(LIVE_PREFIX.length(), LIVE_PREFIX.length() + 8)));
  }

  public static String sha256(String secret) {
    return HexFormat.of().formatHex(SHA256.get().digest(secret.getBytes(StandardCharsets.UTF_8)));
  }

  /** A random Base62 token of the given length, for admin tokens and source tokens too. */
  public static String random(int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return out.toString();
  }

  private static String checksum(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.US_ASCII));
    long value = crc.getValue();
    char[] out = new char[6];
    for (int i = 5; i >= 0; i--) {
      out[i] = ALPHABET.charAt((int) (value % 62));
      value /= 62;
    }
    return new String(out);
  }
}
