package io.verigate.server.inbound;

import java.util.Optional;

/**
 * The User Data Header of an SMS (3GPP TS 23.040 §9.2.3.24): a length octet (UDHL), then information elements, at
 * the start of the user data. SMPP sends it inside short_message; Vonage sends it apart, as the {@code udh} field.
 * Reading never fails: a header that does not parse has no concatenation.
 */
public final class UserDataHeader {
  private static final int CONCAT_8BIT_REF = 0x00;
  private static final int CONCAT_16BIT_REF = 0x08;

  private UserDataHeader() {}

  /** How many octets the header at the start of the data takes, UDHL included; 0 when the data end before it does. */
  public static int length(byte[] data) {
    if (data.length == 0) {
      return 0;
    }
    int length = 1 + (data[0] & 0xFF);
    return length <= data.length ? length : 0;
  }

  /** The concatenation element (§9.2.3.24.1 and .8) of the header at the start of the data, if it has a valid one. */
  public static Optional<Segment> concatenation(byte[] data) {
    int headerEnd = length(data);
    int element = 1;
    while (element + 1 < headerEnd) {
      int id = data[element] & 0xFF;
      int length = data[element + 1] & 0xFF;
      int value = element + 2;
      if (value + length > headerEnd) {
        return Optional.empty();
      }
      if (id == CONCAT_8BIT_REF && length == 3) {
        return Segment.of("udh8", Integer.toString(data[value] & 0xFF), data[value + 1] & 0xFF, data[value + 2] & 0xFF);
      }
      if (id == CONCAT_16BIT_REF && length == 4) {
        int reference = ((data[value] & 0xFF) << 8) | (data[value + 1] & 0xFF);
        return Segment.of("udh16", Integer.toString(reference), data[value + 2] & 0xFF, data[value + 3] & 0xFF);
      }
      element = value + length;
    }
    return Optional.empty();
  }
}
