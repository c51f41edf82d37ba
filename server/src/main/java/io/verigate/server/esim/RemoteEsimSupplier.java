package io.verigate.server.esim;

import java.util.List;

/**
 * A supplier over the network (Airalo's Partner API), asked before the order's transaction opens so that no database
 * lock waits on its answer; the order is then charged and written in a transaction of its own. Orders reach it only
 * when the operator's own stock of the plan runs out.
 */
public interface RemoteEsimSupplier {
  /** Its name, recorded on the orders it delivers. */
  String name();

  /**
   * Buys {@code quantity} eSIMs of the supplier's package for {@code plan} ({@link EsimPlan#supplierPackageId}), or
   * refuses: ESIM_OUT_OF_STOCK when it has none, SUPPLIER_UNAVAILABLE when it cannot deliver now.
   */
  List<Profile> order(EsimPlan plan, int quantity);
}
