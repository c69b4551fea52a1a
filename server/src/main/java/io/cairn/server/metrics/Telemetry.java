package io.cairn.server.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.MetricsDomain;

/**
 * One node's metrics: a Prometheus registry with Micrometer's JVM and process binders ({@code
 * jvm_*}, {@code process_*}, {@code system_*}), Vert.x's metrics in the same registry ({@code
 * vertx_*}, its HTTP server's left out), and {@code cairn_build_info}. {@link #close()} releases the binders that
 * hold resources (the GC listener).
 */
public final class Telemetry implements AutoCloseable {
  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gc;

  private Telemetry(PrometheusMeterRegistry registry, JvmGcMetrics gc) {
    this.registry = registry;
    this.gc = gc;
  }

  /** A registry with the JVM and process binders bound. */
  public static Telemetry create() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new JvmInfoMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    // Which build runs where: join other series on it (a version mix during a rolling upgrade).
    String version = Telemetry.class.getPackage().getImplementationVersion();
    io.micrometer.core.instrument.Gauge.builder("cairn.build.info", () -> 1)
        .description("Always 1; the labels say which build of Cairn runs on which Java")
        .tag("version", version == null ? "development" : version)
        .tag("java", Runtime.version().toString())
        .register(registry);
    Telemetry telemetry = new Telemetry(registry, gc);
    return telemetry;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The registry's content in the Prometheus text format. */
  public String scrape() {
    return registry.scrape();
  }

  /** A Vert.x that reports its own metrics (event loops, pools, HTTP) into this registry. */
  public Vertx vertx() {
    return vertxBuilder(new VertxOptions()).build();
  }

  /**
   * The builder behind {@link #vertx()}, from {@code options} (kept, metrics added), for a node
   * that adds a cluster manager and builds clustered.
   */
  public VertxBuilder vertxBuilder(VertxOptions options) {
    // No vertx_http_server_*: each of its series (requests, response time, bytes, active requests
    // and connections) repeats a cairn_http_* one, which also knows the front door and the method.
    MicrometerMetricsOptions metrics =
        new MicrometerMetricsOptions()
            .setEnabled(true)
            .setJvmMetricsEnabled(false)
            .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER);
    return Vertx.builder()
        .with(new VertxOptions(options).setMetricsOptions(metrics).setPreferNativeTransport(true))
        .withMetrics(new MicrometerMetricsFactory(registry));
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
