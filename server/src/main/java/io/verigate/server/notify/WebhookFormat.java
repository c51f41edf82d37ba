package io.verigate.server.notify;

import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.util.Arrays;
import java.util.Locale;

/** The body an endpoint receives. */
public enum WebhookFormat {
  /** Standard Webhooks: {@code {"type","timestamp","data"}} for every event. */
  STANDARD,
  /** sms-activate's webhook for a received code, for receivers written for it; sent for {@code activation.received} only. */
  SMS_ACTIVATE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static WebhookFormat parse(String name) {
    return Arrays.stream(values()).filter(f -> f.wireName().equals(name.trim().toLowerCase(Locale.ROOT))).findFirst()
        .orElseThrow(() -> new Failure(ErrorCode.BAD_REQUEST, "format must be standard or sms-activate, got '" + name
            + "'"));
  }
}
