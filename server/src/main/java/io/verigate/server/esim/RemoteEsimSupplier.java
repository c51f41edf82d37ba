package io.verigate.server.esim;

import java.util.List;

/**
 * A supplier over the network (Airalo's Partner API). Every call is made outside any database transaction, so that
 * no lock waits on its answer: an order is asked before the order's transaction opens and then charged and written in
 * one of its own; a top-up is charged first and refunded at once if the supplier refuses it. Orders reach it only when
 * the operator's own stock of the plan runs out.
 */
public interface RemoteEsimSupplier {
  /** Its name, recorded on the orders it delivers. */
  String name();

  /**
   * Buys {@code quantity} eSIMs of the supplier's package for {@code plan} ({@link EsimPlan#supplierPackageId}), or
   * refuses: ESIM_OUT_OF_STOCK when it has none, SUPPLIER_UNAVAILABLE when it cannot deliver now.
   */
  List<Profile> order(EsimPlan plan, int quantity);

  /**
   * Adds the supplier's top-up package {@code packageId} to its eSIM {@code iccid}, or refuses: TOPUP_REFUSED when it
   * will not top this eSIM up with it, SUPPLIER_UNAVAILABLE when it cannot now.
   */
  void topUp(String iccid, String packageId);

  /** The eSIM's usage as the supplier counts it now; SUPPLIER_UNAVAILABLE when it cannot say. */
  SupplierUsage usage(String iccid);

  /** Every package it sells now, as plans priced for sale by {@code pricing}; SUPPLIER_UNAVAILABLE when it cannot say. */
  List<EsimPlan> catalog(CatalogPricing pricing);
}
