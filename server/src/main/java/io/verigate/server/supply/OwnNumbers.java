package io.verigate.server.supply;

import io.verigate.server.account.Mode;
import io.verigate.server.inventory.Inventory;
import io.verigate.server.inventory.ReservedNumber;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The operator's own live numbers: gateways, SMPP links, CPaaS numbers, imported into the inventory. */
public final class OwnNumbers implements LocalSupply {
  private final Inventory inventory;

  public OwnNumbers(Inventory inventory) {
    this.inventory = inventory;
  }

  @Override
  public Optional<ReservedNumber> reserve(Handle h, SupplyRequest request) {
    return inventory.reserve(h, Mode.LIVE, request.country(), request.operator(), request.service(),
        request.excludedPrefixes());
  }

  @Override
  public Optional<Inventory.Claim> claim(SupplyRequest request) {
    return Optional.of(inventory.claim(Mode.LIVE, request.country(), request.operator(), request.service(),
        request.excludedPrefixes()));
  }
}
