package io.verigate.server.http.gateway;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature SMS Gateway for Android puts on its webhooks: {@code X-Signature} is the hex HMAC-SHA256, keyed
 * with the signing key from the app's settings, of the raw body followed by the {@code X-Timestamp} value (Unix
 * seconds). A timestamp further than five minutes from our clock is refused, so a captured request cannot be
 * replayed later; the phone signs every retry afresh, so honest retries pass.
 */
final class AndroidGatewaySignature {
  static final Duration WINDOW = Duration.ofMinutes(5);

  private final Clock clock;

  AndroidGatewaySignature(Clock clock) {
    this.clock = clock;
  }

  /** Why the request must be refused, or empty when it is authentic and fresh. */
  Optional<String> refusal(String signingKey, byte[] body, String timestamp, String signature) {
    if (signingKey == null) {
      return Optional.of("the source has no signing key to check X-Signature with: set the app's");
    }
    if (signature == null || timestamp == null) {
      return Optional.of("X-Signature and X-Timestamp are required: set a signing key in the app");
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp.trim());
    } catch (NumberFormatException e) {
      return Optional.of("X-Timestamp must be Unix seconds");
    }
    long now = clock.instant().getEpochSecond();
    // Compared as bounds: now - seconds can overflow, and Math.abs(Long.MIN_VALUE) is negative.
    if (seconds < now - WINDOW.toSeconds() || seconds > now + WINDOW.toSeconds()) {
      return Optional.of("X-Timestamp is more than 5 minutes from the server's clock: replayed, or a clock is wrong");
    }
    if (!MessageDigest.isEqual(hmac(signingKey, body, timestamp.trim()), hexBytes(signature.trim()))) {
      return Optional.of("X-Signature does not match: the signing key differs from the app's");
    }
    return Optional.empty();
  }

  static String sign(String signingKey, byte[] body, String timestamp) {
    return HexFormat.of().formatHex(hmac(signingKey, body, timestamp));
  }

  private static byte[] hmac(String signingKey, byte[] body, String timestamp) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(signingKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update(body);
      return mac.doFinal(timestamp.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  }

  /** Malformed hex compares as no bytes, which never equals a digest. */
  private static byte[] hexBytes(String hex) {
    try {
      return HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException e) {
      return new byte[0];
    }
  }
}
