package io.verigate.server.supply;

import io.verigate.server.inventory.ReservedNumber;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * A supply whose numbers are rows of this database: the operator's own numbers, the sandbox's. Finding one is a
 * statement of the purchase transaction itself (a row lock), so it costs no wait on anyone outside.
 */
public interface LocalSupply {
  Optional<ReservedNumber> reserve(Handle h, SupplyRequest request);
}
