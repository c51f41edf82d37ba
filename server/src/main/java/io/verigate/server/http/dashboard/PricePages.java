package io.verigate.server.http.dashboard;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.verigate.server.account.Actor;
import io.verigate.server.catalog.Catalog;
import io.verigate.server.catalog.Prices;
import io.verigate.server.inventory.Inventory;
import io.verigate.server.system.ErrorCode;
import io.verigate.server.system.Failure;
import io.verigate.server.wallet.Money;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The operator's price table under {@code /operator/prices}: every rule with the default price for the rest, and a
 * form that sets one, as {@code PUT /admin/v1/prices} does (services and countries in any form the catalog knows,
 * {@code *} for any).
 */
final class PricePages {
  private final Pages pages;
  private final Sessions sessions;
  private final OperatorView view;
  private final Prices prices;
  private final Catalog catalog;

  PricePages(Pages pages, Sessions sessions, OperatorView view, Prices prices, Catalog catalog) {
    this.pages = pages;
    this.sessions = sessions;
    this.view = view;
    this.prices = prices;
    this.catalog = catalog;
  }

  void register(RoutesConfig routes) {
    routes.get("/operator/prices", pages.page(ctx -> table(ctx, null, null)));
    routes.post("/operator/prices", pages.page(this::set));
  }

  private void table(Context ctx, String notice, Failure refusal) {
    sessions.operator(ctx);
    Map<String, Object> model = view.model(ctx, "Prices");
    model.put("notice", notice);
    model.put("error", refusal == null ? null : refusal.getMessage());
    model.put("defaultPrice", prices.defaultPrice().toDecimalString());
    model.put("rules", prices.rules().stream().map(rule -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("service", rule.service().equals(Prices.WILDCARD) ? "any"
          : catalog.service(rule.service()).map(s -> s.name() + " (" + rule.service() + ")").orElse(rule.service()));
      row.put("country", rule.country().equals(Prices.WILDCARD) ? "any"
          : catalog.byIso(rule.country()).map(c -> c.name() + " (" + rule.country() + ")").orElse(rule.country()));
      row.put("operator", rule.operator());
      row.put("price", rule.amount().toDecimalString());
      return row;
    }).toList());
    pages.render(ctx, "operator-prices", model);
  }

  private void set(Context ctx) {
    sessions.operator(ctx);
    sessions.checkForm(ctx);
    try {
      Prices.PriceRule rule = prices.set(Actor.admin(sessions.clientAddress(ctx)),
          catalog.priceRuleService(required(ctx, "service")), catalog.priceRuleCountry(required(ctx, "country")),
          Inventory.normaliseOperator(ctx.formParam("operator")), Money.parse(required(ctx, "price")));
      table(ctx, "Price for " + rule.service() + " in " + rule.country() + " (operator " + rule.operator() + "): "
          + rule.amount().toDecimalString() + ".", null);
    } catch (Failure refusal) {
      ctx.status(refusal.code().httpStatus());
      table(ctx, null, refusal);
    }
  }

  private static String required(Context ctx, String field) {
    String value = ctx.formParam(field);
    if (value == null || value.isBlank()) {
      throw new Failure(ErrorCode.BAD_REQUEST, field + " is required");
    }
    return value.strip();
  }
}
