package io.verigate.server.system;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Binds every string with its NUL characters replaced by U+FFFD. PostgreSQL's text types cannot hold a NUL and fail
 * the whole statement on one, while H2 stores it: JSON may carry {@code \u0000} and some SMS codings decode to it, so
 * a single stray byte would lose a gateway's message on PostgreSQL only. Replacing it wherever a string meets the
 * database keeps the two alike, and a lookup by a name with a NUL finds what a write with the same name stored.
 */
final class NulFreeStrings extends AbstractArgumentFactory<String> {
  private static final char NUL = '\u0000';
  private static final char REPLACEMENT = '\uFFFD';

  NulFreeStrings() {
    super(Types.VARCHAR);
  }

  /** {@code value} as it is stored: each NUL replaced. */
  static String stored(String value) {
    return value.replace(NUL, REPLACEMENT);
  }

  @Override
  protected Argument build(String value, ConfigRegistry config) {
    String stored = stored(value);
    return new Argument() {
      @Override
      public void apply(int position, PreparedStatement statement, StatementContext context) throws SQLException {
        statement.setString(position, stored);
      }

      /** What the statement logger shows. */
      @Override
      public String toString() {
        return stored;
      }
    };
  }
}
