package io.verigate.server.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The shape of an API key: {@code vg_<live|test>_<8-char key id><32-char secret><6-char checksum>}, all
 * Base62. The prefix makes leaked keys easy to scan for, the key id is the public handle shown in lists,
 * and the CRC32 checksum lets us reject mistyped keys without a database read. Only the SHA-256 of the
 * whole key is stored; 190 random bits need no slow hash.
 */
public final class ApiKeyFormat {
  private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final Pattern SHAPE = Pattern.compile("vg_(live|test)_([0-9A-Za-z]{8})([0-9A-Za-z]{32})([0-9A-Za-z]{6})");
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeyFormat() {}

  /** A parsed key: the mode its prefix claims and its public id. */
  public record Parsed(Mode mode, String keyId) {}

  public static String generate(Mode mode) {
    String body = "vg_" + mode.sqlName() + "_" + random(8) + random(32);
    return body + checksum(body);
  }

  /** Parses a presented key; empty when the shape or the checksum is wrong. */
  public static Optional<Parsed> parse(String presented) {
    if (presented == null) {
      return Optional.empty();
    }
    Matcher m = SHAPE.matcher(presented);
    if (!m.matches()) {
      return Optional.empty();
    }
    String body = presented.substring(0, presented.length() - 6);
    if (!checksum(body).equals(m.group(4))) {
      return Optional.empty();
    }
    return Optional.of(new Parsed(Mode.fromSql(m.group(1)), m.group(2)));
  }

  public static String sha256(String secret) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
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
