package io.verigate.server.account;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One thing done, for the audit log: who did it ({@link Actor}), what, to which subject ({@code customer:2},
 * {@code key:Ab3dEf9h}, {@code source:gw1}, {@code price:wa/us/any}), and a small detail of plain values.
 *
 * <p>An entry never holds a secret. A detail field named like one (a key, token, password or secret) is refused, and
 * so is a value shaped like one of Verigate's own credentials, so that a mistake fails where it is made rather than
 * leaking into a log kept forever: record that a secret changed, never what it is.
 */
public record AuditEntry(Actor actor, AuditAction action, String subject, Map<String, ?> detail) {
  private static final Pattern SECRET_NAME = Pattern.compile(".*(secret|token|password|passphrase).*|.*key");
  /** API keys, admin tokens and source push tokens all start so (see {@link ApiKeyFormat} and the token makers). */
  private static final Pattern SECRET_VALUE = Pattern.compile("(vg_live_|vg_test_|vga_|vgs_).*");

  public AuditEntry {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(subject, "subject");
    // Sorted, so that an entry's detail always reads in the same order.
    detail = detail == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(detail));
    detail.forEach(AuditEntry::checkField);
  }

  private static void checkField(String name, Object value) {
    if (value == null) {
      throw new IllegalArgumentException("audit detail '" + name + "' has no value; leave it out instead");
    }
    if (SECRET_NAME.matcher(name.toLowerCase(Locale.ROOT)).matches()) {
      throw new IllegalArgumentException("audit detail '" + name + "' is named like a secret; record that it changed instead");
    }
    for (Object item : value instanceof List<?> list ? list : List.of(value)) {
      if (!(item instanceof String || item instanceof Number || item instanceof Boolean)) {
        throw new IllegalArgumentException("audit detail '" + name + "' must be text, a number, true or false, or a list of them");
      }
      if (item instanceof String text && SECRET_VALUE.matcher(text).matches()) {
        throw new IllegalArgumentException("audit detail '" + name + "' holds a credential");
      }
    }
  }
}
