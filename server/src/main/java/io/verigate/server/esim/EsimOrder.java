package io.verigate.server.esim;

import io.verigate.server.account.Mode;
import io.verigate.server.wallet.Money;
import java.time.Instant;
import java.util.List;

/** One paid order: {@code quantity} eSIMs of a plan, {@code price} the total charged, and the eSIMs it delivered. */
public record EsimOrder(long id, long customerId, Mode mode, EsimPlan plan, int quantity, Money price, String supplier,
    Instant createdAt, List<Esim> esims) {
  public EsimOrder {
    esims = List.copyOf(esims);
  }
}
