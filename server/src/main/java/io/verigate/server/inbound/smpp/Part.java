package io.verigate.server.inbound.smpp;

import io.verigate.server.account.ApiKeyFormat;
import java.time.Instant;
import java.util.HexFormat;

/**
 * One part of an SMS as the part journal keeps it: the key of its message, its number out of the total, the
 * addresses (the receiver in E.164), and its user data in hex with the data coding it is read by. A message that is
 * not split is the only part of its message.
 */
record Part(String key, int number, int total, String sender, String receiver, int dataCoding, String payload,
    Instant receivedAt) {

  /**
   * The key names one message: its concatenation scheme, reference and total, receiver and sender. The sender goes
   * last, as it is the only field that may hold the separator.
   */
  static Part of(ShortMessage message, String sender, String receiver, Instant receivedAt) {
    ShortMessage.Segment segment = message.segment();
    String key = ApiKeyFormat.sha256(String.join("|", segment.scheme(), Integer.toString(segment.reference()),
        Integer.toString(segment.total()), receiver, sender));
    return new Part(key, segment.number(), segment.total(), sender, receiver, message.dataCoding(),
        HexFormat.of().formatHex(message.userData()), receivedAt);
  }

  byte[] userData() {
    return HexFormat.of().parseHex(payload);
  }
}
