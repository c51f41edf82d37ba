package io.verigate.server.esim;

import io.verigate.server.account.Actor;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the plan catalog in step with the remote supplier's packages, every hour and when the operator asks: the
 * packages are read first, outside any transaction, then written as plans priced by the operator's rule in one
 * ({@link EsimPlans#sync}). A catalog that cannot be read, or reads empty, changes nothing: a supplier's bad hour must
 * not take every synced plan off sale.
 */
public final class CatalogSync {
  private static final Logger log = LoggerFactory.getLogger(CatalogSync.class);

  private final RemoteEsimSupplier supplier;
  private final EsimPlans plans;
  private final CatalogPricing pricing;

  public CatalogSync(RemoteEsimSupplier supplier, EsimPlans plans, CatalogPricing pricing) {
    this.supplier = supplier;
    this.plans = plans;
    this.pricing = pricing;
  }

  public EsimPlans.Synced run(Actor actor) {
    List<EsimPlan> offered = supplier.catalog(pricing);
    if (offered.isEmpty()) {
      throw new Failure(ErrorCode.SUPPLIER_UNAVAILABLE, "the eSIM supplier listed no package this node can sell under "
          + "the price rule " + pricing + "; the catalog was left as it was");
    }
    EsimPlans.Synced synced = plans.sync(actor, supplier.name(), offered);
    log.info("esim catalog synced from {} ({} packages, rule {}): {}", supplier.name(), offered.size(), pricing,
        synced);
    return synced;
  }

  /** The periodic run: a failure is logged and waits for the next run. */
  public void runScheduled() {
    try {
      run(Actor.SYSTEM);
    } catch (RuntimeException e) {
      log.warn("esim catalog sync from {} failed; the catalog stays as it was: {}", supplier.name(), e.getMessage());
    }
  }
}
