package io.verigate.server.esim;

import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Where the profiles of an order come from when they are at hand: the operator's stock, the sandbox. It works inside
 * the order's transaction, so that a profile taken is paid for and a refused payment takes none. A supplier over the
 * network is a {@link RemoteEsimSupplier} instead, asked before the transaction opens.
 */
public interface EsimSupplier {
  /** Its name, recorded on the order. */
  String name();

  /**
   * Takes {@code quantity} profiles of {@code plan} for the order {@code orderId} for good, or refuses: ESIM_OUT_OF_STOCK when it has fewer,
   * SUPPLIER_UNAVAILABLE when it cannot deliver now.
   */
  List<Profile> take(Handle h, EsimPlan plan, int quantity, long orderId);

  /** Refuses with TOPUP_REFUSED when it cannot extend an eSIM with {@code topUp}. */
  void checkTopUp(EsimPlan topUp);
}
