package io.verigate.server.esim;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.client.j2se.MatrixToImageWriter;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** The install QR code of an eSIM: its activation code as a PNG that a phone's camera or settings app scans. */
public final class InstallQr {
  /** Large enough for a phone to read off a laptop screen; the code itself is about 50 characters. */
  private static final int SIZE = 400;

  private InstallQr() {}

  public static byte[] png(ActivationCode code) {
    try {
      // Medium error correction and the standard four-module quiet zone: what phone cameras expect.
      BitMatrix matrix = new QRCodeWriter().encode(code.text(), BarcodeFormat.QR_CODE, SIZE, SIZE,
          Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.MARGIN, 4,
              EncodeHintType.CHARACTER_SET, "UTF-8"));
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      MatrixToImageWriter.writeToStream(matrix, "PNG", png);
      return png.toByteArray();
    } catch (WriterException e) {
      throw new IllegalStateException("an activation code of " + code.text().length() + " characters fits any QR", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
