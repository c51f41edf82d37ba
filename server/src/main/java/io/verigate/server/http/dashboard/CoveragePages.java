package io.verigate.server.http.dashboard;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.verigate.server.activation.ActivationService;
import io.verigate.server.activation.Coverage;
import io.verigate.server.catalog.Country;
import io.verigate.server.catalog.TargetService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Public coverage and pricing, for anyone and without a log-in: pages at {@code /} and under {@code /coverage}, and
 * the same figures as JSON at {@code GET /api/v1/coverage}. All of them read one {@link Coverage} snapshot, so a
 * crowd of visitors costs the node one computation per half minute.
 */
final class CoveragePages {
  /** As long as the snapshot may be stale anyway: a browser or proxy may keep the answer that long. */
  private static final String CACHING = "public, max-age=" + Coverage.FRESHNESS.toSeconds();

  private final Pages pages;
  private final Coverage coverage;
  private final ActivationService activations;
  private final String currency;

  CoveragePages(Pages pages, Coverage coverage, ActivationService activations, String currency) {
    this.pages = pages;
    this.coverage = coverage;
    this.activations = activations;
    this.currency = currency;
  }

  void register(RoutesConfig routes) {
    routes.get("/", pages.page(this::countries));
    routes.get("/coverage/countries/{country}", pages.page(ctx -> {
      Country country = activations.resolveCountry(ctx.pathParam("country"));
      page(ctx, "Coverage in " + country.name(), coverage.snapshot().forCountry(country.iso()), null);
    }));
    routes.get("/coverage/services/{service}", pages.page(ctx -> {
      TargetService service = activations.resolveService(ctx.pathParam("service"));
      List<Coverage.Row> rows = coverage.snapshot().forService(service.code());
      page(ctx, "Coverage for " + service.name(), rows, chart(rows));
    }));
    routes.get("/api/v1/coverage", this::json);
  }

  /** Every country in one line each, with its success charted: where to look first. */
  private void countries(Context ctx) {
    List<Coverage.CountrySummary> countries = coverage.snapshot().byCountry();
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("title", "Coverage and prices");
    model.put("currency", currency);
    model.put("countries", countries.stream().map(c -> {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("iso", c.country().iso());
      out.put("country", c.country().name());
      out.put("services", c.services());
      out.put("price", c.lowestPrice().toDecimalString());
      out.put("stock", c.stock());
      out.put("day", percent(c.lastDay()));
      out.put("week", percent(c.lastWeek()));
      return out;
    }).toList());
    model.put("chart", countries.isEmpty() ? null : chart(countries.stream().map(c -> c.country().name()).toList(),
        countries.stream().map(Coverage.CountrySummary::lastDay).toList(),
        countries.stream().map(Coverage.CountrySummary::lastWeek).toList()));
    ctx.header("Cache-Control", CACHING);
    pages.render(ctx, "countries", model);
  }

  private void page(Context ctx, String title, List<Coverage.Row> rows, String chart) {
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("title", title);
    model.put("currency", currency);
    model.put("rows", rows.stream().map(CoveragePages::view).toList());
    model.put("chart", chart);
    ctx.header("Cache-Control", CACHING);
    pages.render(ctx, "coverage", model);
  }

  /** {@code ?country=} and {@code ?service=} narrow the list; each takes any form the other APIs take. */
  private void json(Context ctx) {
    Coverage.Snapshot snapshot = coverage.snapshot();
    List<Coverage.Row> rows = snapshot.rows();
    String country = ctx.queryParam("country");
    if (country != null) {
      rows = snapshot.forCountry(activations.resolveCountry(country).iso());
    }
    String service = ctx.queryParam("service");
    if (service != null) {
      String code = activations.resolveService(service).code();
      rows = rows.stream().filter(r -> r.service().code().equals(code)).toList();
    }
    List<Map<String, Object>> items = new ArrayList<>();
    for (Coverage.Row row : rows) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("serviceCode", row.service().code());
      item.put("serviceName", row.service().name());
      item.put("countryIso", row.country().iso());
      item.put("countryName", row.country().name());
      item.put("price", row.price().toDecimalString());
      item.put("available", row.stock());
      item.put("successRate24h", rate(row.lastDay()));
      item.put("successRate7d", rate(row.lastWeek()));
      items.add(item);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("currency", currency);
    body.put("computedAt", snapshot.at());
    body.put("items", items);
    ctx.header("Cache-Control", CACHING).json(body);
  }

  private static Map<String, Object> rate(Coverage.Rate rate) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("percent", rate.percent().orElse(null));
    out.put("succeeded", rate.succeeded());
    out.put("counted", rate.counted());
    return out;
  }

  private static Map<String, Object> view(Coverage.Row row) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("serviceCode", row.service().code());
    out.put("service", row.service().name());
    out.put("countryIso", row.country().iso());
    out.put("country", row.country().name());
    out.put("price", row.price().toDecimalString());
    out.put("stock", row.stock());
    out.put("day", percent(row.lastDay()));
    out.put("week", percent(row.lastWeek()));
    return out;
  }

  private static String percent(Coverage.Rate rate) {
    return rate.percent().map(p -> p + " %").orElse("no data");
  }

  /** The chart's data, read by the page's script from an attribute (the page runs no inline script). */
  private static String chart(List<Coverage.Row> rows) {
    return chart(rows.stream().map(r -> r.country().name()).toList(), rows.stream().map(Coverage.Row::lastDay).toList(),
        rows.stream().map(Coverage.Row::lastWeek).toList());
  }

  private static String chart(List<String> labels, List<Coverage.Rate> day, List<Coverage.Rate> week) {
    Map<String, List<Integer>> series = new LinkedHashMap<>();
    series.put("Success, last 24 h (%)", day.stream().map(r -> r.percent().orElse(null)).toList());
    series.put("Success, last 7 days (%)", week.stream().map(r -> r.percent().orElse(null)).toList());
    return Charts.percents("bar", labels, series);
  }
}
