package io.verigate.server.account;

import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.system.RetryLater;

/** A refusal for a spent budget; the HTTP layer turns it into 429 and headers, the compatibility dialects into theirs. */
public final class RateLimited extends Failure implements RetryLater, Metered {
  private final Verdict verdict;

  public RateLimited(Verdict verdict) {
    super(ErrorCode.RATE_LIMITED, "rate limit \"" + verdict.policy() + "\" of " + verdict.quota() + " requests per "
        + verdict.windowSeconds() + " s is spent; try again in " + verdict.retryAfterSeconds() + " s");
    if (verdict.allowed() || !verdict.counted()) {
      throw new IllegalArgumentException("only a refused verdict refuses: " + verdict);
    }
    this.verdict = verdict;
  }

  @Override
  public Verdict verdict() {
    return verdict;
  }

  @Override
  public long retryAfterSeconds() {
    return verdict.retryAfterSeconds();
  }

  /** Whether the spent budget was a client address's (no valid key), not a key's: some dialects answer it apart. */
  public boolean perAddress() {
    return LimitClass.ANONYMOUS.policy().equals(verdict.policy());
  }
}
