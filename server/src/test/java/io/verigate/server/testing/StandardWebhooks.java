package io.verigate.server.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A receiver's check of a Standard Webhooks 1.0 signature, written from the spec and sharing no code with the
 * server's signer: HMAC-SHA256 over {@code "{id}.{timestamp}.{body}"} with the bytes the {@code whsec_} secret's
 * base64 stands for, compared with each space-separated {@code v1,} entry of the header.
 */
public final class StandardWebhooks {
  private StandardWebhooks() {}

  /** Whether any signature in the header is the secret's for this message. */
  public static boolean verifies(String secret, String id, String timestamp, String body, String signatureHeader) {
    byte[] expected = hmac(secret, id + "." + timestamp + "." + body);
    for (String entry : signatureHeader.split(" ")) {
      if (entry.startsWith("v1,")
          && MessageDigest.isEqual(expected, Base64.getDecoder().decode(entry.substring("v1,".length())))) {
        return true;
      }
    }
    return false;
  }

  /** The base64 signature the secret gives the message, for comparing with a known answer. */
  public static String signature(String secret, String id, String timestamp, String body) {
    return "v1," + Base64.getEncoder().encodeToString(hmac(secret, id + "." + timestamp + "." + body));
  }

  private static byte[] hmac(String secret, String content) {
    if (!secret.startsWith("whsec_")) {
      throw new IllegalArgumentException("not a whsec_ secret");
    }
    byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
