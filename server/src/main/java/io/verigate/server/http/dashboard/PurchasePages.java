package io.verigate.server.http.dashboard;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.verigate.server.account.Operation;
import io.verigate.server.account.Principal;
import io.verigate.server.email.EmailActivation;
import io.verigate.server.email.EmailActivations;
import io.verigate.server.esim.Esim;
import io.verigate.server.esim.Esims;
import io.verigate.server.http.support.Requests;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the customer bought besides numbers: email activations under {@code /dashboard/email} and travel eSIMs under
 * {@code /dashboard/esims}, newest first, in the page's mode. They are bought through the APIs; these pages show them,
 * with an eSIM's activation code and its QR image to scan from the screen.
 */
final class PurchasePages {
  private static final int PAGE = 50;

  private final Pages pages;
  private final Sessions sessions;
  private final CustomerView view;
  private final EmailActivations emails;
  private final Esims esims;
  private final Clock clock;

  PurchasePages(Pages pages, Sessions sessions, CustomerView view, EmailActivations emails, Esims esims, Clock clock) {
    this.pages = pages;
    this.sessions = sessions;
    this.view = view;
    this.emails = emails;
    this.esims = esims;
    this.clock = clock;
  }

  void register(RoutesConfig routes) {
    routes.get("/dashboard/email", pages.page(this::emailActivations));
    routes.get("/dashboard/esims", pages.page(this::esimList));
    routes.get("/dashboard/esims/{id}/qr.png", pages.page(ctx -> {
      Principal principal = sessions.customer(ctx, CustomerView.mode(ctx), Operation.READ);
      byte[] png = esims.qrPng(principal, Requests.esimId(ctx.pathParam("id")));
      // It installs the eSIM: as private as a key, never kept by a shared cache.
      ctx.header("Cache-Control", "private, no-store").contentType("image/png").result(png);
    }));
  }

  private void emailActivations(Context ctx) {
    Principal principal = sessions.customer(ctx, CustomerView.mode(ctx), Operation.READ);
    Map<String, Object> model = view.model(ctx, principal, "Email activations");
    model.put("emails", emails.list(principal, null, null, null, Integer.MAX_VALUE, PAGE).stream()
        .map(PurchasePages::email).toList());
    pages.render(ctx, "emails", model);
  }

  private static Map<String, Object> email(EmailActivation e) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", e.id());
    row.put("created", Pages.when(e.createdAt()));
    row.put("site", e.site());
    row.put("address", e.address());
    row.put("status", e.status().name().toLowerCase(Locale.ROOT));
    row.put("code", e.otpCode());
    row.put("link", e.otpLink());
    row.put("subject", e.subject());
    row.put("price", e.price().toDecimalString());
    return row;
  }

  private void esimList(Context ctx) {
    Principal principal = sessions.customer(ctx, CustomerView.mode(ctx), Operation.READ);
    Map<String, Object> model = view.model(ctx, principal, "eSIMs");
    Instant now = clock.instant();
    model.put("esims", esims.list(principal, Long.MAX_VALUE, PAGE).stream().map(e -> esim(e, now, principal))
        .toList());
    pages.render(ctx, "esims", model);
  }

  private static Map<String, Object> esim(Esim e, Instant now, Principal principal) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", e.id());
    row.put("created", Pages.when(e.createdAt()));
    row.put("plan", e.planId());
    row.put("iccid", e.profile().iccid());
    row.put("status", e.status(now).name().toLowerCase(Locale.ROOT).replace('_', ' '));
    row.put("data", e.dataMb() == null ? "unlimited" : e.remainingMb() + " of " + e.dataMb() + " MB left");
    row.put("expires", e.expiresAt() == null ? "counted from first use" : Pages.when(e.expiresAt()));
    row.put("activationCode", e.activationCode().text());
    row.put("confirmationCode", e.profile().confirmationCode());
    row.put("appleInstallUrl", e.appleInstallUrl());
    row.put("qr", "/dashboard/esims/" + e.id() + "/qr.png?mode=" + CustomerView.modeName(principal.mode()));
    row.put("price", e.price().toDecimalString());
    return row;
  }
}
