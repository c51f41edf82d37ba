package io.verigate.cli;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import java.util.Map;

/**
 * A QR code drawn with Unicode half blocks, two rows of modules per line of text, so that a phone can scan it off the
 * screen. It is drawn for a dark terminal: light modules (and the quiet zone around the code) are the printed
 * blocks, so the code shows dark on light as scanners expect.
 */
final class TerminalQr {
  private static final int QUIET_ZONE = 2;

  private TerminalQr() {}

  static String of(String text) {
    BitMatrix modules;
    try {
      modules = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0,
          Map.of(EncodeHintType.MARGIN, QUIET_ZONE, EncodeHintType.CHARACTER_SET, "UTF-8"));
    } catch (WriterException e) {
      throw new IllegalArgumentException("cannot draw a QR code of " + text.length() + " characters", e);
    }
    StringBuilder lines = new StringBuilder();
    for (int y = 0; y < modules.getHeight(); y += 2) {
      for (int x = 0; x < modules.getWidth(); x++) {
        boolean upperLight = !modules.get(x, y);
        boolean lowerLight = y + 1 >= modules.getHeight() || !modules.get(x, y + 1);
        lines.append(upperLight ? (lowerLight ? '█' : '▀') : (lowerLight ? '▄' : ' '));
      }
      lines.append('\n');
    }
    return lines.toString();
  }
}
