package io.verigate.server.inbound.smpp;

import java.util.Arrays;

/**
 * One deliver_sm or data_sm as Verigate reads it, before any storage: the addresses as the SMSC gave them, the data
 * coding, the user data with its header removed, and where it sits in a long message. Reading never fails: a header
 * that does not parse leaves the bytes as they came and the message whole.
 */
record ShortMessage(String sourceAddr, String destAddr, int dataCoding, byte[] userData, Segment segment) {
  private static final int UDHI = 0x40;
  private static final int CONCAT_8BIT_REF = 0x00;
  private static final int CONCAT_16BIT_REF = 0x08;

  /**
   * Where a part sits in a long message, by the concatenation scheme that said so ({@code udh8}, {@code udh16} or
   * {@code sar}); an SMS that is not split is part 1 of 1.
   */
  record Segment(String scheme, int reference, int total, int number) {
    static final Segment WHOLE = new Segment("whole", 0, 1, 1);

    boolean whole() {
      return total == 1;
    }
  }

  /**
   * Reads the fields of a deliver_sm or data_sm. The text is {@code shortMessage}, or {@code messagePayload} when the
   * SMSC sent it there instead; a User Data Header (esm_class UDHI) is taken first, the SAR parameters otherwise.
   */
  static ShortMessage read(String sourceAddr, String destAddr, int esmClass, int dataCoding, byte[] shortMessage,
      byte[] messagePayload, Integer sarReference, Integer sarTotal, Integer sarNumber) {
    byte[] data = shortMessage != null && shortMessage.length > 0 ? shortMessage
        : messagePayload != null ? messagePayload : new byte[0];
    Segment segment = null;
    byte[] userData = data;
    if ((esmClass & UDHI) != 0 && data.length > 0) {
      int headerEnd = 1 + (data[0] & 0xFF);
      if (headerEnd <= data.length) {
        segment = concatenation(data, headerEnd);
        userData = Arrays.copyOfRange(data, headerEnd, data.length);
      }
    }
    if (segment == null && sarReference != null && sarTotal != null && sarNumber != null) {
      segment = segment("sar", sarReference, sarTotal, sarNumber);
    }
    return new ShortMessage(sourceAddr, destAddr, dataCoding & 0xFF, userData, segment == null ? Segment.WHOLE : segment);
  }

  /** The concatenation element of a User Data Header (TS 23.040 §9.2.3.24.1 and .8), if it has one. */
  private static Segment concatenation(byte[] header, int headerEnd) {
    int element = 1;
    while (element + 1 < headerEnd) {
      int id = header[element] & 0xFF;
      int length = header[element + 1] & 0xFF;
      int value = element + 2;
      if (value + length > headerEnd) {
        return null;
      }
      if (id == CONCAT_8BIT_REF && length == 3) {
        return segment("udh8", header[value] & 0xFF, header[value + 1] & 0xFF, header[value + 2] & 0xFF);
      }
      if (id == CONCAT_16BIT_REF && length == 4) {
        return segment("udh16", ((header[value] & 0xFF) << 8) | (header[value + 1] & 0xFF), header[value + 2] & 0xFF,
            header[value + 3] & 0xFF);
      }
      element = value + length;
    }
    return null;
  }

  /** TS 23.040 tells receivers to ignore a concatenation of fewer than two parts, or a number outside the total. */
  private static Segment segment(String scheme, int reference, int total, int number) {
    return total >= 2 && number >= 1 && number <= total ? new Segment(scheme, reference, total, number) : null;
  }
}
