package io.verigate.server.inbound;

import static io.verigate.server.fuzz.Fuzzing.capped;
import static io.verigate.server.fuzz.Fuzzing.withinBound;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.verigate.server.fuzz.Fuzzing;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;

/**
 * What a sender controls in a long message: the concatenation header each part carries, the parts' data codings and
 * bytes, and the order and repetition they arrive in. Reassembling never fails, whatever arrives. Inputs are binary;
 * the layout is described on the method and matches the seed files.
 */
class ReassemblyFuzzTest {
  private static final String SENDER = "WhatsApp";
  private static final String RECEIVER = "+14155550101";
  private static final Instant RECEIVED_AT = Instant.parse("2026-11-27T12:30:00Z");

  @BeforeEach
  void loadTheDecodersUntimed() {
    byte[] gsm7Code = {0x63, 0x6F, 0x64, 0x65, 0x20, 0x34, 0x38, 0x32, 0x31}; // "code 4821"
    ByteArrayOutputStream input = new ByteArrayOutputStream();
    input.writeBytes(new byte[] {1, 2, 1, 0x08, 2, 0x04, 0x1F, 2, 0x00, (byte) gsm7Code.length});
    input.writeBytes(gsm7Code);
    checkReassembly(input.toByteArray());
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

  private static void checkReassembly(byte[] input) {
    Fuzzing.Bytes in = new Fuzzing.Bytes(input);
    int reference = in.next();
    int total = in.next();
    List<Part> arrived = new ArrayList<>();
    while (in.hasMore()) {
      int number = in.next();
      int dataCoding = in.next();
      byte[] header = {5, 0, 3, (byte) reference, (byte) total, (byte) number};
      Segment segment = UserDataHeader.concatenation(header).orElse(Segment.WHOLE);
      arrived.add(Part.of("smpp", segment, SENDER, RECEIVER, dataCoding, in.take(in.next()), RECEIVED_AT));
    }
    // The part journal groups parts by key, as here.
    arrived.stream().collect(Collectors.groupingBy(Part::key)).values().forEach(ReassemblyFuzzTest::assertReassembled);
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
}
