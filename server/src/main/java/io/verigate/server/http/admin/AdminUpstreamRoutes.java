package io.verigate.server.http.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.verigate.server.account.Actor;
import io.verigate.server.http.support.Gate;
import io.verigate.server.http.support.Json;
import io.verigate.server.http.support.Requests;
import io.verigate.server.upstream.PriceRule;
import io.verigate.server.upstream.Resale;
import io.verigate.server.upstream.Upstream;
import io.verigate.server.wallet.Money;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The operator's side of upstream resale: registering a provider to resell from, and seeing each one's balance,
 * circuit and latest failures. The admin token is checked by {@link AdminRoutes}.
 */
public final class AdminUpstreamRoutes {
  private final Gate gate;
  private final Resale resale;

  public AdminUpstreamRoutes(Gate gate, Resale resale) {
    this.gate = gate;
    this.resale = resale;
  }

  public void register(RoutesConfig routes) {
    routes.post("/admin/v1/upstreams", this::register);
    routes.get("/admin/v1/upstreams", ctx -> ctx.json(resale.views()));
  }

  /**
   * {@code name}, {@code protocol} ({@code verigate}, {@code sms-activate} or {@code 5sim}), {@code baseUrl},
   * {@code apiKey} (this node's account there; never shown again) and one price rule: {@code markupPercent} or
   * {@code fixedPrice}.
   */
  private void register(Context ctx) {
    JsonNode body = Json.body(ctx);
    String markup = Json.text(body, "markupPercent");
    String fixed = Json.text(body, "fixedPrice");
    PriceRule rule = new PriceRule(markup == null ? null : Requests.intParam("markupPercent", markup),
        fixed == null ? null : Money.parse(fixed));
    Upstream upstream = resale.register(Actor.admin(gate.clientAddress(ctx)), Json.text(body, "name"),
        Json.text(body, "protocol"), Json.text(body, "baseUrl"), Json.text(body, "apiKey"), rule);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", upstream.sourceId());
    out.put("name", upstream.name());
    out.put("protocol", upstream.protocol().code());
    out.put("baseUrl", upstream.baseUrl().toString());
    out.put("markupPercent", rule.markupPercent());
    out.put("fixedPrice", rule.fixedPrice() == null ? null : rule.fixedPrice().toDecimalString());
    ctx.status(201).json(out);
  }
}
