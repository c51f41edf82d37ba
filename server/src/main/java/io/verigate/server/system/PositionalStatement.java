package io.verigate.server.system;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A statement written with {@code :name} parameters, as JDBI statements are, rewritten once into the driver's
 * positional {@code ?} form, so that each execution binds its values straight onto a JDBC statement. For a statement
 * the node runs thousands of times a second: JDBI parses the text on every execution (from a cache, by hashing it) and
 * resolves an argument factory for every value, which for the purchase statement's 30-odd parameters cost more of the
 * node's CPU than the driver's own work. Values are bound as JDBI binds them: a string with its NUL characters
 * replaced ({@link NulFreeStrings}), a null as a null string (the only nulls these statements bind are text), anything
 * else as the driver maps its class.
 */
public final class PositionalStatement {
  private final String sql;
  /** The parameter each {@code ?} of {@link #sql} stands for, in order; a name used twice appears twice. */
  private final List<String> parameters;

  private PositionalStatement(String sql, List<String> parameters) {
    this.sql = sql;
    this.parameters = List.copyOf(parameters);
  }

  /**
   * Rewrites {@code namedSql}. A colon starts a parameter unless it is part of a {@code ::} cast or inside a quoted
   * string or identifier.
   */
  public static PositionalStatement of(String namedSql) {
    StringBuilder positional = new StringBuilder(namedSql.length());
    List<String> parameters = new ArrayList<>();
    int i = 0;
    while (i < namedSql.length()) {
      char c = namedSql.charAt(i);
      if (c == '\'' || c == '"') {
        int end = namedSql.indexOf(c, i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("unterminated quote at " + i + " in: " + namedSql);
        }
        positional.append(namedSql, i, end + 1);
        i = end + 1;
      } else if (c == ':' && i + 1 < namedSql.length() && namedSql.charAt(i + 1) == ':') {
        positional.append("::");
        i += 2;
      } else if (c == ':' && i + 1 < namedSql.length() && Character.isJavaIdentifierStart(namedSql.charAt(i + 1))) {
        int end = i + 2;
        while (end < namedSql.length() && Character.isJavaIdentifierPart(namedSql.charAt(end))) {
          end++;
        }
        parameters.add(namedSql.substring(i + 1, end));
        positional.append('?');
        i = end;
      } else {
        positional.append(c);
        i++;
      }
    }
    return new PositionalStatement(positional.toString(), parameters);
  }

  /** The statement in the driver's form. */
  public String sql() {
    return sql;
  }

  /**
   * Prepares the statement on {@code connection} with every parameter bound from {@code values}, which must hold each
   * name the statement uses (a null value included) and may hold more.
   */
  public PreparedStatement prepare(Connection connection, Map<String, ?> values) throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    try {
      for (int position = 1; position <= parameters.size(); position++) {
        bind(statement, position, parameters.get(position - 1), values);
      }
      return statement;
    } catch (SQLException | RuntimeException e) {
      statement.close();
      throw e;
    }
  }

  private static void bind(PreparedStatement statement, int position, String name, Map<String, ?> values)
      throws SQLException {
    Object value = values.get(name);
    if (value == null && !values.containsKey(name)) {
      throw new IllegalArgumentException("no value for :" + name);
    }
    if (value == null) {
      statement.setNull(position, Types.VARCHAR);
    } else if (value instanceof String text) {
      statement.setString(position, NulFreeStrings.stored(text));
    } else {
      statement.setObject(position, value);
    }
  }
}
