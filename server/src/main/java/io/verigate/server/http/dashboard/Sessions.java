package io.verigate.server.http.dashboard;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import io.verigate.server.account.AccessGate;
import io.verigate.server.account.Logins;
import io.verigate.server.account.Mode;
import io.verigate.server.account.Operation;
import io.verigate.server.account.Principal;
import io.verigate.server.http.support.Gate;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The dashboard's sessions as HTTP carries them: a cookie the page's scripts cannot read (HttpOnly), that other sites'
 * requests do not carry (SameSite=Strict), sent only over TLS when the node is reached over TLS, its own or a trusted
 * proxy's (Secure). Every form
 * that changes something carries the session's CSRF token and must come from a page of this node.
 */
final class Sessions {
  static final String COOKIE = "verigate_session";
  static final String CSRF_FIELD = "csrf";

  private final Logins logins;
  private final AccessGate accessGate;
  private final Gate gate;

  Sessions(Logins logins, AccessGate accessGate, Gate gate) {
    this.logins = logins;
    this.accessGate = accessGate;
    this.gate = gate;
  }

  Logins logins() {
    return logins;
  }

  String clientAddress(Context ctx) {
    return gate.clientAddress(ctx);
  }

  Optional<Logins.Session> current(Context ctx) {
    return logins.find(ctx.cookie(COOKIE));
  }

  /** The logged-in customer acting in {@code mode}, through the access gate; otherwise off to the log-in page. */
  Principal customer(Context ctx, Mode mode, Operation operation) {
    try {
      return accessGate.session(ctx.cookie(COOKIE), mode, operation, gate.clientAddress(ctx)).principal();
    } catch (Failure refusal) {
      if (refusal.code() == ErrorCode.BAD_KEY) {
        throw new LoginRequired(LoginPages.LOGIN);
      }
      throw refusal;
    }
  }

  /** Admits a logged-in operator; otherwise off to the operator's log-in page. */
  void operator(Context ctx) {
    try {
      accessGate.operatorSession(ctx.cookie(COOKIE), gate.clientAddress(ctx));
    } catch (Failure refusal) {
      if (refusal.code() == ErrorCode.BAD_KEY) {
        throw new LoginRequired(OperatorPages.LOGIN);
      }
      throw refusal;
    }
  }

  /** Puts a session just opened into the browser, replacing any other. */
  void start(Context ctx, Logins.Opened opened) {
    ctx.cookie(cookie(ctx, opened.token(), (int) Logins.SESSION_LIFETIME.toSeconds()));
  }

  /** Ends the request's session on the node, and removes the cookie. */
  void end(Context ctx) {
    logins.logOut(ctx.cookie(COOKIE));
    ctx.cookie(cookie(ctx, "", 0));
  }

  private Cookie cookie(Context ctx, String value, int maxAge) {
    return new Cookie(COOKIE, value, "/", maxAge, gate.overTls(ctx), true, null, SameSite.STRICT);
  }

  /**
   * Refuses a form post that did not come from this session's own pages: it must carry the session's CSRF token (which
   * a page of another site cannot read) and, where the browser says, come from this node's origin.
   */
  void checkForm(Context ctx) {
    checkOrigin(ctx);
    String expected = current(ctx).map(Logins.Session::csrfToken).orElse(null);
    String presented = ctx.formParam(CSRF_FIELD);
    if (expected == null || presented == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
        presented.getBytes(StandardCharsets.US_ASCII))) {
      throw new Failure(ErrorCode.FORBIDDEN, "the form is out of date or came from another site (CSRF token missing "
          + "or wrong); reload the page and try again");
    }
  }

  /**
   * Refuses a post another site's page sent: browsers name the sending page's origin in {@code Origin} and say
   * {@code Sec-Fetch-Site: cross-site}. The log-in forms have no session to bind a token to, so this is their guard.
   */
  void checkOrigin(Context ctx) {
    String site = ctx.header("Sec-Fetch-Site");
    String origin = ctx.header("Origin");
    boolean foreignOrigin = origin != null && !origin.equals("null") && !sameHost(origin, ctx.host());
    if ("cross-site".equals(site) || "same-site".equals(site) || foreignOrigin || "null".equals(origin)) {
      throw new Failure(ErrorCode.FORBIDDEN, "a form of another site may not post here");
    }
  }

  private static boolean sameHost(String origin, String host) {
    try {
      URI uri = URI.create(origin);
      String authority = uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
      return authority != null && authority.equalsIgnoreCase(host);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
