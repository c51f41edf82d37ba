package io.verigate.server.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.catalog.Catalog;
import io.verigate.server.catalog.TargetService;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every line of {@code extraction/corpus.tsv}: {@code service<TAB>expected<TAB>text}, where
 * {@code -} as service means unknown, {@code -} as expected means "no code", and {@code \n} in the
 * text is a newline. Lines starting with {@code #} are comments.
 */
class CodeExtractorCorpusTest {

  private static final String CORPUS = "/extraction/corpus.tsv";
  private static final String NONE = "-";

  private final CodeExtractor extractor = new CodeExtractor();

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void extractsTheExpectedCode(Case c) {
    Optional<String> code = extractor.extract(c.service(), c.text()).map(ExtractedCode::code);

    if (c.negative()) {
      assertThat(code).as("no code expected in: %s", c.text()).isEmpty();
    } else {
      assertThat(code).as("code in: %s", c.text()).contains(c.expected());
    }
  }

  @Test
  void corpusCoversEnoughCasesAndTraps() {
    List<Case> corpus = corpus();

    assertThat(corpus).hasSizeGreaterThanOrEqualTo(120);
    assertThat(corpus.stream().filter(Case::negative).count()).isGreaterThanOrEqualTo(30);
  }

  @Test
  void corpusHasMessagesOfEveryServiceInTheCatalog() {
    Set<String> inCorpus = corpus().stream().map(Case::service).filter(Objects::nonNull).collect(Collectors.toSet());

    assertThat(Catalog.load().services()).extracting(TargetService::code).allSatisfy(code ->
        assertThat(inCorpus).as("corpus cases for service %s", code).contains(code));
  }

  static Stream<Arguments> cases() {
    return corpus().stream().map(c -> Arguments.of(Named.of(c.name(), c)));
  }

  private static List<Case> corpus() {
    try (InputStream in = CodeExtractorCorpusTest.class.getResourceAsStream(CORPUS)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + CORPUS);
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      List<Case> cases = new ArrayList<>();
      int lineNumber = 0;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lineNumber++;
        if (!line.isBlank() && !line.startsWith("#")) {
          cases.add(parse(lineNumber, line));
        }
      }
      return cases;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Case parse(int lineNumber, String line) {
    String[] columns = line.split("\t", 3);
    if (columns.length != 3) {
      throw new IllegalStateException(CORPUS + ":" + lineNumber + ": expected 3 tab-separated columns");
    }
    String service = NONE.equals(columns[0]) ? null : columns[0];
    return new Case(lineNumber, service, columns[1], unescape(columns[2]), columns[2]);
  }

  private static String unescape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '\\' && i + 1 < s.length()) {
        char next = s.charAt(++i);
        out.append(next == 'n' ? '\n' : next == 't' ? '\t' : next);
      } else {
        out.append(ch);
      }
    }
    return out.toString();
  }

  /** @param written the text column as it stands in the file, used in the test name */
  record Case(int line, String service, String expected, String text, String written) {

    boolean negative() {
      return NONE.equals(expected);
    }

    String name() {
      String shown = written.length() > 90 ? written.substring(0, 90) + "…" : written;
      return "line " + line + " [" + (service == null ? NONE : service) + " → " + expected + "]: " + shown;
    }
  }
}
