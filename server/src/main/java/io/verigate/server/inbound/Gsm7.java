package io.verigate.server.inbound;

/**
 * The GSM 7-bit default alphabet and its extension table (3GPP TS 23.038 §6.2.1), as SMPP carries it: one septet
 * per octet, unpacked. National language shift tables are not supported; their escapes read as the spec's fallback.
 */
final class Gsm7 {
  private static final char ESCAPE = 0x1B;
  /** The basic table indexed by septet; the escape itself stands in as a no-break space when it ends the text. */
  private static final String BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u00A0ÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
      + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

  private Gsm7() {}

  /** Decodes unpacked septets; the high bit of each octet is ignored, so any input decodes. */
  static String decode(byte[] septets) {
    StringBuilder text = new StringBuilder(septets.length);
    for (int i = 0; i < septets.length; i++) {
      int septet = septets[i] & 0x7F;
      if (septet == ESCAPE && i + 1 < septets.length) {
        text.append(extension(septets[++i] & 0x7F));
      } else {
        text.append(BASIC.charAt(septet));
      }
    }
    return text.toString();
  }

  /**
   * The character after an escape. An escape to a code the extension table does not define shows the basic table's
   * character for that code, as TS 23.038 tells receivers to do.
   */
  private static char extension(int septet) {
    return switch (septet) {
      case 0x0A -> '\f';
      case 0x14 -> '^';
      case 0x28 -> '{';
      case 0x29 -> '}';
      case 0x2F -> '\\';
      case 0x3C -> '[';
      case 0x3D -> '~';
      case 0x3E -> ']';
      case 0x40 -> '|';
      case 0x65 -> '€';
      default -> BASIC.charAt(septet);
    };
  }
}
