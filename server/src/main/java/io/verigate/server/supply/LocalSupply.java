package io.verigate.server.supply;

import io.verigate.server.inventory.Inventory;
import io.verigate.server.inventory.ReservedNumber;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * A supply whose numbers are rows of this database: the operator's own numbers, the sandbox's. Finding one is a
 * statement of the purchase transaction itself (a row lock), so it costs no wait on anyone outside.
 */
public interface LocalSupply {
  Optional<ReservedNumber> reserve(Handle h, SupplyRequest request);

  /**
   * How {@link #reserve} would lock a number, as a query that a purchase's own statement can embed; empty for a
   * supply that only reserves one its own way.
   */
  default Optional<Inventory.Claim> claim(SupplyRequest request) {
    return Optional.empty();
  }
}
