package io.verigate.server.inbound.smpp;

import io.verigate.server.inbound.Segment;
import io.verigate.server.inbound.UserDataHeader;
import java.util.Arrays;
import java.util.Optional;

/**
 * One deliver_sm or data_sm as Verigate reads it, before any storage: the addresses as the SMSC gave them, the data
 * coding, the user data with its header removed, and where it sits in a long message ({@code udh8}, {@code udh16} or
 * {@code sar}). Reading never fails: a header that does not parse leaves the bytes as they came and the message whole.
 */
record ShortMessage(String sourceAddr, String destAddr, int dataCoding, byte[] userData, Segment segment) {
  private static final int UDHI = 0x40;

  /**
   * Reads the fields of a deliver_sm or data_sm. The text is {@code shortMessage}, or {@code messagePayload} when the
   * SMSC sent it there instead; a User Data Header (esm_class UDHI) is taken first, the SAR parameters otherwise.
   */
  static ShortMessage read(String sourceAddr, String destAddr, int esmClass, int dataCoding, byte[] shortMessage,
      byte[] messagePayload, Integer sarReference, Integer sarTotal, Integer sarNumber) {
    byte[] data = shortMessage != null && shortMessage.length > 0 ? shortMessage
        : messagePayload != null ? messagePayload : new byte[0];
    Optional<Segment> segment = Optional.empty();
    byte[] userData = data;
    int headerEnd = (esmClass & UDHI) != 0 ? UserDataHeader.length(data) : 0;
    if (headerEnd > 0) {
      segment = UserDataHeader.concatenation(data);
      userData = Arrays.copyOfRange(data, headerEnd, data.length);
    }
    if (segment.isEmpty() && sarReference != null && sarTotal != null && sarNumber != null) {
      segment = Segment.of("sar", Integer.toString(sarReference), sarTotal, sarNumber);
    }
    return new ShortMessage(sourceAddr, destAddr, dataCoding & 0xFF, userData, segment.orElse(Segment.WHOLE));
  }
}
