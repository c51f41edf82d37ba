package io.verigate.server.http.support;

import io.javalin.http.Context;
import io.verigate.server.account.Accounts;
import io.verigate.server.account.Principal;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;

/** Resolves the calling customer from the request, or refuses with BAD_KEY. */
public final class Authenticated {
  private final Accounts accounts;

  public Authenticated(Accounts accounts) {
    this.accounts = accounts;
  }

  public Principal principal(Context ctx) {
    String key = Requests.apiKey(ctx);
    if (key == null || key.isBlank()) {
      throw new Failure(ErrorCode.BAD_KEY, "an API key is required (x-api-key header, Bearer token or key parameter)");
    }
    return accounts.authenticate(key).orElseThrow(() -> new Failure(ErrorCode.BAD_KEY, "the API key is invalid or revoked"));
  }
}
