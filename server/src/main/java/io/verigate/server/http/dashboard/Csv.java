package io.verigate.server.http.dashboard;

/** CSV cells for files customers open in a spreadsheet. */
final class Csv {
  private Csv() {}

  /**
   * Free text (an SMS) as one cell: quoted, quotes doubled, and a leading {@code = + - @} neutralised with an
   * apostrophe, since a spreadsheet would run a cell starting so as a formula that someone else's SMS wrote.
   */
  static String text(String value) {
    if (value == null || value.isEmpty()) {
      return "";
    }
    String safe = "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    return '"' + safe.replace("\"", "\"\"") + '"';
  }
}
