package io.verigate.server.http.dashboard;

import io.verigate.server.http.support.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A chart's data as the pages hand it to their script: JSON in a {@code data-chart} attribute of the canvas (the pages
 * run no inline script), drawn by Chart.js. Each series is a list of numbers, null where nothing was counted; a chart
 * of percents runs from 0 to 100, one of counts from 0 to its largest.
 */
final class Charts {
  private Charts() {}

  /** {@code type} is Chart.js's ({@code bar}, {@code line}); series keep their order. */
  static String percents(String type, List<String> labels, Map<String, List<Integer>> series) {
    return chart(type, labels, series, true);
  }

  static String counts(String type, List<String> labels, Map<String, List<Long>> series) {
    return chart(type, labels, series, false);
  }

  private static String chart(String type, List<String> labels, Map<String, ? extends List<?>> series,
      boolean percent) {
    List<Map<String, Object>> datasets = new ArrayList<>();
    series.forEach((label, data) -> {
      Map<String, Object> dataset = new LinkedHashMap<>();
      dataset.put("label", label);
      dataset.put("data", data);
      datasets.add(dataset);
    });
    Map<String, Object> chart = new LinkedHashMap<>();
    chart.put("type", type);
    chart.put("percent", percent);
    chart.put("labels", labels);
    chart.put("datasets", datasets);
    return Json.write(chart);
  }
}
