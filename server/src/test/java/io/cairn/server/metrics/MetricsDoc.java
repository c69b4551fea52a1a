package io.cairn.server.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metrics docs/metrics.md lists: the first cell of each table row, with its type. */
final class MetricsDoc {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Pattern ROW = Pattern.compile("^\\| `([a-z_:][a-z0-9_:]*)` \\| ([a-z]+) \\|", Pattern.MULTILINE);

  private MetricsDoc() {}

  /** Metric name to type (counter, gauge, histogram, summary), in the order documented. */
  static Map<String, String> metrics() throws IOException {
    String doc = Files.readString(ROOT.resolve("docs/metrics.md"));
    Map<String, String> names = new LinkedHashMap<>();
    Matcher m = ROW.matcher(doc);
    while (m.find()) {
      names.put(m.group(1), m.group(2));
    }
    return names;
  }

  /** The series names a metric of this type shows in the Prometheus text format. */
  static String[] series(String name, String type) {
    return switch (type) {
      case "histogram" -> new String[] {name + "_bucket", name + "_count", name + "_sum"};
      case "summary" -> new String[] {name + "_count", name + "_sum"};
      default -> new String[] {name};
    };
  }
}
