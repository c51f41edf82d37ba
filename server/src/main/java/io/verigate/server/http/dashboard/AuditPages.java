package io.verigate.server.http.dashboard;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.verigate.server.account.Audit;
import io.verigate.server.http.support.Requests;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** The audit log under {@code /operator/audit}, newest first, a page at a time, as {@code GET /admin/v1/audit}. */
final class AuditPages {
  private static final int PAGE = 100;

  private final Pages pages;
  private final Sessions sessions;
  private final OperatorView view;
  private final Audit audit;

  AuditPages(Pages pages, Sessions sessions, OperatorView view, Audit audit) {
    this.pages = pages;
    this.sessions = sessions;
    this.view = view;
    this.audit = audit;
  }

  void register(RoutesConfig routes) {
    routes.get("/operator/audit", pages.page(this::log));
  }

  private void log(Context ctx) {
    sessions.operator(ctx);
    String before = ctx.queryParam("before");
    long beforeId = before == null ? Long.MAX_VALUE : Requests.intParam("before", before);
    Audit.Page page = audit.page(beforeId, PAGE, null);
    Map<String, Object> model = view.model(ctx, "Audit log");
    model.put("entries", page.items().stream().map(entry -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", entry.id());
      row.put("at", Pages.when(entry.at()));
      row.put("actor", entry.actor());
      row.put("action", entry.action());
      row.put("subject", entry.subject());
      row.put("detail", entry.detail().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining(", ")));
      row.put("address", entry.clientAddress() == null ? "" : entry.clientAddress());
      return row;
    }).toList());
    model.put("nextBefore", page.nextBefore());
    pages.render(ctx, "operator-audit", model);
  }
}
