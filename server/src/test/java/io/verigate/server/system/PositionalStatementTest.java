package io.verigate.server.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PositionalStatementTest {
  @Test
  void namesBecomePlaceholdersInOrderButCastsAndQuotedTextStayAsWritten() {
    PositionalStatement statement = PositionalStatement.of(
        "SELECT CAST(:a AS bigint), :b::text, ':not_a_name', \"col:x\", '{\"id\":' || :a FROM t WHERE x = :b_2");

    assertThat(statement.sql())
        .isEqualTo("SELECT CAST(? AS bigint), ?::text, ':not_a_name', \"col:x\", '{\"id\":' || ? FROM t WHERE x = ?");
  }

  @Test
  void bindsEachPlaceholderFromItsNameWithNulsReplacedAndNullsAsNull() throws Exception {
    PositionalStatement statement = PositionalStatement.of(
        "SELECT CAST(:n AS bigint) + :n AS twice, CAST(:text AS varchar) AS text, CAST(:none AS varchar) AS none, "
            + "CAST(:at AS timestamp with time zone) AS at");
    Map<String, Object> values = new HashMap<>();
    values.put("n", 21L);
    values.put("text", "a\u0000b");
    values.put("none", null);
    OffsetDateTime at = OffsetDateTime.of(2026, 12, 7, 21, 0, 0, 0, ZoneOffset.UTC);
    values.put("at", at);
    values.put("unused", "ignored");

    try (Connection h2 = DriverManager.getConnection("jdbc:h2:mem:positional");
        PreparedStatement prepared = statement.prepare(h2, values);
        ResultSet rs = prepared.executeQuery()) {
      rs.next();
      assertThat(rs.getLong("twice")).isEqualTo(42);
      assertThat(rs.getString("text")).isEqualTo("a\uFFFDb");
      assertThat(rs.getString("none")).isNull();
      assertThat(rs.getObject("at", OffsetDateTime.class)).isEqualTo(at);
    }
  }

  @Test
  void aMissingValueIsRefusedBeforeTheStatementRuns() throws Exception {
    PositionalStatement statement = PositionalStatement.of("SELECT :present, :missing");

    try (Connection h2 = DriverManager.getConnection("jdbc:h2:mem:positional")) {
      assertThatThrownBy(() -> statement.prepare(h2, Map.of("present", 1)))
          .isInstanceOf(IllegalArgumentException.class).hasMessage("no value for :missing");
    }
  }

  @Test
  void anUnterminatedQuoteIsRefused() {
    assertThatThrownBy(() -> PositionalStatement.of("SELECT ':a")).isInstanceOf(IllegalArgumentException.class);
  }
}
