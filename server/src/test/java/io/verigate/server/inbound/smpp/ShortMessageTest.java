package io.verigate.server.inbound.smpp;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.inbound.Segment;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ShortMessageTest {
  private static final int UDHI = 0x40;
  private static final byte[] TEXT = "code 1234".getBytes(StandardCharsets.US_ASCII);

  @Test
  void readsAnEightBitReferenceConcatenationHeaderAndStripsIt() {
    ShortMessage message = read(UDHI, concat(new byte[] {5, 0x00, 3, (byte) 0xA7, 3, 2}), null);

    assertThat(message.segment()).isEqualTo(new Segment("udh8", "167", 3, 2));
    assertThat(message.userData()).isEqualTo(TEXT);
  }

  @Test
  void readsASixteenBitReferenceAfterOtherHeaderElements() {
    byte[] header = {9, 0x24, 1, 0x01, 0x08, 4, (byte) 0xBE, (byte) 0xEF, 2, 1};

    ShortMessage message = read(UDHI, concat(header), null);

    assertThat(message.segment()).isEqualTo(new Segment("udh16", "48879", 2, 1));
    assertThat(message.userData()).isEqualTo(TEXT);
  }

  @Test
  void readsTheSarParametersWhenThereIsNoHeader() {
    ShortMessage message = ShortMessage.read("Bank", "4915123456789", 0, 0x08, TEXT, null, 0xFFFF, 4, 4);

    assertThat(message.segment()).isEqualTo(new Segment("sar", "65535", 4, 4));
    assertThat(message.userData()).isEqualTo(TEXT);
    assertThat(message.dataCoding()).isEqualTo(8);
  }

  @Test
  void takesTheTextFromMessagePayloadWhenShortMessageIsEmpty() {
    ShortMessage message = ShortMessage.read("Bank", "4915123456789", 0, 0, new byte[0], TEXT, null, null, null);

    assertThat(message.userData()).isEqualTo(TEXT);
    assertThat(message.segment().whole()).isTrue();
  }

  @Test
  void keepsTheBytesOfAMessageWhoseHeaderRunsPastItsEnd() {
    byte[] bytes = {(byte) 0xF0, 0x00, 3, 1};

    ShortMessage message = read(UDHI, bytes, null);

    assertThat(message.userData()).isEqualTo(bytes);
    assertThat(message.segment().whole()).isTrue();
  }

  @Test
  void readsAConcatenationOfOnePartOrWithANumberBeyondItsTotalAsWhole() {
    assertThat(read(UDHI, concat(new byte[] {5, 0x00, 3, 9, 1, 1}), null).segment().whole()).isTrue();
    assertThat(read(UDHI, concat(new byte[] {5, 0x00, 3, 9, 2, 3}), null).segment().whole()).isTrue();
    assertThat(read(UDHI, concat(new byte[] {5, 0x00, 3, 9, 2, 0}), null).segment().whole()).isTrue();
  }

  @Test
  void ignoresAHeaderWhenTheUdhiBitIsNotSet() {
    byte[] bytes = concat(new byte[] {5, 0x00, 3, 9, 2, 1});

    ShortMessage message = read(0, bytes, null);

    assertThat(message.userData()).isEqualTo(bytes);
    assertThat(message.segment().whole()).isTrue();
  }

  private static ShortMessage read(int esmClass, byte[] shortMessage, byte[] payload) {
    return ShortMessage.read("Bank", "4915123456789", esmClass, 0, shortMessage, payload, null, null, null);
  }

  private static byte[] concat(byte[] header) {
    byte[] out = new byte[header.length + TEXT.length];
    System.arraycopy(header, 0, out, 0, header.length);
    System.arraycopy(TEXT, 0, out, header.length, TEXT.length);
    return out;
  }
}
