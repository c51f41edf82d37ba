package io.verigate.server.http.dashboard;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.verigate.server.activation.Coverage;
import io.verigate.server.catalog.Catalog;
import io.verigate.server.catalog.Country;
import io.verigate.server.catalog.TargetService;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Delivery success over the last week under {@code /operator/delivery}: the share of live activations that got a
 * code per day of purchase, charted for the busiest countries and the busiest services, with every country and
 * service of every day in a table.
 */
final class DeliveryPages {
  /** More lines than this make a chart no one can read. */
  private static final int CHARTED = 8;

  private final Pages pages;
  private final Sessions sessions;
  private final OperatorView view;
  private final Coverage coverage;
  private final Catalog catalog;

  DeliveryPages(Pages pages, Sessions sessions, OperatorView view, Coverage coverage, Catalog catalog) {
    this.pages = pages;
    this.sessions = sessions;
    this.view = view;
    this.coverage = coverage;
    this.catalog = catalog;
  }

  void register(RoutesConfig routes) {
    routes.get("/operator/delivery", pages.page(this::delivery));
  }

  private void delivery(Context ctx) {
    sessions.operator(ctx);
    List<Coverage.DailyRate> rates = coverage.lastWeekByDay();
    List<LocalDate> days = rates.stream().map(Coverage.DailyRate::day).distinct().sorted().toList();
    List<String> labels = days.stream().map(LocalDate::toString).toList();
    Map<String, Object> model = view.model(ctx, "Delivery success");
    model.put("chart", days.isEmpty() ? null : Charts.percents("line", labels,
        busiest(Coverage.DailyRate.totals(rates, Coverage.DailyRate::countryIso), days, this::countryName)));
    model.put("serviceChart", days.isEmpty() ? null : Charts.percents("line", labels,
        busiest(Coverage.DailyRate.totals(rates, Coverage.DailyRate::service), days, this::serviceName)));
    model.put("rows", rates.stream().map(r -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("day", r.day().toString());
      row.put("country", countryName(r.countryIso()));
      row.put("service", serviceName(r.service()));
      row.put("succeeded", r.rate().succeeded());
      row.put("counted", r.rate().counted());
      row.put("percent", r.rate().percent().map(p -> p + " %").orElse(""));
      return row;
    }).toList());
    pages.render(ctx, "operator-delivery", model);
  }

  /** The series of the {@link #CHARTED} keys with the most activations: a percent per day, null where none counted. */
  private static Map<String, List<Integer>> busiest(Map<String, Map<LocalDate, Coverage.Rate>> totals,
      List<LocalDate> days, Function<String, String> name) {
    Map<String, List<Integer>> series = new LinkedHashMap<>();
    totals.entrySet().stream()
        .sorted(Comparator.<Map.Entry<String, Map<LocalDate, Coverage.Rate>>>comparingLong(
                e -> e.getValue().values().stream().mapToLong(Coverage.Rate::counted).sum()).reversed()
            .thenComparing(Map.Entry::getKey))
        .limit(CHARTED)
        .forEach(e -> series.put(name.apply(e.getKey()), days.stream()
            .map(day -> e.getValue().containsKey(day) ? e.getValue().get(day).percent().orElse(null) : null)
            .toList()));
    return series;
  }

  private String countryName(String iso) {
    return catalog.byIso(iso).map(Country::name).orElse(iso);
  }

  private String serviceName(String code) {
    return catalog.service(code).map(TargetService::name).orElse(code);
  }
}
