package io.verigate.server.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reassembler: parts in any order and any number of copies make one message, read only once joined. */
class PartGroupTest {
  private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
  private static final String RECEIVER = "+4915123456789";

  @Test
  void joinsPartsThatArrivedOutOfOrderAndKeepsOneCopyOfEach() {
    PartGroup group = PartGroup.of(List.of(gsm(7, 3, 3, "not share it."), gsm(7, 3, 1, "Code 4821. "),
        gsm(7, 3, 3, "not share it."), gsm(7, 3, 2, "Do ")));

    assertThat(group.complete()).isTrue();
    assertThat(group.text()).isEqualTo("Code 4821. Do not share it.");
  }

  @Test
  void readsAGsmEscapeThatStraddlesTwoParts() {
    byte[] text = Gsm7Encoding.encode("Pay 5€ now");
    int escape = 5;
    assertThat(text[escape]).isEqualTo((byte) 0x1B);

    PartGroup group = PartGroup.of(List.of(part(1, 2, 0, Arrays.copyOfRange(text, 0, escape + 1)),
        part(2, 2, 0, Arrays.copyOfRange(text, escape + 1, text.length))));

    assertThat(group.text()).isEqualTo("Pay 5€ now");
  }

  @Test
  void readsAUcs2SurrogatePairThatStraddlesTwoParts() {
    String emoji = "Код 5521 🔐 ok";
    byte[] ucs2 = emoji.getBytes(StandardCharsets.UTF_16BE);
    int split = (emoji.indexOf("🔐") + 1) * 2;

    PartGroup group = PartGroup.of(List.of(part(2, 2, 0x08, Arrays.copyOfRange(ucs2, split, ucs2.length)),
        part(1, 2, 0x08, Arrays.copyOfRange(ucs2, 0, split))));

    assertThat(group.text()).isEqualTo(emoji);
  }

  @Test
  void joinsTextPartsWhoseProviderSplitASurrogatePairBetweenThem() {
    String text = "Код 7719 🔐 ok";
    int split = text.indexOf("🔐") + 1;

    PartGroup group = PartGroup.of(List.of(
        Part.ofText("vonage", concat(2, 2), "Bank", RECEIVER, text.substring(split), T0),
        Part.ofText("vonage", concat(2, 1), "Bank", RECEIVER, text.substring(0, split), T0)));

    assertThat(group.text()).isEqualTo(text);
    assertThat(group.providerId()).startsWith("vonage:");
  }

  @Test
  void keepsReferencesApartThatDifferOnlyInWhereTheSeparatorStands() {
    // Joined without escaping, both would read "concat|x|2|<receiver>|y|2|<receiver>|z".
    Part oneWay = Part.ofText("vonage", new Segment("concat", "x", 2, 1), "y|2|" + RECEIVER + "|z", RECEIVER, "A", T0);
    Part another = Part.ofText("vonage", new Segment("concat", "x|2|" + RECEIVER + "|y", 2, 1), "z", RECEIVER, "A", T0);

    assertThat(oneWay.key()).isNotEqualTo(another.key());
  }

  @Test
  void marksWhereTheMissingPartsOfAnIncompleteMessageWouldBe() {
    assertThat(PartGroup.of(List.of(gsm(1, 4, 1, "A"), gsm(1, 4, 3, "C"))).text()).isEqualTo("A…C…");
    assertThat(PartGroup.of(List.of(gsm(1, 3, 2, "B"), gsm(1, 3, 3, "C"))).text()).isEqualTo("…BC");
    assertThat(PartGroup.of(List.of(gsm(1, 3, 2, "B"))).complete()).isFalse();
  }

  @Test
  void givesAMessageTheSameIdWhateverOrderItsPartsCameIn() {
    PartGroup inOrder = PartGroup.of(List.of(gsm(7, 2, 1, "Code "), gsm(7, 2, 2, "4821")));
    PartGroup reversed = PartGroup.of(List.of(gsm(7, 2, 2, "4821"), gsm(7, 2, 1, "Code ")));

    assertThat(reversed.providerId()).isEqualTo(inOrder.providerId()).startsWith("smpp:");
  }

  @Test
  void givesDifferentMessagesDifferentIds() {
    String id = PartGroup.of(List.of(gsm(7, 2, 1, "Code "), gsm(7, 2, 2, "4821"))).providerId();

    assertThat(PartGroup.of(List.of(gsm(8, 2, 1, "Code "), gsm(8, 2, 2, "4821"))).providerId())
        .as("another reference").isNotEqualTo(id);
    assertThat(PartGroup.of(List.of(gsm(7, 2, 1, "Code "), gsm(7, 2, 2, "4822"))).providerId())
        .as("other text").isNotEqualTo(id);
    assertThat(PartGroup.of(List.of(gsm(7, 2, 1, "Code "))).providerId())
        .as("only what arrived before the timeout").isNotEqualTo(id);
  }

  @Test
  void recognisesAQuickResendButNotTheSameTextSentAgainMinutesLater() {
    Part original = new Part("smpp", "k", 1, 1, "WhatsApp", RECEIVER, 0, "31", T0);
    Part resent = new Part("smpp", "k", 1, 1, "WhatsApp", RECEIVER, 0, "31", T0.plusSeconds(20));
    Part sentAgain = new Part("smpp", "k", 1, 1, "WhatsApp", RECEIVER, 0, "31",
        T0.plus(PartGroup.RESEND_WINDOW).plusSeconds(1));

    String id = PartGroup.of(List.of(original)).providerId();

    assertThat(PartGroup.of(List.of(resent)).providerId()).isEqualTo(id);
    assertThat(PartGroup.of(List.of(sentAgain)).providerId()).isNotEqualTo(id);
  }

  @Test
  void journalsTheMessageAsReceivedWhenItsFirstPartWas() {
    Part later = new Part("smpp", "k", 2, 2, "Bank", RECEIVER, 0, "41", T0.plusSeconds(5));
    Part first = new Part("smpp", "k", 1, 2, "Bank", RECEIVER, 0, "42", T0);

    InboundMessage message = PartGroup.of(List.of(later, first)).message(77);

    assertThat(message.sourceId()).isEqualTo(77);
    assertThat(message.receiver()).isEqualTo(RECEIVER);
    assertThat(message.sender()).isEqualTo("Bank");
    assertThat(message.text()).isEqualTo("BA");
    assertThat(message.receivedAt()).isEqualTo(T0);
  }

  private static Part gsm(int reference, int total, int number, String text) {
    return Part.of("smpp", new Segment("udh8", Integer.toString(reference), total, number), "Bank", RECEIVER, 0,
        Gsm7Encoding.encode(text), T0);
  }

  private static Part part(int number, int total, int dataCoding, byte[] userData) {
    return Part.of("smpp", new Segment("sar", "1", total, number), "Bank", RECEIVER, dataCoding, userData, T0);
  }

  private static Segment concat(int total, int number) {
    return new Segment("concat", "08B5", total, number);
  }
}
