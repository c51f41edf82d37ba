package io.verigate.server.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scrape in Prometheus' text exposition format, parsed into its samples as Prometheus reads them, so that tests
 * check values of series with exact labels rather than look for text.
 */
public final class PrometheusText {
  private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)(?: \\d+)?");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  /** One sample: a series name, its labels and its value. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private final List<Sample> samples;

  private PrometheusText(List<Sample> samples) {
    this.samples = samples;
  }

  /** Parses a scrape; a line that is neither a comment nor a well-formed sample fails the test. */
  public static PrometheusText parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher sample = SAMPLE.matcher(line);
      if (!sample.matches()) {
        throw new AssertionError("not a sample in Prometheus' text format: " + line);
      }
      samples.add(new Sample(sample.group(1), labels(sample.group(2), line), Double.parseDouble(sample.group(3))));
    }
    return new PrometheusText(samples);
  }

  private static Map<String, String> labels(String text, String line) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (text == null) {
      return labels;
    }
    Matcher label = LABEL.matcher(text);
    int end = 0;
    while (label.find() && label.start() == end) {
      labels.put(label.group(1), label.group(2).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\"));
      end = label.end();
    }
    if (end != text.length()) {
      throw new AssertionError("malformed labels in: " + line);
    }
    return labels;
  }

  public List<Sample> samples() {
    return samples;
  }

  /** The value of the one series of this name whose labels include {@code labels} (name, value pairs). */
  public OptionalDouble value(String name, String... labels) {
    List<Sample> matching = matching(name, labels);
    if (matching.size() > 1) {
      throw new AssertionError(matching.size() + " series of " + name + " match " + List.of(labels) + ": " + matching);
    }
    return matching.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(matching.get(0).value());
  }

  /** Every series of this name whose labels include {@code labels} (name, value pairs). */
  public List<Sample> matching(String name, String... labels) {
    return samples.stream()
        .filter(s -> s.name().equals(name))
        .filter(s -> {
          for (int i = 0; i < labels.length; i += 2) {
            if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
              return false;
            }
          }
          return true;
        })
        .toList();
  }
}
