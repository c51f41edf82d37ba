package io.verigate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints a JSON array of objects as left-aligned columns, one row per object; absent values and empty lists show as
 * "-", lists as their items joined by commas.
 */
final class Table {
  private static final String GAP = "  ";

  private record Column(String header, String field) {}

  private final List<Column> columns = new ArrayList<>();

  Table column(String header, String field) {
    columns.add(new Column(header, field));
    return this;
  }

  void print(JsonNode rows, PrintWriter out) {
    List<List<String>> lines = new ArrayList<>();
    lines.add(columns.stream().map(Column::header).toList());
    rows.forEach(row -> lines.add(columns.stream().map(c -> cell(row.get(c.field()))).toList()));
    int[] widths = new int[columns.size()];
    for (List<String> line : lines) {
      for (int i = 0; i < widths.length; i++) {
        widths[i] = Math.max(widths[i], line.get(i).length());
      }
    }
    for (List<String> line : lines) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < widths.length; i++) {
        String cell = line.get(i);
        text.append(cell);
        if (i < widths.length - 1) {
          text.append(" ".repeat(widths[i] - cell.length())).append(GAP);
        }
      }
      out.println(text);
    }
  }

  /** A value as text; an object or array (such as an audit entry's detail) as its compact JSON. */
  private static String cell(JsonNode value) {
    if (value == null || value.isNull() || (value.isArray() && value.isEmpty())) {
      return "-";
    }
    if (value.isArray()) {
      List<String> items = new ArrayList<>();
      value.forEach(item -> items.add(item.isValueNode() ? item.asText() : item.toString()));
      return String.join(",", items);
    }
    return value.isObject() ? value.toString() : value.asText();
  }
}
