package io.verigate.server.http.legacy;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.regex.Pattern;

/**
 * The parameters of one {@code handler_api.php} call. Clients send them in the query string (GET) or as a
 * form body (POST); the query string wins when both carry a name. Blank values count as absent.
 */
final class LegacyRequest {
  /** Compiled once: {@code getStatus} is a status poll, and String.matches compiles its pattern on every call. */
  private static final Pattern ACTIVATION_ID = Pattern.compile("\\d{1,18}");
  private static final Pattern PAGING = Pattern.compile("\\d{1,9}");

  private final Context ctx;
  /** The query string when no part of it needs decoding (no {@code %}, no {@code +}); null otherwise. */
  private final String plainQuery;

  LegacyRequest(Context ctx) {
    this.ctx = ctx;
    String query = ctx.queryString();
    this.plainQuery = query != null && query.indexOf('%') < 0 && query.indexOf('+') < 0 ? query : null;
  }

  /** A request header, whatever the method. */
  String header(String name) {
    return ctx.header(name);
  }

  String param(String name) {
    String value = plainQuery != null ? plainParam(plainQuery, name) : ctx.queryParam(name);
    if (value == null && ctx.method() == HandlerType.POST) {
      value = ctx.formParam(name);
    }
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** The {@code country} parameter, or sms-activate's default when a request names none: 0, Russia. */
  String countryOrDefault() {
    String country = param("country");
    return country != null ? country : "0";
  }

  /** A parameter that clients send under different names ({@code size} or {@code limit}): the first present. */
  String first(String... names) {
    for (String name : names) {
      String value = param(name);
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  /**
   * An activation id. Anything that is not a number is {@code WRONG_ACTIVATION_ID}; a number no activation
   * can have (ids are positive and below 2^31) is simply not found.
   */
  int activationId(String... names) {
    String raw = first(names);
    if (raw == null || !ACTIVATION_ID.matcher(raw).matches()) {
      throw new Refusal("WRONG_ACTIVATION_ID");
    }
    long id = Long.parseLong(raw);
    if (id < 1 || id > Integer.MAX_VALUE) {
      throw new Refusal("NO_ACTIVATION");
    }
    return (int) id;
  }

  /**
   * A paging value: a non-negative whole number capped at {@code max}. The protocol has no refusal for a
   * malformed one, so anything else means the default.
   */
  int paging(int fallback, int max, String... names) {
    String raw = first(names);
    return raw != null && PAGING.matcher(raw).matches() ? Math.min(Integer.parseInt(raw), max) : fallback;
  }

  /**
   * The first value of {@code name} in a query string that needs no decoding, read as Javalin reads a query string
   * (pairs split on {@code &}, then on the first {@code =}; a name without {@code =} has the empty value; an empty
   * query string has no pairs at all), without Javalin's work for every pair: splitting into lists, decoding,
   * grouping. That work was a third of a {@code getStatus} poll's samples in a JFR profile.
   */
  static String plainParam(String query, String name) {
    int from = 0;
    while (!query.isEmpty() && from <= query.length()) {
      int end = query.indexOf('&', from);
      if (end < 0) {
        end = query.length();
      }
      int equals = query.indexOf('=', from);
      int nameEnd = equals >= 0 && equals < end ? equals : end;
      if (nameEnd - from == name.length() && query.startsWith(name, from)) {
        return nameEnd == end ? "" : query.substring(nameEnd + 1, end);
      }
      from = end + 1;
    }
    return null;
  }
}
