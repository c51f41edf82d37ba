package io.verigate.server.esim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notifications Airalo posts to us. Each carries {@code airalo-signature}, the hex HMAC-SHA512 of the raw body under
 * our client secret; one without a matching signature changes nothing. A low-data notice ({@code level} and
 * {@code iccid}) becomes an {@code esim.low_data} event of the eSIM with that ICCID. Every other notification (credit
 * limit, async orders, which we do not place) and a notice about an ICCID we never sold are only logged, and still
 * accepted: Airalo retries anything it is not answered 200 twenty times.
 */
public final class AiraloWebhook {
  private static final Logger log = LoggerFactory.getLogger(AiraloWebhook.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SecretKeySpec key;
  private final Esims esims;

  public AiraloWebhook(String clientSecret, Esims esims) {
    this.key = new SecretKeySpec(clientSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA512");
    this.esims = esims;
  }

  /** Acts on a notification; refused with BAD_KEY when its signature does not match, BAD_REQUEST when not JSON. */
  public void receive(byte[] body, String signature) {
    if (!signed(body, signature)) {
      throw new Failure(ErrorCode.BAD_KEY, "airalo-signature does not match the body: check that "
          + "esim-airalo-client-secret is the secret of the Airalo account that sends it");
    }
    JsonNode notice;
    try {
      notice = JSON.readTree(body);
    } catch (IOException e) {
      throw new Failure(ErrorCode.MALFORMED_JSON, "the notification is not JSON");
    }
    if (notice == null || !notice.isObject()) {
      throw new Failure(ErrorCode.MALFORMED_JSON, "the notification is not a JSON object");
    }
    String level = notice.path("level").asText("");
    String iccid = notice.path("iccid").asText("");
    if (level.isEmpty() || iccid.isEmpty()) {
      log.info("Airalo notification not acted on: {}", notice.path("message").asText("(no message)"));
      return;
    }
    if (!level.matches("\\d{1,3}%|\\d{1,3}days?")) {
      throw new Failure(ErrorCode.BAD_REQUEST, "level '" + level + "' is not a low-data level such as 75% or 3days");
    }
    JsonNode percent = notice.path("remaining_percentage");
    if (!esims.supplierLowData(iccid, level.toLowerCase(Locale.ROOT),
        percent.canConvertToInt() ? percent.asInt() : null)) {
      log.info("Airalo low-data notice for ICCID {}, which no eSIM bought there has", iccid);
    }
  }

  private boolean signed(byte[] body, String signature) {
    if (signature == null || signature.isBlank()) {
      return false;
    }
    byte[] expected;
    try {
      Mac mac = Mac.getInstance("HmacSHA512");
      mac.init(key);
      expected = HexFormat.of().formatHex(mac.doFinal(body)).getBytes(StandardCharsets.US_ASCII);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA512", e);
    }
    return MessageDigest.isEqual(expected,
        signature.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
  }
}
