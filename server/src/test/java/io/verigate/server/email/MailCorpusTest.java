package io.verigate.server.email;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.inbound.CodeExtractor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Verification letters as the big senders write them (Google, Microsoft, Apple, Amazon, Meta, GitHub, Steam, Discord,
 * ...; plain, HTML-only, alternative, related, with attachments; quoted-printable, base64 and 8-bit; UTF-8, KOI8-R,
 * windows-1251, ISO-2022-JP, GB2312, Latin-1/9, ISO-8859-9), and letters that must yield nothing (newsletters, receipts,
 * shipping, alerts, invoices, bounces), each with its expected code and link in {@code expected.tsv}.
 */
class MailCorpusTest {
  private static final String DIR = "/email/corpus/";
  private static final MailExtractor EXTRACTOR = new MailExtractor(new CodeExtractor());

  static Stream<Arguments> letters() {
    String table = new String(read("expected.tsv"), StandardCharsets.UTF_8);
    return Arrays.stream(table.split("\n"))
        .filter(line -> !line.isBlank() && !line.startsWith("#"))
        .map(line -> line.split("\t"))
        .map(f -> Arguments.of(f[0], none(f[1]), none(f[2])));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("letters")
  void findsTheCodeAndTheLinkTheLetterHolds(String file, String code, String link) {
    ParsedMail mail = MailReader.read(read(file));

    MailFindings found = EXTRACTOR.find(mail);

    assertThat(mail.text()).as("the letter's text").isNotBlank();
    assertThat(found.code()).as("code in %s", file).isEqualTo(code);
    assertThat(found.link()).as("link in %s", file).isEqualTo(link);
  }

  @org.junit.jupiter.api.Test
  void holdsAtLeastSixtyLetters() {
    assertThat(letters().count()).isGreaterThanOrEqualTo(60);
  }

  private static String none(String field) {
    return field.equals("-") ? null : field;
  }

  private static byte[] read(String name) {
    try (InputStream in = MailCorpusTest.class.getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw new IllegalStateException("no corpus file " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
