package io.verigate.server.inbound;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns user data into text by its SMPP {@code data_coding}, the scale every adapter's parts are stored by. Every
 * input decodes to something: a message in a coding Verigate cannot read still reaches the journal, its digits intact,
 * rather than being refused.
 */
public final class SmsText {
  /** UCS-2, read as UTF-16BE. */
  public static final int UCS2 = 0x08;
  /** 8-bit data, read as UTF-8 when it is valid UTF-8 and as Latin-1 otherwise. */
  public static final int OCTETS = 0x04;
  private static final int GSM7 = 0x00;
  private static final int IA5 = 0x01;
  private static final int LATIN1 = 0x03;
  private static final int CYRILLIC = 0x06;
  private static final int HEBREW = 0x07;

  private SmsText() {}

  public static String decode(int dataCoding, byte[] userData) {
    int coding = dataCoding & 0xFF;
    return switch (coding) {
      case GSM7 -> smscDefault(userData);
      case IA5 -> new String(userData, StandardCharsets.US_ASCII);
      case LATIN1 -> new String(userData, StandardCharsets.ISO_8859_1);
      case CYRILLIC -> new String(userData, Charset.forName("ISO-8859-5"));
      case HEBREW -> new String(userData, Charset.forName("ISO-8859-8"));
      case UCS2 -> ucs2(userData);
      default -> coding < 0x10 ? bestEffort(userData) : byCodingGroup(coding, userData);
    };
  }

  /**
   * Above SMPP's own values (0x00-0x0F, binary and Japanese ones read best effort), the coding groups of TS 23.038 §4:
   * general data coding with a message class or automatic deletion (0x10-0x7F, unless compressed), message waiting
   * (0xC0-0xEF) and data coding/message class (0xF0-0xFF).
   */
  private static String byCodingGroup(int coding, byte[] userData) {
    boolean general = coding < 0x80 && (coding & 0x20) == 0;
    if (general) {
      return switch ((coding >> 2) & 0x03) {
        case 0 -> smscDefault(userData);
        case 2 -> ucs2(userData);
        default -> bestEffort(userData);
      };
    }
    if (coding >= 0xC0 && coding <= 0xDF) {
      return smscDefault(userData);
    }
    if (coding >= 0xE0 && coding <= 0xEF) {
      return ucs2(userData);
    }
    if (coding >= 0xF0 && (coding & 0x04) == 0) {
      return smscDefault(userData);
    }
    return bestEffort(userData);
  }

  /** UCS-2 as UTF-16BE, so the surrogate pairs phones send for emoji decode too. */
  private static String ucs2(byte[] userData) {
    return new String(userData, StandardCharsets.UTF_16BE);
  }

  /**
   * The SMSC default alphabet is GSM 7-bit, one septet per octet. An octet with the high bit set cannot be a septet:
   * such an SMSC sends its own 8-bit text under coding 0, which is read as UTF-8 or else Latin-1.
   */
  private static String smscDefault(byte[] userData) {
    for (byte octet : userData) {
      if (octet < 0) {
        return bestEffort(userData);
      }
    }
    return Gsm7.decode(userData);
  }

  /** UTF-8 when the bytes are valid UTF-8, else Latin-1, which maps every byte to a character. */
  private static String bestEffort(byte[] userData) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(userData))
          .toString();
    } catch (CharacterCodingException e) {
      return new String(userData, StandardCharsets.ISO_8859_1);
    }
  }
}
