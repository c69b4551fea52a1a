package io.cairn.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dashboards in dashboards/ without a Prometheus: the Grafana JSON model they must follow to
 * import (schema version, datasource variable, panel layout), and every metric their queries use is
 * documented in docs/metrics.md (which MetricsEndpointTest holds against a real scrape).
 * test/e2e/metrics.sh then runs each query against a real Prometheus.
 */
class DashboardsTest {
  private static final Map<String, String> DATASOURCE = Map.of("type", "prometheus", "uid", "${datasource}");
  private static final Set<String> PANEL_TYPES = Set.of("timeseries", "stat", "row");
  private static final Set<String> PROMQL_WORDS =
      Set.of("by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool",
          "offset", "inf", "nan");
  private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern GROUPS = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern IDENT = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  private static List<Path> dashboards() throws Exception {
    try (Stream<Path> files = Files.list(MetricsDoc.ROOT.resolve("dashboards"))) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  /** The metric names an expression selects: identifiers outside labels, strings and ranges, not calls. */
  static Set<String> metricNames(String expr) {
    String s = STRINGS.matcher(expr).replaceAll("\"\"");
    s = s.replaceAll("\\{[^}]*\\}", " ").replaceAll("\\[[^\\]]*\\]", " ");
    s = GROUPS.matcher(s).replaceAll(" ");
    s = s.replaceAll("(?<![a-zA-Z0-9_:])[0-9][a-zA-Z0-9_.]*", " "); // numbers and durations
    Set<String> names = new TreeSet<>();
    Matcher m = IDENT.matcher(s);
    while (m.find()) {
      String word = m.group();
      int next = m.end();
      while (next < s.length() && s.charAt(next) == ' ') {
        next++;
      }
      boolean call = next < s.length() && s.charAt(next) == '(';
      if (!call && !PROMQL_WORDS.contains(word.toLowerCase())) {
        names.add(word);
      }
    }
    return names;
  }

  @Test
  void findsMetricNamesInExpressions() {
    assertEquals(
        Set.of("a_bucket", "b_total"),
        metricNames(
            "histogram_quantile(0.9, sum by (le, method) (rate(a_bucket{x=\"y}\",z=~\"q\"}[$__rate_interval])))"
                + " / ignoring (status) group_left sum(b_total offset 5m) or vector(0)"));
  }

  @Test
  void everyDashboardFollowsGrafanasModelAndUsesOnlyDocumentedMetrics() throws Exception {
    Map<String, String> documented = MetricsDoc.metrics();
    Set<String> known = new HashSet<>();
    documented.forEach((name, type) -> known.addAll(List.of(MetricsDoc.series(name, type))));
    List<Path> files = dashboards();
    assertTrue(files.size() >= 2, "an overview and a storage dashboard");
    Set<String> uids = new HashSet<>();
    List<String> problems = new ArrayList<>();
    int queries = 0;
    for (Path file : files) {
      String f = file.getFileName().toString();
      JsonObject d = new JsonObject(Files.readString(file));
      check(problems, d.getInteger("schemaVersion", 0) >= 39, f + ": schemaVersion >= 39");
      check(problems, uids.add(d.getString("uid", "")) && !d.getString("uid", "").isEmpty(), f + ": a unique uid");
      check(problems, d.getString("uid", "").length() <= 40, f + ": uid of at most 40 characters");
      check(problems, !d.getString("title", "").isEmpty(), f + ": a title");
      check(problems, d.containsKey("id") && d.getValue("id") == null, f + ": id null, so that import creates it");
      JsonArray vars = d.getJsonObject("templating", new JsonObject()).getJsonArray("list", new JsonArray());
      boolean datasourceVar = false;
      for (Object o : vars) {
        JsonObject v = (JsonObject) o;
        if ("datasource".equals(v.getString("type"))) {
          datasourceVar = "datasource".equals(v.getString("name")) && "prometheus".equals(v.getString("query"));
        } else if (v.containsKey("datasource")) {
          check(problems, DATASOURCE.equals(v.getJsonObject("datasource").getMap()), f + ": variable " + v.getString("name") + " uses ${datasource}");
        }
      }
      check(problems, datasourceVar, f + ": a datasource variable 'datasource' of type prometheus");
      Set<Integer> ids = new HashSet<>();
      for (Object o : d.getJsonArray("panels")) {
        JsonObject p = (JsonObject) o;
        String where = f + " panel '" + p.getString("title") + "'";
        check(problems, ids.add(p.getInteger("id", -1)), where + ": unique id");
        check(problems, PANEL_TYPES.contains(p.getString("type")), where + ": type " + p.getString("type"));
        JsonObject grid = p.getJsonObject("gridPos", new JsonObject());
        int x = grid.getInteger("x", -1), w = grid.getInteger("w", 0), h = grid.getInteger("h", 0);
        check(problems, x >= 0 && w > 0 && h > 0 && x + w <= 24 && grid.getInteger("y", -1) >= 0, where + ": gridPos within 24 columns");
        if ("row".equals(p.getString("type"))) {
          continue;
        }
        check(problems, DATASOURCE.equals(p.getJsonObject("datasource", new JsonObject()).getMap()), where + ": datasource ${datasource}");
        JsonArray targets = p.getJsonArray("targets", new JsonArray());
        check(problems, !targets.isEmpty(), where + ": has targets");
        Set<String> refIds = new HashSet<>();
        for (Object t : targets) {
          JsonObject target = (JsonObject) t;
          queries++;
          String expr = target.getString("expr", "");
          check(problems, refIds.add(target.getString("refId", "")), where + ": unique refId");
          check(problems, DATASOURCE.equals(target.getJsonObject("datasource", new JsonObject()).getMap()), where + ": target datasource");
          check(problems, !expr.isBlank(), where + ": an expression");
          for (String name : metricNames(expr)) {
            check(problems, known.contains(name), where + ": " + name + " is not in docs/metrics.md");
          }
        }
      }
    }
    assertEquals(List.of(), problems);
    assertTrue(queries >= 30, "the dashboards hold queries: " + queries);
  }

  @Test
  void panelsDoNotOverlap() throws Exception {
    List<String> problems = new ArrayList<>();
    for (Path file : dashboards()) {
      List<JsonObject> panels = new ArrayList<>();
      new JsonObject(Files.readString(file)).getJsonArray("panels").forEach(o -> panels.add((JsonObject) o));
      for (int i = 0; i < panels.size(); i++) {
        for (int j = i + 1; j < panels.size(); j++) {
          JsonObject a = panels.get(i).getJsonObject("gridPos");
          JsonObject b = panels.get(j).getJsonObject("gridPos");
          boolean apart = a.getInteger("x") + a.getInteger("w") <= b.getInteger("x")
              || b.getInteger("x") + b.getInteger("w") <= a.getInteger("x")
              || a.getInteger("y") + a.getInteger("h") <= b.getInteger("y")
              || b.getInteger("y") + b.getInteger("h") <= a.getInteger("y");
          check(problems, apart, file.getFileName() + ": '" + panels.get(i).getString("title") + "' and '"
              + panels.get(j).getString("title") + "' overlap");
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  /**
   * The stored-bytes, journal-rows, largest-homes, certificate, login, build and gc-run metrics are
   * each on a panel: an operator finds them on a dashboard, not only in the metrics reference.
   */
  @Test
  void storageCertificateAndGcMetricsHaveAPanel() throws Exception {
    Set<String> used = new TreeSet<>();
    for (Path file : dashboards()) {
      for (Object o : new JsonObject(Files.readString(file)).getJsonArray("panels")) {
        for (Object t : ((JsonObject) o).getJsonArray("targets", new JsonArray())) {
          used.addAll(metricNames(((JsonObject) t).getString("expr", "")));
        }
      }
    }
    List<String> missing = new ArrayList<>();
    for (String name : MetricsDoc.metrics().keySet()) {
      boolean wanted = name.startsWith("cairn_storage_") || name.startsWith("cairn_user_") || name.startsWith("cairn_tls_")
          || name.startsWith("cairn_auth_") || name.equals("cairn_build_info") || name.equals("cairn_journal_rows")
          || name.matches("cairn_retention_\\w+_bytes|cairn_gc_(runs_total|swept_bytes_total|last_run_\\w+|\\w+_bytes|\\w+_chunks)");
      if (wanted && !used.contains(name)) {
        missing.add(name);
      }
    }
    assertEquals(List.of(), missing, "documented metrics on no dashboard panel");
    assertTrue(used.contains("cairn_user_history_bytes") && used.contains("cairn_gc_marked_bytes"), "the list is not empty: " + used);
  }

  private static void check(List<String> problems, boolean ok, String what) {
    if (!ok) {
      problems.add(what);
    }
  }

  @Test
  void documentationListsEachMetricOnce() throws Exception {
    String doc = Files.readString(MetricsDoc.ROOT.resolve("docs/metrics.md"));
    for (String name : MetricsDoc.metrics().keySet()) {
      assertEquals(1, doc.split("\\| `" + Pattern.quote(name) + "` \\|", -1).length - 1, name);
      assertFalse(name.startsWith("cairn_") && !name.matches("cairn_[a-z]+_[a-z_]+"), name + " follows cairn_<area>_<what>_<unit>");
    }
  }
}
