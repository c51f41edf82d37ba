package io.verigate.server.http.dashboard;

/** A page asked for without a session that may see it: the browser is sent to {@code loginPage}. */
final class LoginRequired extends RuntimeException {
  private final String loginPage;

  LoginRequired(String loginPage) {
    super("log in first", null, false, false);
    this.loginPage = loginPage;
  }

  String loginPage() {
    return loginPage;
  }
}
