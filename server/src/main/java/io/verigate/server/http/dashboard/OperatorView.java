package io.verigate.server.http.dashboard;

import io.javalin.http.Context;
import io.verigate.server.account.Logins;
import java.util.LinkedHashMap;
import java.util.Map;

/** What every page of the logged-in operator shows: its title, the CSRF token for its forms, the currency. */
final class OperatorView {
  private final Sessions sessions;
  private final String currency;

  OperatorView(Sessions sessions, String currency) {
    this.sessions = sessions;
    this.currency = currency;
  }

  Map<String, Object> model(Context ctx, String title) {
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("title", title);
    model.put("currency", currency);
    model.put("csrf", sessions.current(ctx).map(Logins.Session::csrfToken).orElse(""));
    model.put("path", ctx.path());
    return model;
  }
}
