package io.verigate.server.wallet;

import java.time.Instant;

/** One immutable ledger line. {@code resolvesHold} names the HOLD that a POST, VOID or EXPIRE settles. */
public record LedgerEntry(long id, long walletId, Kind kind, Money amount, Long resolvesHold, String memo,
    Instant createdAt) {

  public enum Kind {
    /** Money in (operator top-up, sandbox funding). */
    CREDIT,
    /** Money out without a hold (operator correction). */
    DEBIT,
    /** Reserves money for an activation; settled later by exactly one of the three below. */
    HOLD,
    /** The activation succeeded: the held money is spent. */
    POST,
    /** Cancelled or banned: the held money is released. */
    VOID,
    /** The lifetime ended without a code: the held money is released. */
    EXPIRE
  }
}
