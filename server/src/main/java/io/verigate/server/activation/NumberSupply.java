package io.verigate.server.activation;

import io.verigate.server.inventory.ReservedNumber;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Finds a number for a purchase inside its transaction: the inventory for live keys, the sandbox for test keys. */
public interface NumberSupply {

  /** What is being bought, as the supply needs it. */
  record Request(long customerId, long walletId, String service, String country, String operator,
      List<String> excludedPrefixes, io.verigate.server.wallet.Money price) {}

  Optional<ReservedNumber> reserve(Handle h, Request request);
}
