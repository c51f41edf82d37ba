package io.verigate.server.http.dashboard;

import io.javalin.http.Context;
import io.verigate.server.account.Logins;
import io.verigate.server.account.Mode;
import io.verigate.server.account.Principal;
import io.verigate.server.notify.EventTypes;
import java.util.LinkedHashMap;
import java.util.Map;

/** What every page of a logged-in customer shows: its mode, the CSRF token for its forms, the currency. */
final class CustomerView {
  private final Sessions sessions;
  private final String currency;

  CustomerView(Sessions sessions, String currency) {
    this.sessions = sessions;
    this.currency = currency;
  }

  Map<String, Object> model(Context ctx, Principal principal, String title) {
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("title", title);
    model.put("mode", modeName(principal.mode()));
    model.put("test", principal.mode() == Mode.TEST);
    model.put("currency", currency);
    model.put("csrf", sessions.current(ctx).map(Logins.Session::csrfToken).orElse(""));
    model.put("path", ctx.path());
    model.put("eventTypes", String.join(",", EventTypes.ALL));
    return model;
  }

  /** {@code mode=live} for the live wallet; anything else is the sandbox, where a new customer starts with money. */
  static Mode mode(Context ctx) {
    String value = ctx.queryParam("mode");
    if (value == null && (ctx.isFormUrlencoded() || ctx.isMultipartFormData())) {
      value = ctx.formParam("mode");
    }
    return "live".equals(value) ? Mode.LIVE : Mode.TEST;
  }

  static String modeName(Mode mode) {
    return mode == Mode.LIVE ? "live" : "test";
  }
}
