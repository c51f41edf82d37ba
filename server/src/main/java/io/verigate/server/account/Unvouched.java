package io.verigate.server.account;

import io.verigate.server.system.Failure;

/** A refusal of a request no valid credential vouched for, after it spent from its client address's budget. */
public final class Unvouched extends Failure implements Metered {
  private final Verdict verdict;

  Unvouched(Failure refusal, Verdict verdict) {
    super(refusal.code(), refusal.getMessage());
    this.verdict = verdict;
  }

  @Override
  public Verdict verdict() {
    return verdict;
  }
}
