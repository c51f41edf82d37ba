package io.verigate.server.inbound.smshub;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** The compression the protocol asks for on every request and response. */
final class Gzip {
  private Gzip() {}

  static byte[] compress(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 32);
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot happen writing to memory", e);
    }
    return out.toByteArray();
  }

  /** Whether a body is gzip whatever its headers say: some senders compress without saying so. */
  static boolean isCompressed(byte[] data, String contentEncoding) {
    boolean magic = data.length >= 2 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b;
    return magic || (contentEncoding != null && contentEncoding.toLowerCase(java.util.Locale.ROOT).contains("gzip"));
  }

  /** Inflates at most {@code limit} bytes and refuses more, so a small compressed body cannot exhaust memory. */
  static byte[] decompress(byte[] data, int limit) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
      byte[] inflated = in.readNBytes(limit + 1);
      if (inflated.length > limit) {
        throw new IOException("more than " + limit + " bytes once inflated");
      }
      return inflated;
    }
  }
}
