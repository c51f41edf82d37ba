package io.verigate.server.account;

/** A refusal that spent from a rate-limit budget: its answer carries that budget's fields like any other answer. */
public interface Metered {
  Verdict verdict();
}
