package io.verigate.server.esim;

import io.verigate.server.account.Mode;
import io.verigate.server.system.EventLog;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Writes eSIM sales to the event log in the transaction that makes them, so webhooks and Server-Sent Events carry
 * them like every other event: {@code esim.ordered}, {@code esim.topped_up}, {@code esim.refunded}, and
 * {@code esim.low_data} when a usage report shows the data running out or the remote supplier warns of it. The events carry no activation id (that column
 * names SMS activations). No activation code is in them: a webhook log is no place for what installs the eSIM; the
 * client reads it from the API.
 */
final class EsimEvents {
  static final String ORDERED = "esim.ordered";
  static final String TOPPED_UP = "esim.topped_up";
  static final String REFUNDED = "esim.refunded";
  static final String LOW_DATA = "esim.low_data";
  /** The shares of its data used at which a traveller hears that an eSIM runs low (Airalo's thresholds). */
  private static final int[] LOW_DATA_PERCENTS = {75, 90};

  private final EventLog log;

  EsimEvents(EventLog log) {
    this.log = log;
  }

  void ordered(Handle h, EsimOrder order) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("orderId", order.id());
    data.put("planId", order.plan().id());
    data.put("quantity", order.quantity());
    data.put("price", order.price().toDecimalString());
    data.put("esims", order.esims().stream().map(e -> Map.of("id", e.id(), "iccid", e.profile().iccid())).toList());
    log.append(h, order.customerId(), order.mode() == Mode.TEST, ORDERED, null, data);
  }

  void toppedUp(Handle h, Esim esim, EsimPlan plan) {
    Map<String, Object> data = esimData(esim);
    data.put("planId", plan.id());
    data.put("price", plan.price().toDecimalString());
    data.put("dataMb", esim.dataMb());
    data.put("validityDays", esim.validityDays());
    log.append(h, esim.customerId(), esim.mode() == Mode.TEST, TOPPED_UP, null, data);
  }

  void refunded(Handle h, Esim esim) {
    Map<String, Object> data = esimData(esim);
    data.put("amount", esim.price().toDecimalString());
    log.append(h, esim.customerId(), esim.mode() == Mode.TEST, REFUNDED, null, data);
  }

  /**
   * After a usage report: {@code esim.low_data} once for the highest threshold the report crossed, none for unlimited
   * data or a report that crossed none (so a repeated report writes nothing).
   */
  void usageReported(Handle h, Esim before, Esim after) {
    if (after.dataMb() == null) {
      return;
    }
    int crossed = 0;
    for (int percent : LOW_DATA_PERCENTS) {
      long threshold = after.dataMb() * percent / 100;
      if (before.usedMb() < threshold && after.usedMb() >= threshold) {
        crossed = percent;
      }
    }
    if (crossed > 0) {
      Map<String, Object> data = esimData(after);
      data.put("usedPercent", crossed);
      data.put("remainingMb", after.remainingMb());
      data.put("totalMb", after.dataMb());
      log.append(h, after.customerId(), after.mode() == Mode.TEST, LOW_DATA, null, data);
    }
  }

  /**
   * The supplier warned that an eSIM runs low: {@code level} is its threshold ({@code 75%}, {@code 90%} of the data,
   * {@code 3days}, {@code 1days} of validity left), {@code remainingPercent} the data left when it says.
   */
  void supplierLowData(Handle h, Esim esim, String level, Integer remainingPercent) {
    Map<String, Object> data = esimData(esim);
    data.put("level", level);
    data.put("remainingPercent", remainingPercent);
    log.append(h, esim.customerId(), esim.mode() == Mode.TEST, LOW_DATA, null, data);
  }

  private static Map<String, Object> esimData(Esim esim) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("esimId", esim.id());
    data.put("orderId", esim.orderId());
    data.put("iccid", esim.profile().iccid());
    return data;
  }
}
