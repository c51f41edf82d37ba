package io.verigate.server.http.dashboard;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.verigate.server.account.Logins;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A customer's way into the dashboard: log-in with email and password, sign-up where the operator allows it
 * ({@code dashboard-sign-up}), and log-out. A refused log-in or sign-up answers its form again, with the reason.
 */
final class LoginPages {
  static final String LOGIN = "/dashboard/login";

  private final Pages pages;
  private final Sessions sessions;

  LoginPages(Pages pages, Sessions sessions) {
    this.pages = pages;
    this.sessions = sessions;
  }

  void register(RoutesConfig routes) {
    routes.get(LOGIN, ctx -> login(ctx, null));
    routes.post(LOGIN, pages.page(this::logIn));
    routes.get("/dashboard/signup", pages.page(ctx -> signUpPage(ctx, null)));
    routes.post("/dashboard/signup", pages.page(this::signUp));
    routes.post("/dashboard/logout", pages.page(this::logOut));
  }

  private void login(Context ctx, Failure refusal) {
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("title", "Log in");
    model.put("signUpAllowed", sessions.logins().signUpAllowed());
    model.put("error", refusal == null ? null : refusal.getMessage());
    pages.render(ctx, "login", model);
  }

  private void logIn(Context ctx) {
    sessions.checkOrigin(ctx);
    try {
      sessions.start(ctx, sessions.logins().logIn(ctx.formParam("email"), ctx.formParam("password"),
          sessions.clientAddress(ctx)));
      ctx.redirect("/dashboard", HttpStatus.SEE_OTHER);
    } catch (Failure refusal) {
      ctx.status(refusal.code().httpStatus());
      login(ctx, refusal);
    }
  }

  private void signUpPage(Context ctx, Failure refusal) {
    if (!sessions.logins().signUpAllowed()) {
      throw new Failure(ErrorCode.FORBIDDEN, "this node does not take sign-ups; ask its operator for an account");
    }
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("title", "Sign up");
    model.put("error", refusal == null ? null : refusal.getMessage());
    pages.render(ctx, "signup", model);
  }

  private void signUp(Context ctx) {
    sessions.checkOrigin(ctx);
    try {
      if (!String.valueOf(ctx.formParam("password")).equals(ctx.formParam("repeat"))) {
        throw new Failure(ErrorCode.BAD_REQUEST, "the two passwords differ");
      }
      Logins.Opened opened = sessions.logins().signUp(ctx.formParam("email"), ctx.formParam("password"),
          sessions.clientAddress(ctx));
      sessions.start(ctx, opened);
      ctx.redirect("/dashboard?mode=test", HttpStatus.SEE_OTHER);
    } catch (Failure refusal) {
      if (refusal.code() == ErrorCode.FORBIDDEN) {
        throw refusal;
      }
      ctx.status(refusal.code().httpStatus());
      signUpPage(ctx, refusal);
    }
  }

  private void logOut(Context ctx) {
    sessions.checkForm(ctx);
    sessions.end(ctx);
    ctx.redirect(LOGIN, HttpStatus.SEE_OTHER);
  }
}
