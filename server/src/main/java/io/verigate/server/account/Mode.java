package io.verigate.server.account;

import java.util.Locale;

/** Live keys spend real money on real numbers; test keys reach only the sandbox and its test wallet. */
public enum Mode {
  LIVE,
  TEST;

  public String sqlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Mode fromSql(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
