package io.verigate.server.http.legacy;

/**
 * A refusal in sms-activate's own words: the plain-text token its clients expect (sent with HTTP 200), for
 * requests the dialect turns away before they reach the core.
 */
final class Refusal extends RuntimeException {
  private final String token;

  Refusal(String token) {
    super(token, null, false, false);
    this.token = token;
  }

  String token() {
    return token;
  }
}
