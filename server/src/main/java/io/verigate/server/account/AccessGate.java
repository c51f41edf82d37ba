package io.verigate.server.account;

import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.system.Metrics;
import java.time.Clock;
import java.time.Instant;

/**
 * The one check every request passes, whatever its dialect: a credential becomes a principal allowed to perform
 * one named operation from one client address, or a refusal with a core error code the dialect words its own way.
 * Dialects name the operation; they never look at keys, scopes, addresses or budgets themselves.
 *
 * <p>A request with a valid key spends from that key's budget for the operation; one without (no key, a bad, revoked
 * or expired key, a key used from outside its allowlist, a wrong admin token) spends from its client address's
 * budget, so guessing keys is as limited as any other flood.
 */
public final class AccessGate {
  private final ApiKeys keys;
  private final AdminAuth admin;
  private final RateLimits limits;
  private final Metrics metrics;
  private final Clock clock;
  private final Logins logins;

  /** A principal admitted, with what the request spent from its budget (for the answer's rate-limit fields). */
  public record Admission(Principal principal, Verdict verdict) {}

  public AccessGate(ApiKeys keys, AdminAuth admin, RateLimits limits, Metrics metrics, Clock clock, Logins logins) {
    this.logins = logins;
    this.keys = keys;
    this.admin = admin;
    this.limits = limits;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * The customer behind an API key, if that key may perform {@code operation} from {@code clientAddress} now.
   *
   * @param presented the key as sent, or null when the request carried none
   */
  public Admission admit(String presented, Operation operation, String clientAddress) {
    if (presented == null || presented.isBlank()) {
      throw unvouched(clientAddress, new Failure(ErrorCode.BAD_KEY, "an API key is required"));
    }
    ApiKeys.Key key = keys.find(presented)
        .orElseThrow(() -> unvouched(clientAddress, new Failure(ErrorCode.BAD_KEY, "the API key is invalid or revoked")));
    Instant now = clock.instant();
    if (key.stateAt(now) == ApiKeys.State.EXPIRED) {
      throw unvouched(clientAddress, new Failure(ErrorCode.BAD_KEY, "the API key expired at " + key.expiresAt()));
    }
    if (!key.allowedIps().isEmpty() && !AddressRange.anyContains(key.allowedIps(), clientAddress)) {
      throw unvouched(clientAddress,
          new Failure(ErrorCode.ADDRESS_NOT_ALLOWED, "the API key may not be used from " + clientAddress));
    }
    Verdict verdict = spend("key:" + key.keyId(), operation.limitClass());
    if (!key.scopes().contains(operation.scope())) {
      throw new Failure(ErrorCode.SCOPE_REQUIRED, "the API key lacks the '" + operation.scope().wireName()
          + "' scope this needs");
    }
    keys.noteUse(key.keyId(), now, clientAddress);
    return new Admission(new Principal(key.customerId(), key.mode(), key.keyId(), key.scopes()), verdict);
  }

  /** As {@link #admit}, for callers that need only the principal. */
  public Principal customer(String presented, Operation operation, String clientAddress) {
    return admit(presented, operation, clientAddress).principal();
  }

  /**
   * The customer behind a dashboard session's cookie token, acting in {@code mode} (a session reaches both of its
   * customer's wallets) with every scope. It spends from the customer's session budget like a key spends from its own.
   */
  public Admission session(String token, Mode mode, Operation operation, String clientAddress) {
    Logins.Session session = logins.find(token).filter(s -> !s.operator())
        .orElseThrow(() -> unvouched(clientAddress, new Failure(ErrorCode.BAD_KEY, "log in first")));
    Verdict verdict = spend("session:" + session.customerId(), operation.limitClass());
    return new Admission(new Principal(session.customerId(), mode, "session", Scope.ALL), verdict);
  }

  /** Admits an operator's dashboard session, or refuses as {@link #admin} does. */
  public void operatorSession(String token, String clientAddress) {
    if (logins.find(token).filter(Logins.Session::operator).isEmpty()) {
      throw unvouched(clientAddress, new Failure(ErrorCode.BAD_KEY, "log in with the admin token first"));
    }
  }

  /** Admits the operator's admin token, or refuses with BAD_KEY (spending the client address's budget). */
  public void admin(String presentedToken, String clientAddress) {
    if (!admin.accepts(presentedToken)) {
      throw unvouched(clientAddress, new Failure(ErrorCode.BAD_KEY, "the admin token is required as Bearer"));
    }
  }

  /**
   * The refusal for a request no valid credential vouches for: {@code refusal}, unless the client address has spent
   * its budget, in which case the flood is told when to come back instead.
   */
  public Failure unvouched(String clientAddress, Failure refusal) {
    return new Unvouched(refusal, spend("addr:" + clientAddress, LimitClass.ANONYMOUS));
  }

  private Verdict spend(String partition, LimitClass limitClass) {
    Verdict verdict = limits.take(partition, limitClass);
    if (!verdict.allowed()) {
      metrics.rateLimited(limitClass.policy());
      throw new RateLimited(verdict);
    }
    return verdict;
  }
}
