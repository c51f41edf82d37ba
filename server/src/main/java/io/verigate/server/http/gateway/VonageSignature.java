package io.verigate.server.http.gateway;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code sig} parameter of a signed Vonage webhook, as Vonage's Java SDK checks it
 * ({@code com.vonage.client.auth.RequestSigning}): every other parameter with a value that is not blank, sorted by
 * name, joined as {@code &name=value} with any {@code &} or {@code =} inside a name or value replaced by {@code _}.
 * {@code md5hash} signs with the hex MD5 of that string followed by the signature secret; {@code md5}, {@code sha1},
 * {@code sha256} and {@code sha512} with the hex HMAC of the string keyed with the secret. Vonage puts the Unix
 * {@code timestamp} among the signed parameters; one further than five minutes from our clock is refused, so a
 * captured request cannot be replayed later.
 */
final class VonageSignature {
  static final Duration WINDOW = Duration.ofMinutes(5);
  private static final String SIG = "sig";

  private final Clock clock;

  VonageSignature(Clock clock) {
    this.clock = clock;
  }

  /** Why the request must be refused, or empty when it is authentic and fresh. */
  Optional<String> refusal(String secret, String method, Map<String, String> params) {
    String presented = params.get(SIG);
    if (presented == null || presented.isBlank()) {
      return Optional.of("sig is required: the source has a signature secret, so Vonage must sign its webhooks");
    }
    long seconds;
    try {
      seconds = Long.parseLong(params.getOrDefault("timestamp", "").trim());
    } catch (NumberFormatException e) {
      return Optional.of("timestamp must be the Unix seconds Vonage signed the request at");
    }
    long now = clock.instant().getEpochSecond();
    // Compared as bounds: now - seconds can overflow, and Math.abs(Long.MIN_VALUE) is negative.
    if (seconds < now - WINDOW.toSeconds() || seconds > now + WINDOW.toSeconds()) {
      return Optional.of("timestamp is more than 5 minutes from the server's clock: replayed, or a clock is wrong");
    }
    byte[] expected = sign(secret, method, params).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, presented.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8))) {
      return Optional.of("sig does not match: check the source's signatureSecret and signatureMethod against the "
          + "Vonage account's settings");
    }
    return Optional.empty();
  }

  /** The lower-case hex signature of the parameters ({@code sig} itself left out) by the method. */
  static String sign(String secret, String method, Map<String, String> params) {
    StringBuilder signed = new StringBuilder();
    new TreeMap<>(params).forEach((name, value) -> {
      // trim() as the SDK does, not isBlank(): they disagree on control characters and Unicode spaces.
      if (!name.equals(SIG) && value != null && !value.trim().isEmpty()) {
        signed.append('&').append(cleaned(name)).append('=').append(cleaned(value));
      }
    });
    byte[] text = signed.toString().getBytes(StandardCharsets.UTF_8);
    byte[] key = secret.getBytes(StandardCharsets.UTF_8);
    return HexFormat.of().formatHex(switch (method) {
      case "md5hash" -> md5(text, key);
      case "md5" -> hmac("HmacMD5", key, text);
      case "sha1" -> hmac("HmacSHA1", key, text);
      case "sha256" -> hmac("HmacSHA256", key, text);
      case "sha512" -> hmac("HmacSHA512", key, text);
      default -> throw new IllegalArgumentException("no Vonage signature method is called " + method);
    });
  }

  /** Vonage's separators may not appear inside a name or value, or two requests could sign alike. */
  private static String cleaned(String part) {
    return part.replace('&', '_').replace('=', '_');
  }

  private static byte[] md5(byte[] text, byte[] secret) {
    try {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      md5.update(text);
      return md5.digest(secret);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has MD5", e);
    }
  }

  private static byte[] hmac(String algorithm, byte[] key, byte[] text) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(key, algorithm));
      return mac.doFinal(text);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has " + algorithm, e);
    }
  }
}
