package io.verigate.server.notify;

import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An endpoint's signing secret as Standard Webhooks 1.0 writes it: {@code whsec_} and the base64 of its bytes. A
 * message is signed with the bytes, not the text: {@code v1,} and the base64 HMAC-SHA256 of
 * {@code "<webhook-id>.<webhook-timestamp>.<body>"}.
 */
public final class WebhookSecret {
  private static final String PREFIX = "whsec_";
  /** 32 random bytes, above the spec's minimum of 24. */
  private static final int BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] bytes;

  private WebhookSecret(byte[] bytes) {
    this.bytes = bytes.clone();
  }

  public static WebhookSecret generate() {
    byte[] bytes = new byte[BYTES];
    RANDOM.nextBytes(bytes);
    return new WebhookSecret(bytes);
  }

  /** A secret from its {@code whsec_} text. */
  public static WebhookSecret parse(String text) {
    if (text == null || !text.startsWith(PREFIX)) {
      throw new Failure(ErrorCode.BAD_REQUEST, "a webhook secret starts with " + PREFIX);
    }
    try {
      return new WebhookSecret(Base64.getDecoder().decode(text.substring(PREFIX.length())));
    } catch (IllegalArgumentException e) {
      throw new Failure(ErrorCode.BAD_REQUEST, "a webhook secret is " + PREFIX + " and base64");
    }
  }

  public String text() {
    return PREFIX + Base64.getEncoder().encodeToString(bytes);
  }

  /** The signature of one message, {@code v1,<base64>}. */
  public String sign(String messageId, long timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(bytes, "HmacSHA256"));
      byte[] signed = mac.doFinal((messageId + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(signed);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /**
   * The {@code webhook-signature} header: one signature per secret, space-separated, so a receiver that still knows
   * only the old secret during a rotation's overlap accepts the message, as one that knows only the new one does.
   */
  public static String header(List<WebhookSecret> secrets, String messageId, long timestamp, String body) {
    List<String> signatures = new ArrayList<>();
    for (WebhookSecret secret : secrets) {
      signatures.add(secret.sign(messageId, timestamp, body));
    }
    return String.join(" ", signatures);
  }

  /** Never the secret itself, should one be logged. */
  @Override
  public String toString() {
    return "whsec_***";
  }
}
