package io.verigate.server.inbound.smpp;

import static io.verigate.server.fuzz.Fuzzing.capped;
import static io.verigate.server.fuzz.Fuzzing.withinBound;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.verigate.server.fuzz.Fuzzing;
import io.verigate.server.inbound.Segment;
import io.verigate.server.inbound.SmsText;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;

/**
 * What an SMSC controls in a deliver_sm: esm_class, data_coding, the user data with its header and the SAR parameters.
 * Reading never fails, whatever arrives (reassembling the parts is the core's, fuzzed by ReassemblyFuzzTest). Inputs
 * are binary; the layout is described on the method and matches the seed files.
 */
class SmppFuzzTest {
  private static final String SENDER = "WhatsApp";
  private static final String RECEIVER = "+14155550101";
  private static final int UDHI = 0x40;

  @BeforeEach
  void loadTheDecoderUntimed() {
    byte[] gsm7Code = {0x63, 0x6F, 0x64, 0x65, 0x20, 0x34, 0x38, 0x32, 0x31}; // "code 4821"
    checkDeliverSm(concat(new byte[] {UDHI, 0x00, 0, 0, 0, 0, 0, 5, 0, 3, 1, 2, 1}, gsm7Code));
  }

  /**
   * Input: esm_class, data_coding, a flags byte (bit 0: SAR parameters present, bit 1: the data travels in
   * message_payload), sar_msg_ref_num (2 bytes), sar_total_segments, sar_segment_seqnum, then the data.
   */
  @FuzzTest
  void anyDeliverSmIsReadAndDecoded(byte[] input) {
    withinBound(() -> checkDeliverSm(capped(input)));
  }

  private static void checkDeliverSm(byte[] input) {
    Fuzzing.Bytes in = new Fuzzing.Bytes(input);
    int esmClass = in.next();
    int dataCoding = in.next();
    int flags = in.next();
    int sarReference = in.next() << 8 | in.next();
    int sarTotal = in.next();
    int sarNumber = in.next();
    byte[] data = in.rest();
    boolean sar = (flags & 1) != 0;
    boolean inPayload = (flags & 2) != 0;

    ShortMessage message = ShortMessage.read(SENDER, RECEIVER, esmClass, dataCoding, inPayload ? null : data,
        inPayload ? data : null, sar ? sarReference : null, sar ? sarTotal : null, sar ? sarNumber : null);

    Segment segment = message.segment();
    assertThat(segment.total()).isPositive();
    assertThat(segment.number()).isBetween(1, segment.total());
    assertThat(message.userData().length).isLessThanOrEqualTo(data.length);
    // No data coding makes a character out of nothing.
    String text = SmsText.decode(message.dataCoding(), message.userData());
    assertThat(text).hasSizeLessThanOrEqualTo(message.userData().length);
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }
}
