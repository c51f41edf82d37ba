package io.verigate.server.inbound;

import io.verigate.server.account.ApiKeyFormat;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HexFormat;

/**
 * One part of an SMS as the part journal keeps it: the channel it came through, the key of its message, its number
 * out of the total, the addresses (the receiver in E.164), and its user data in hex with the data coding it is read
 * by. A message that is not split is the only part of its message.
 */
public record Part(String channel, String key, int number, int total, String sender, String receiver, int dataCoding,
    String payload, Instant receivedAt) {

  /**
   * A part as the adapter of {@code channel} (a source type, such as {@code smpp}) read it. The key names one message:
   * its concatenation scheme, reference and total, receiver and sender. The sender goes last, as it may hold the
   * separator; a reference that holds it has it escaped, which leaves numeric references (all of SMPP's) as they are.
   */
  public static Part of(String channel, Segment segment, String sender, String receiver, int dataCoding,
      byte[] userData, Instant receivedAt) {
    String reference = segment.reference().replace("\\", "\\\\").replace("|", "\\|");
    String key = ApiKeyFormat.sha256(String.join("|", segment.scheme(), reference, Integer.toString(segment.total()),
        receiver, sender));
    return new Part(channel, key, segment.number(), segment.total(), sender, receiver, dataCoding,
        HexFormat.of().formatHex(userData), receivedAt);
  }

  /**
   * A part its provider delivered as text. It is kept as its UTF-16 code units under the UCS-2 data coding, each unit
   * as it is, so that joining the parts before decoding puts together a surrogate pair the provider split between two
   * parts (an encoder would replace each half on its own).
   */
  public static Part ofText(String channel, Segment segment, String sender, String receiver, String text,
      Instant receivedAt) {
    ByteBuffer units = ByteBuffer.allocate(text.length() * 2);
    text.chars().forEach(unit -> units.putChar((char) unit));
    return of(channel, segment, sender, receiver, SmsText.UCS2, units.array(), receivedAt);
  }

  byte[] userData() {
    return HexFormat.of().parseHex(payload);
  }
}
