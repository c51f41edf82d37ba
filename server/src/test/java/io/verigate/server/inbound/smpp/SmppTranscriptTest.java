package io.verigate.server.inbound.smpp;

import static io.verigate.server.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.inbound.Gsm7Encoding;
import io.verigate.server.testing.TestApp;
import io.verigate.server.testing.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.Alphabet;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataCoding;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.GeneralDataCoding;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.RawDataCoding;
import org.jsmpp.extra.NegativeResponseException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verigate bound as an ESME to an SMSC played by jSMPP on loopback, set up through the admin API as an operator would.
 * The SMSC's {@code deliver} returns when Verigate's deliver_sm_resp arrives, so whatever a test reads right after it
 * was committed before the resp was sent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SmppTranscriptTest {
  private static final ESMClass PLAIN = new ESMClass();
  private static final ESMClass WITH_UDH = new ESMClass(0x40);
  private static final DataCoding GSM = DataCodings.ZERO;
  private static final DataCoding UCS2 = new GeneralDataCoding(Alphabet.ALPHA_UCS2);

  TestApp app;
  SmppNode node;

  /** The node the transcript runs against; the PostgreSQL run starts its own. */
  TestApp startNode() {
    return TestApp.start();
  }

  /** A database of its own, for the test that restarts a node on it. */
  String freshDatabase() {
    return TestDatabases.freshH2();
  }

  void dropDatabase(String url) {
    // an in-memory H2 database goes with the JVM
  }

  @BeforeAll
  void start() {
    app = startNode();
    node = new SmppNode(app);
  }

  @AfterAll
  void stop() {
    app.close();
  }

  @Test
  void acknowledgesADeliverSmOnlyOnceItsCodeIsReadableThroughTheApi() throws Exception {
    try (FakeSmsc smsc = FakeSmsc.start("vg-first", "secret1")) {
      String source = node.smppSource(smsc, "vg-first", "secret1", "");
      SmppNode.Bought bought = node.buyWhatsApp(source, "de");
      smsc.awaitBinds(1);

      smsc.deliver("WhatsApp", digits(bought.phone()), PLAIN, GSM, gsm("Your WhatsApp code: 318-604"));

      assertThat(node.journal(bought.phone())).containsExactly("Your WhatsApp code: 318-604");
      JsonNode activation = node.activation(bought);
      assertThat(activation.get("code").asText()).isEqualTo("318604");
      assertThat(activation.get("smsText").asText()).isEqualTo("Your WhatsApp code: 318-604");
      assertThat(smsc.binds()).containsExactly(BindType.BIND_RX);
      JsonNode view = node.source(source);
      assertThat(view.at("/smpp/linkState").asText()).isEqualTo("bound");
      assertThat(view.at("/smpp/binds").asLong()).isEqualTo(1);
      assertThat(view.at("/health/messages").asLong()).isEqualTo(1);
      assertThat(view.toString()).doesNotContain("secret1");
    }
  }

  @Test
  void decodesGsmSevenBitWithItsExtensionTableUcs2CyrillicWithEmojiAndLatin1() throws Exception {
    try (FakeSmsc smsc = FakeSmsc.start("vg-codings", "pw")) {
      node.smppSource(smsc, "vg-codings", "pw", "");
      String gsmNumber = SmppNode.freshNumber("at");
      String ucs2Number = SmppNode.freshNumber("ru");
      String latinNumber = SmppNode.freshNumber("es");

      smsc.deliver("Bank", digits(gsmNumber), PLAIN, GSM, gsm("Code {7731} @ 5€ [ok] ~^|\\ £_é"));
      smsc.deliver("Telegram", digits(ucs2Number), PLAIN, UCS2, "Код подтверждения: 884 120 🔐".getBytes(StandardCharsets.UTF_16BE));
      smsc.deliver("Correos", digits(latinNumber), PLAIN, new RawDataCoding((byte) 0x03),
          "Código de verificación: 5521".getBytes(StandardCharsets.ISO_8859_1));

      assertThat(node.journal(gsmNumber)).containsExactly("Code {7731} @ 5€ [ok] ~^|\\ £_é");
      assertThat(node.journal(ucs2Number)).containsExactly("Код подтверждения: 884 120 🔐");
      assertThat(node.journal(latinNumber)).containsExactly("Código de verificación: 5521");
    }
  }

  @Test
  void reassemblesAThreePartUdhMessageSentOutOfOrderAndInterleavedWithAnother() throws Exception {
    try (FakeSmsc smsc = FakeSmsc.start("vg-udh", "pw")) {
      String source = node.smppSource(smsc, "vg-udh", "pw", "");
      SmppNode.Bought bought = node.buyWhatsApp(source, "fr");
      String other = SmppNode.freshNumber("be");
      String to = digits(bought.phone());

      smsc.deliver("WhatsApp", to, WITH_UDH, GSM, udh8(0x2A, 3, 3, gsm("412-907. Do not share it.")));
      smsc.deliver("Shop", digits(other), WITH_UDH, GSM, udh16(0x1F40, 2, 2, gsm("is on its way.")));
      smsc.deliver("WhatsApp", to, WITH_UDH, GSM, udh8(0x2A, 3, 1, gsm("Your Whats")));
      smsc.deliver("Shop", digits(other), WITH_UDH, GSM, udh16(0x1F40, 2, 1, gsm("Your parcel ")));

      assertThat(node.journal(bought.phone())).as("two of three parts are not a message yet").isEmpty();
      assertThat(node.journal(other)).containsExactly("Your parcel is on its way.");

      smsc.deliver("WhatsApp", to, WITH_UDH, GSM, udh8(0x2A, 3, 2, gsm("App code: ")));

      assertThat(node.journal(bought.phone())).containsExactly("Your WhatsApp code: 412-907. Do not share it.");
      assertThat(node.activation(bought).get("code").asText()).isEqualTo("412907");
    }
  }

  @Test
  void reassemblesASarMessageWhoseEmojiStraddlesItsTwoParts() throws Exception {
    try (FakeSmsc smsc = FakeSmsc.start("vg-sar", "pw")) {
      node.smppSource(smsc, "vg-sar", "pw", "");
      String receiver = SmppNode.freshNumber("ua");
      String text = "Код Telegram: 55021 🙂 никому его не сообщайте";
      byte[] ucs2 = text.getBytes(StandardCharsets.UTF_16BE);
      int split = (text.indexOf("🙂") + 1) * 2;

      smsc.deliver("Telegram", digits(receiver), PLAIN, UCS2, Arrays.copyOfRange(ucs2, split, ucs2.length), sar(0x7001, 2, 2));
      smsc.deliver("Telegram", digits(receiver), PLAIN, UCS2, Arrays.copyOfRange(ucs2, 0, split), sar(0x7001, 2, 1));

      assertThat(node.journal(receiver)).containsExactly(text);
    }
  }

  @Test
  void storesMessagesAndPartsTheSmscSendsAgainOnce() throws Exception {
    try (FakeSmsc smsc = FakeSmsc.start("vg-dupes", "pw")) {
      String source = node.smppSource(smsc, "vg-dupes", "pw", "");
      String single = SmppNode.freshNumber("it");
      String split = SmppNode.freshNumber("pt");
      byte[] first = udh8(0x10, 2, 1, gsm("Your code is "));
      byte[] second = udh8(0x10, 2, 2, gsm("771903"));

      smsc.deliver("Google", digits(single), PLAIN, GSM, gsm("G-771903 is your Google verification code."));
      smsc.deliver("Google", digits(single), PLAIN, GSM, gsm("G-771903 is your Google verification code."));
      smsc.deliver("Uber", digits(split), WITH_UDH, GSM, first);
      smsc.deliver("Uber", digits(split), WITH_UDH, GSM, first);
      smsc.deliver("Uber", digits(split), WITH_UDH, GSM, second);
      smsc.deliver("Uber", digits(split), WITH_UDH, GSM, first);
      smsc.deliver("Uber", digits(split), WITH_UDH, GSM, second);

      assertThat(node.journal(single)).containsExactly("G-771903 is your Google verification code.");
      assertThat(node.journal(split)).containsExactly("Your code is 771903");
      assertThat(node.source(source).at("/health/duplicates").asLong())
          .as("the repeated SMS, the part repeated while waiting, and the whole message sent again").isEqualTo(3);
    }
  }

  @Test
  void bindsAgainAfterTheSmscDropsTheLinkAndTakesMessagesOnTheNewBind() throws Exception {
    try (FakeSmsc smsc = FakeSmsc.start("vg-drop", "pw")) {
      String source = node.smppSource(smsc, "vg-drop", "pw", ",\"bindType\":\"transceiver\"");
      String receiver = SmppNode.freshNumber("pl");
      node.awaitBound(source, 1);

      smsc.dropLink();
      node.awaitBound(source, 2);
      smsc.deliver("Allegro", digits(receiver), PLAIN, GSM, gsm("Kod: 662 014"));

      assertThat(node.journal(receiver)).containsExactly("Kod: 662 014");
      assertThat(smsc.binds()).containsExactly(BindType.BIND_TRX, BindType.BIND_TRX);
      assertThat(node.source(source).at("/health/lastError").asText()).contains("dropped");
    }
  }

  @Test
  void journalsWhatArrivedOfAMessageWhoseMissingPartNeverCameAndALatePartOnItsOwn() throws Exception {
    try (FakeSmsc smsc = FakeSmsc.start("vg-timeout", "pw")) {
      String source = node.smppSource(smsc, "vg-timeout", "pw", ",\"reassemblySeconds\":1");
      SmppNode.Bought bought = node.buyWhatsApp(source, "se");
      String to = digits(bought.phone());

      smsc.deliver("WhatsApp", to, WITH_UDH, GSM, udh8(0x33, 3, 1, gsm("Your WhatsApp code: 550-122. ")));
      smsc.deliver("WhatsApp", to, WITH_UDH, GSM, udh8(0x33, 3, 3, gsm("it expires soon.")));

      eventually("the incomplete message is journaled", () -> !node.journal(bought.phone()).isEmpty());
      assertThat(node.journal(bought.phone())).containsExactly("Your WhatsApp code: 550-122. …it expires soon.");
      assertThat(node.activation(bought).get("code").asText()).isEqualTo("550122");

      smsc.deliver("WhatsApp", to, WITH_UDH, GSM, udh8(0x33, 3, 2, gsm("Do not share it, ")));

      eventually("the late part is journaled", () -> node.journal(bought.phone()).size() == 2);
      assertThat(node.journal(bought.phone())).containsExactly("Your WhatsApp code: 550-122. …it expires soon.",
          "…Do not share it, …");
    }
  }

  @Test
  void answersSystemErrorWhileStoringFailsSoThatTheSmscSendsAgain() throws Exception {
    try (FakeSmsc smsc = FakeSmsc.start("vg-syserr", "pw")) {
      node.smppSource(smsc, "vg-syserr", "pw", "");
      String receiver = SmppNode.freshNumber("fi");
      smsc.awaitBinds(1);

      NegativeResponseException refused;
      execute("ALTER TABLE inbound_message RENAME TO inbound_message_away");
      try {
        refused = catchThrowableOfType(NegativeResponseException.class,
            () -> smsc.deliver("Nordea", digits(receiver), PLAIN, GSM, gsm("Code 4410")));
      } finally {
        execute("ALTER TABLE inbound_message_away RENAME TO inbound_message");
      }
      smsc.deliver("Nordea", digits(receiver), PLAIN, GSM, gsm("Code 4410"));

      assertThat(refused.getCommandStatus()).isEqualTo(SMPPConstant.STAT_ESME_RSYSERR);
      assertThat(node.journal(receiver)).containsExactly("Code 4410");
    }
  }

  @Test
  void refusesADeliverSmToSomethingThatIsNoPhoneNumberAndShowsWhy() {
    try (FakeSmsc smsc = FakeSmsc.start("vg-baddest", "pw")) {
      String source = node.smppSource(smsc, "vg-baddest", "pw", "");

      NegativeResponseException refused = catchThrowableOfType(NegativeResponseException.class,
          () -> smsc.deliver("Bank", "12", PLAIN, GSM, gsm("Code 1234")));

      assertThat(refused.getCommandStatus()).isEqualTo(SMPPConstant.STAT_ESME_RINVDSTADR);
      JsonNode health = node.source(source).get("health");
      assertThat(health.get("rejected").asLong()).isEqualTo(1);
      assertThat(health.get("messages").asLong()).isZero();
      assertThat(health.get("lastError").asText()).contains("'12'", "not a phone number");
    }
  }

  @Test
  void refusesADeliverSmToANumberOfAnotherSourceAndKeepsItAsRejected() {
    try (FakeSmsc smsc = FakeSmsc.start("vg-foreign", "pw")) {
      String source = node.smppSource(smsc, "vg-foreign", "pw", "");
      String owner = SmppNode.uniqueName("gw");
      node.admin("POST", "/admin/v1/sources", "{\"name\":\"" + owner + "\"}");
      SmppNode.Bought bought = node.buyWhatsApp(owner, "ie");
      smsc.awaitBinds(1);

      NegativeResponseException refused = catchThrowableOfType(NegativeResponseException.class,
          () -> smsc.deliver("WhatsApp", digits(bought.phone()), PLAIN, GSM, gsm("Your WhatsApp code: 551-208")));

      assertThat(refused.getCommandStatus()).isEqualTo(SMPPConstant.STAT_ESME_RINVDSTADR);
      assertThat(node.journal(bought.phone())).as("kept in the journal").containsExactly("Your WhatsApp code: 551-208");
      assertThat(node.activation(bought).get("code").isNull()).isTrue();
      JsonNode health = node.source(source).get("health");
      assertThat(health.get("rejected").asLong()).isEqualTo(1);
      assertThat(health.get("lastError").asText()).contains("another source");
    }
  }

  @Test
  void acknowledgesADeliveryReceiptWithoutJournalingIt() throws Exception {
    try (FakeSmsc smsc = FakeSmsc.start("vg-receipt", "pw")) {
      String source = node.smppSource(smsc, "vg-receipt", "pw", "");
      String receiver = SmppNode.freshNumber("dk");

      smsc.deliver("Bank", digits(receiver), new ESMClass(0x04), GSM,
          gsm("id:1234 sub:001 dlvrd:001 submit date:2611270101 done date:2611270102 stat:DELIVRD err:000 text:Code 1234"));

      assertThat(node.journal(receiver)).isEmpty();
      assertThat(node.source(source).at("/health/rejected").asLong()).isZero();
    }
  }

  @Test
  void journalsADataSmCarryingItsTextInMessagePayload() throws Exception {
    try (FakeSmsc smsc = FakeSmsc.start("vg-datasm", "pw")) {
      node.smppSource(smsc, "vg-datasm", "pw", ",\"bindType\":\"transceiver\"");
      String receiver = SmppNode.freshNumber("no");

      smsc.dataSm("Vipps", digits(receiver), UCS2, "Vipps-kode: 6041 – ikke del den".getBytes(StandardCharsets.UTF_16BE));

      assertThat(node.journal(receiver)).containsExactly("Vipps-kode: 6041 – ikke del den");
    }
  }

  @Test
  void keepsAnIdleLinkAliveWithEnquireLink() {
    try (FakeSmsc smsc = FakeSmsc.start("vg-enquire", "pw")) {
      node.smppSource(smsc, "vg-enquire", "pw", ",\"enquireLinkSeconds\":1");
      smsc.awaitBinds(1);

      eventually("the idle link is probed twice", () -> smsc.enquireLinks() >= 2);

      assertThat(smsc.binds()).hasSize(1);
    }
  }

  @Test
  void showsARefusedBindInTheSourceHealthAndBindsOnceThePasswordIsCorrected() {
    try (FakeSmsc smsc = FakeSmsc.start("vg-refused", "right")) {
      String source = node.smppSource(smsc, "vg-refused", "wrong", "");
      eventually("the refused bind shows in the source's health",
          () -> node.source(source).at("/health/lastError").asText().contains("bind to 127.0.0.1:" + smsc.port() + " failed"));
      assertThat(node.source(source).at("/smpp/linkState").asText()).isNotEqualTo("bound");

      node.admin("PATCH", "/admin/v1/sources/" + source, "{\"password\":\"right\"}");

      node.awaitBound(source, 1);
      assertThat(smsc.binds()).hasSize(1);
    }
  }

  @Test
  void refusesLinkSettingsThatDoNotFitTheSource() {
    String missingHost = "{\"name\":\"" + SmppNode.uniqueName("smsc") + "\",\"type\":\"smpp\",\"port\":2775,\"systemId\":\"vg\"}";
    String onAndroid = "{\"name\":\"" + SmppNode.uniqueName("phone") + "\",\"type\":\"android\",\"host\":\"smsc.example.net\"}";
    String longSystemId = "{\"name\":\"" + SmppNode.uniqueName("smsc") + "\",\"type\":\"smpp\",\"host\":\"smsc.example.net\","
        + "\"port\":2775,\"systemId\":\"a-system-id-of-16\"}";
    String badBindType = "{\"name\":\"" + SmppNode.uniqueName("smsc") + "\",\"type\":\"smpp\",\"host\":\"smsc.example.net\","
        + "\"port\":2775,\"systemId\":\"vg\",\"bindType\":\"transmitter\"}";

    assertThat(refusal(missingHost)).contains("host", "port", "systemId");
    assertThat(refusal(onAndroid)).contains("smpp sources only");
    assertThat(refusal(longSystemId)).contains("systemId must be 1-15");
    assertThat(refusal(badBindType)).contains("receiver or transceiver");
  }

  @Test
  void reassemblesAMessageWhosePartsStraddleARestartOfTheNode(@TempDir Path dataDir) throws Exception {
    String database = freshDatabase();
    String receiver = SmppNode.freshNumber("nl");
    // The restarted node keeps its data directory, where an embedded node keeps the key its SMPP password is sealed with.
    Map<String, String> node = Map.of("db-url", database, "data-dir", dataDir.toString());
    try (FakeSmsc smsc = FakeSmsc.start("vg-restart", "pw")) {
      try (TestApp before = TestApp.start(node)) {
        new SmppNode(before).smppSource(smsc, "vg-restart", "pw", "");
        smsc.deliver("Bol", digits(receiver), WITH_UDH, GSM, udh8(0x05, 2, 1, gsm("Je code is ")));
      }
      try (TestApp after = TestApp.start(node)) {
        smsc.awaitBinds(2);
        smsc.deliver("Bol", digits(receiver), WITH_UDH, GSM, udh8(0x05, 2, 2, gsm("905 311")));

        assertThat(new SmppNode(after).journal(receiver)).containsExactly("Je code is 905 311");
      }
    } finally {
      dropDatabase(database);
    }
  }

  private String refusal(String json) {
    HttpResponse<String> reply = node.send("POST", "/admin/v1/sources", json, app.adminToken());
    assertThat(reply.statusCode()).as(reply.body()).isEqualTo(400);
    return SmppNode.json(reply).get("detail").asText();
  }

  private void execute(String sql) {
    app.app().database().withHandle(h -> h.execute(sql));
  }

  /** SMSCs send international numbers as digits, without the plus. */
  private static String digits(String e164) {
    return e164.substring(1);
  }

  private static OptionalParameter[] sar(int reference, int total, int number) {
    return new OptionalParameter[] {new OptionalParameter.Sar_msg_ref_num((short) reference),
        new OptionalParameter.Sar_total_segments((byte) total), new OptionalParameter.Sar_segment_seqnum((byte) number)};
  }

  private static byte[] udh8(int reference, int total, int number, byte[] text) {
    return withHeader(new byte[] {5, 0x00, 3, (byte) reference, (byte) total, (byte) number}, text);
  }

  private static byte[] udh16(int reference, int total, int number, byte[] text) {
    return withHeader(new byte[] {6, 0x08, 4, (byte) (reference >> 8), (byte) reference, (byte) total, (byte) number}, text);
  }

  private static byte[] withHeader(byte[] header, byte[] text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header);
    out.writeBytes(text);
    return out.toByteArray();
  }

  /** Unpacked GSM 7-bit, as an SMSC sends it in short_message. */
  static byte[] gsm(String text) {
    return Gsm7Encoding.encode(text);
  }
}
