package io.verigate.server.http.gateway;

import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A Twilio messaging webhook: the {@code application/x-www-form-urlencoded} parameters exactly as posted,
 * decoded as UTF-8 (Twilio's charset). An inbound message has {@code MessageSid}, {@code From}, {@code To} and
 * {@code Body} (already reassembled when it came in several segments); a request without {@code Body} is a
 * status callback, not a message.
 */
record TwilioWebhook(Map<String, List<String>> params) {
  static TwilioWebhook parse(byte[] body) {
    return new TwilioWebhook(FormEncoding.decode(new String(body, StandardCharsets.UTF_8)));
  }

  boolean isMessage() {
    return params.containsKey("Body");
  }

  String required(String name) {
    List<String> values = params.get(name);
    if (values == null || values.get(0).isBlank()) {
      throw new Failure(ErrorCode.BAD_REQUEST, name + " is required in a Twilio message webhook");
    }
    return values.get(0);
  }

  String optional(String name) {
    List<String> values = params.get(name);
    return values == null ? null : values.get(0);
  }
}
