package io.verigate.server.http.gateway;

import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code application/x-www-form-urlencoded} as webhooks post it in a body or carry it in a query string, decoded as
 * UTF-8: every name with its values in the order they came. Providers sign what they sent, so nothing is dropped
 * here; a name without {@code =} has the empty value.
 */
final class FormEncoding {
  private FormEncoding() {}

  static Map<String, List<String>> decode(String form) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    if (form == null || form.isBlank()) {
      return params;
    }
    for (String pair : form.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decodePart(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decodePart(pair.substring(eq + 1));
      params.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    return params;
  }

  private static String decodePart(String part) {
    try {
      return URLDecoder.decode(part, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new Failure(ErrorCode.BAD_REQUEST, "the webhook's parameters are not valid form encoding");
    }
  }
}
