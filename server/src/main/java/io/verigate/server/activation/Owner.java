package io.verigate.server.activation;

import io.verigate.server.account.Mode;
import io.verigate.server.account.Principal;

/** Whose activations a purchase limit counts: one customer's, in one mode (live and sandbox are counted apart). */
record Owner(long customerId, Mode mode) {
  static Owner of(Principal principal) {
    return new Owner(principal.customerId(), principal.mode());
  }

  static Owner of(Activation activation) {
    return new Owner(activation.customerId(), activation.mode());
  }
}
