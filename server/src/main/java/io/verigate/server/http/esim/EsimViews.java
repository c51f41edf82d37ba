package io.verigate.server.http.esim;

import io.verigate.server.esim.Esim;
import io.verigate.server.esim.EsimOrder;
import io.verigate.server.esim.EsimPlan;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The REST shapes of plans, eSIMs and orders; field names follow the rest of the API (camelCase, decimal strings). */
final class EsimViews {
  /**
   * How to install, for people reading the answer or showing it in an app: the QR or link first, typing the two codes
   * by hand as the fallback, and the confirmation code when the profile has one.
   */
  private static final List<String> INSTRUCTIONS = List.of(
      "Install while connected to Wi-Fi, before you travel; the eSIM can be installed only once.",
      "iPhone (iOS 17.4 or later): open appleInstallUrl on the phone, or scan the QR code with the camera.",
      "iPhone, earlier iOS: Settings > Mobile Service > Add eSIM > Use QR Code, and scan the QR code.",
      "Android: Settings > Network & internet > SIMs > Download a SIM instead, and scan the QR code.",
      "Without a camera: choose 'Enter details manually' and type smdpAddress and matchingId.",
      "If the phone asks for a confirmation code, enter confirmationCode.",
      "At your destination: turn the eSIM on for mobile data and allow data roaming on it.");

  private EsimViews() {}

  static Map<String, Object> plan(EsimPlan plan, String currency) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", plan.id());
    view.put("name", plan.name());
    view.put("type", plan.kind() == EsimPlan.Kind.TOPUP ? "topup" : "esim");
    view.put("region", plan.region());
    view.put("countries", plan.countries());
    view.put("dataMb", plan.dataMb());
    view.put("unlimited", plan.unlimited());
    view.put("validityDays", plan.validityDays());
    view.put("voiceMinutes", plan.voiceMinutes());
    view.put("smsCount", plan.smsCount());
    view.put("price", plan.price().toDecimalString());
    view.put("currency", currency);
    return view;
  }

  /**
   * The operator's view of a plan: also whether it is a sandbox plan, whether it is on sale, the remote supplier's
   * package it falls back to, and its free stock.
   */
  static Map<String, Object> adminPlan(EsimPlan plan, String currency, Integer stock) {
    Map<String, Object> view = plan(plan, currency);
    view.put("sandbox", plan.sandbox());
    view.put("enabled", plan.enabled());
    view.put("supplierPackageId", plan.supplierPackageId());
    view.put("withdrawn", plan.withdrawn());
    view.put("stock", stock);
    return view;
  }

  static Map<String, Object> esim(Esim esim, String currency, Instant now) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", esim.id());
    view.put("orderId", esim.orderId());
    view.put("planId", esim.planId());
    view.put("iccid", esim.profile().iccid());
    view.put("activationCode", esim.activationCode().text());
    view.put("smdpAddress", esim.activationCode().smdpAddress());
    view.put("matchingId", esim.activationCode().matchingId());
    view.put("confirmationCode", esim.profile().confirmationCode());
    view.put("appleInstallUrl", esim.appleInstallUrl());
    view.put("qrCodeUrl", "/api/v1/esims/" + esim.id() + "/qr.png");
    view.put("installInstructions", INSTRUCTIONS);
    view.put("price", esim.price().toDecimalString());
    view.put("currency", currency);
    view.put("usage", usage(esim, now));
    view.put("createdAt", esim.createdAt());
    view.put("refundedAt", esim.refundedAt());
    return view;
  }

  /** Remaining and total data in MB; both null for unlimited data, whose totals mean nothing. */
  static Map<String, Object> usage(Esim esim, Instant now) {
    Map<String, Object> usage = new LinkedHashMap<>();
    usage.put("status", esim.status(now).name());
    usage.put("unlimited", esim.dataMb() == null);
    usage.put("remainingMb", esim.remainingMb());
    usage.put("totalMb", esim.dataMb());
    usage.put("validityDays", esim.validityDays());
    usage.put("activatedAt", esim.activatedAt());
    usage.put("expiresAt", esim.expiresAt());
    return usage;
  }

  static Map<String, Object> order(EsimOrder order, String currency, Instant now) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", order.id());
    view.put("planId", order.plan().id());
    view.put("quantity", order.quantity());
    view.put("price", order.price().toDecimalString());
    view.put("currency", currency);
    view.put("createdAt", order.createdAt());
    view.put("esims", order.esims().stream().map(e -> esim(e, currency, now)).toList());
    return view;
  }
}
