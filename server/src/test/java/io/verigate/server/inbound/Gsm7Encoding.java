package io.verigate.server.inbound;

import java.io.ByteArrayOutputStream;
import java.util.Map;

/**
 * Text to unpacked GSM 7-bit as an SMSC sends it, written out from TS 23.038 by hand (not derived from the decoder
 * under test): letters, digits and most ASCII punctuation keep their codes; the rest are listed.
 */
public final class Gsm7Encoding {
  private static final int ESCAPE = 0x1B;
  private static final Map<Character, Integer> BASIC = Map.of('@', 0x00, '£', 0x01, '$', 0x02, 'é', 0x05, '_', 0x11,
      '\n', 0x0A, 'Ä', 0x5B, 'ß', 0x1E);
  private static final Map<Character, Integer> EXTENSION = Map.of('€', 0x65, '{', 0x28, '}', 0x29, '[', 0x3C, ']', 0x3E,
      '~', 0x3D, '^', 0x14, '|', 0x40, '\\', 0x2F);
  private static final String SAME_AS_ASCII = " !\"#%&'()*+,-./:;<=>?";

  private Gsm7Encoding() {}

  public static byte[] encode(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (char c : text.toCharArray()) {
      if (Character.isLetterOrDigit(c) && c < 0x80) {
        out.write(c);
      } else if (SAME_AS_ASCII.indexOf(c) >= 0) {
        out.write(c);
      } else if (BASIC.containsKey(c)) {
        out.write(BASIC.get(c));
      } else if (EXTENSION.containsKey(c)) {
        out.write(ESCAPE);
        out.write(EXTENSION.get(c));
      } else {
        throw new IllegalArgumentException("no GSM 7-bit code for '" + c + "' in this test encoder");
      }
    }
    return out.toByteArray();
  }
}
