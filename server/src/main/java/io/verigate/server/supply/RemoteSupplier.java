package io.verigate.server.supply;

import java.util.Optional;

/**
 * A supplier asked over the network (a SIM-bank agent, an upstream provider). The router asks it before the
 * purchase transaction opens, so a slow supplier never holds a pooled connection or a lock.
 */
public interface RemoteSupplier {

  /** True when asking could hand out a number for this request; no network call. */
  boolean mayHave(SupplyRequest request);

  /** Asks for a number; empty when none was handed out. Never called inside a transaction. */
  Optional<SuppliedNumber> handOut(SupplyRequest request);
}
