package io.verigate.server.wallet;

/** A wallet's cached balances: posted money, the part of it held for live activations, and the rest. */
public record Balance(long walletId, Money posted, Money held) {
  public Money available() {
    return posted.minus(held);
  }
}
