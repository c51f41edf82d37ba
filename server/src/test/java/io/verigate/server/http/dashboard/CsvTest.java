package io.verigate.server.http.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CsvTest {
  @Test
  void quotesTextAndDoublesItsQuotes() {
    assertThat(Csv.text("Your code is \"1234\", thanks")).isEqualTo("\"Your code is \"\"1234\"\", thanks\"");
  }

  @Test
  void aCellThatASpreadsheetWouldRunAsAFormulaIsKeptText() {
    assertThat(Csv.text("=HYPERLINK(\"http://evil\")")).isEqualTo("\"'=HYPERLINK(\"\"http://evil\"\")\"");
    assertThat(Csv.text("+1 234")).isEqualTo("\"'+1 234\"");
    assertThat(Csv.text("@SUM(A1)")).isEqualTo("\"'@SUM(A1)\"");
  }

  @Test
  void noTextIsAnEmptyCell() {
    assertThat(Csv.text(null)).isEmpty();
    assertThat(Csv.text("")).isEmpty();
  }
}
