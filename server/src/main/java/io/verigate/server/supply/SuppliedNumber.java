package io.verigate.server.supply;

import io.verigate.server.inventory.ReservedNumber;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * A number a remote supplier handed out and now holds for this purchase. Exactly one of two things follows: the
 * purchase transaction takes it in and commits, or the supplier gets it back.
 */
public interface SuppliedNumber {

  /**
   * Records the number in the purchase transaction (an inventory row the activation leases, and what the supplier
   * must later be told); empty when this database cannot use it, e.g. another source owns it.
   */
  Optional<ReservedNumber> takeIn(Handle h);

  /** Tells the supplier the number is not used after all; it runs after the purchase transaction ended. */
  void giveBack(String reason);
}
