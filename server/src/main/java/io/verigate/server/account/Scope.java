package io.verigate.server.account;

import com.fasterxml.jackson.annotation.JsonValue;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** What an API key may do. A key gets all three unless it is issued with fewer. */
public enum Scope {
  /** See balances, history, activations and their codes. */
  READ,
  /** Spend money: buy numbers and finish, cancel, resend or report them. */
  BUY,
  /** List, issue, rotate and revoke the customer's own keys. */
  KEYS;

  public static final Set<Scope> ALL = Collections.unmodifiableSet(EnumSet.allOf(Scope.class));

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Scope parse(String name) {
    return Arrays.stream(values()).filter(s -> s.wireName().equals(name == null ? "" : name.trim().toLowerCase(Locale.ROOT)))
        .findFirst()
        .orElseThrow(() -> new Failure(ErrorCode.BAD_REQUEST, "unknown scope '" + name + "' (read, buy or keys)"));
  }

  /** A set in declaration order from names; an empty or absent list means every scope, since a key that can do nothing is a mistake. */
  public static Set<Scope> parseAll(Collection<String> names) {
    if (names == null || names.isEmpty()) {
      return ALL;
    }
    return Collections.unmodifiableSet(
        names.stream().map(Scope::parse).collect(Collectors.toCollection(() -> EnumSet.noneOf(Scope.class))));
  }

  /** The stored form: names in declaration order, comma-separated. */
  public static String format(Set<Scope> scopes) {
    return EnumSet.copyOf(scopes).stream().map(Scope::wireName).collect(Collectors.joining(","));
  }

  public static Set<Scope> fromStored(String stored) {
    return parseAll(Arrays.stream(stored.split(",")).filter(s -> !s.isBlank()).toList());
  }
}
