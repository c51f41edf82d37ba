package io.verigate.server.inbound.smpp;

import static io.verigate.server.fuzz.Fuzzing.capped;
import static io.verigate.server.fuzz.Fuzzing.withinBound;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;

/**
 * What an SMSC controls in a deliver_sm: esm_class, data_coding, the user data with its header, the SAR parameters,
 * and the order and repetition of a long message's parts. Reading and reassembling never fail, whatever arrives.
 * Inputs are binary; the layout of each is described on its method and matches the seed files.
 */
class SmppFuzzTest {
  private static final String SENDER = "WhatsApp";
  private static final String RECEIVER = "+14155550101";
  private static final Instant RECEIVED_AT = Instant.parse("2026-11-27T12:30:00Z");
  private static final int UDHI = 0x40;

  @BeforeEach
  void loadTheDecodersUntimed() {
    byte[] gsm7Code = {0x63, 0x6F, 0x64, 0x65, 0x20, 0x34, 0x38, 0x32, 0x31}; // "code 4821"
    checkDeliverSm(concat(new byte[] {UDHI, 0x00, 0, 0, 0, 0, 0, 5, 0, 3, 1, 2, 1}, gsm7Code));
    checkReassembly(concat(new byte[] {1, 2, 1, 0x08, 2, 0x04, 0x1F, 2, 0x00, (byte) gsm7Code.length}, gsm7Code));
  }

  /**
   * Input: esm_class, data_coding, a flags byte (bit 0: SAR parameters present, bit 1: the data travels in
   * message_payload), sar_msg_ref_num (2 bytes), sar_total_segments, sar_segment_seqnum, then the data.
   */
  @FuzzTest
  void anyDeliverSmIsReadAndDecoded(byte[] input) {
    withinBound(() -> checkDeliverSm(capped(input)));
  }

  /**
   * Input: the reference and total every part's 8-bit concatenation header carries, then parts as they arrive:
   * number, data_coding, length, that many bytes. Parts of one message, in whatever order and repetition, come
   * together as the same text under the same id; a message missing parts shows where. (Which coding reads parts
   * that disagree is PartGroup's choice, so the text is compared only where they agree.)
   */
  @FuzzTest
  void partsReassembleWhateverTheirOrder(byte[] input) {
    withinBound(() -> checkReassembly(capped(input)));
  }

  private static void checkDeliverSm(byte[] input) {
    Bytes in = new Bytes(input);
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

    ShortMessage.Segment segment = message.segment();
    assertThat(segment.total()).isPositive();
    assertThat(segment.number()).isBetween(1, segment.total());
    assertThat(message.userData().length).isLessThanOrEqualTo(data.length);
    // No data coding makes a character out of nothing.
    String text = SmsText.decode(message.dataCoding(), message.userData());
    assertThat(text).hasSizeLessThanOrEqualTo(message.userData().length);
  }

  private static void checkReassembly(byte[] input) {
    Bytes in = new Bytes(input);
    int reference = in.next();
    int total = in.next();
    List<Part> arrived = new ArrayList<>();
    while (in.hasMore()) {
      int number = in.next();
      int dataCoding = in.next();
      byte[] header = {5, 0, 3, (byte) reference, (byte) total, (byte) number};
      byte[] userData = in.take(in.next());
      ShortMessage message = ShortMessage.read(SENDER, RECEIVER, UDHI, dataCoding, concat(header, userData), null,
          null, null, null);
      arrived.add(Part.of(message, SENDER, RECEIVER, RECEIVED_AT));
    }
    // The part journal groups parts by key, as here.
    arrived.stream().collect(Collectors.groupingBy(Part::key)).values().forEach(SmppFuzzTest::assertReassembled);
  }

  private static void assertReassembled(List<Part> arrived) {
    PartGroup group = PartGroup.of(arrived);
    Set<Integer> numbers = arrived.stream().map(Part::number).collect(Collectors.toSet());
    boolean everyPart = IntStream.rangeClosed(1, group.total()).allMatch(numbers::contains);

    assertThat(group.complete()).isEqualTo(everyPart);
    Set<Integer> codings = group.parts().stream().map(Part::dataCoding).collect(Collectors.toSet());
    if (!everyPart) {
      assertThat(group.text()).contains(PartGroup.GAP);
    } else if (codings.size() == 1) {
      // Joined before decoding, so a character split between two parts comes out whole.
      assertThat(group.text()).isEqualTo(SmsText.decode(codings.iterator().next(), joined(group.parts())));
    }
    assertThat(group.message(1L).providerId()).startsWith("smpp:");
    if (eachNumberArrivedAlike(arrived)) {
      List<Part> otherOrder = new ArrayList<>(arrived);
      otherOrder.sort(Comparator.comparing(Part::number).reversed());
      assertThat(PartGroup.of(otherOrder).providerId()).isEqualTo(group.providerId());
    }
  }

  /** A resent part repeats its bytes; only then is arrival order irrelevant, as the first copy of a number wins. */
  private static boolean eachNumberArrivedAlike(List<Part> arrived) {
    return arrived.stream().collect(Collectors.groupingBy(Part::number, Collectors.toSet())).values().stream()
        .allMatch(copies -> copies.size() == 1);
  }

  private static byte[] joined(Collection<Part> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    parts.forEach(part -> out.writeBytes(part.userData()));
    return out.toByteArray();
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }

  /** Reads unsigned bytes; past the end every byte is 0, so every input has a meaning. */
  private static final class Bytes {
    private final byte[] input;
    private int at;

    Bytes(byte[] input) {
      this.input = input;
    }

    boolean hasMore() {
      return at < input.length;
    }

    int next() {
      return hasMore() ? input[at++] & 0xFF : 0;
    }

    byte[] take(int count) {
      byte[] taken = Arrays.copyOfRange(input, Math.min(at, input.length), Math.min(at + count, input.length));
      at += taken.length;
      return taken;
    }

    byte[] rest() {
      return take(input.length - at);
    }
  }
}
