package dev.delega.server.ops;

import dev.delega.server.ServerConfig;
import dev.delega.server.agent.AgentRow;
import dev.delega.server.agent.Agents;
import dev.delega.server.internal.DelegaException;
import dev.delega.server.store.Database;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus metrics: request rate and latency by route template and status, the JVM, the SQLite
 * writer queue, and whatever the features register on {@link #registry()}. {@code /metrics} needs
 * the metrics token ({@code DELEGA_METRICS_TOKEN}) or an admin key.
 */
public final class Metrics implements AutoCloseable {
  /** The request attribute holding the request's start time in nanoseconds (set by the gate). */
  public static final String START = "delega.metrics.start";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final ServerConfig config;
  private final Agents agents;

  private final java.util.concurrent.ConcurrentMap<TimerKey, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();

  public Metrics(ServerConfig config, Agents agents, Database database) {
    this.config = config;
    this.agents = agents;
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    Gauge.builder("delega.store.pending_writes", database, Database::pendingWrites)
        .description("writes queued for the SQLite writer (0 on PostgreSQL)")
        .register(registry);
  }

  /** Where features register their meters. */
  public MeterRegistry registry() {
    return registry;
  }

  /** Times every request and serves {@code GET /metrics}. */
  public void install(JavalinConfig cfg) {
    cfg.routes.after(this::record);
    cfg.routes.get("/metrics", this::scrape);
  }

  private void record(Context ctx) {
    Long start = ctx.attribute(START);
    if (start == null) {
      return;
    }
    Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
    String route = endpoint == null ? "unmatched" : endpoint.path;
    // Bounded: route templates (or "unmatched") x methods x statuses.
    timers.computeIfAbsent(new TimerKey(ctx.method(), route, ctx.statusCode()), this::timer)
        .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
  }

  private Timer timer(TimerKey key) {
    return Timer.builder("delega.http.requests")
        .description("HTTP requests by route template, method and status")
        .tag("method", key.method().name())
        .tag("route", key.route())
        .tag("status", String.valueOf(key.status()))
        .publishPercentileHistogram(false)
        .register(registry);
  }

  private record TimerKey(io.javalin.http.HandlerType method, String route, int status) {}

  private void scrape(Context ctx) {
    String auth = ctx.header("Authorization");
    String token = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
    String key = ctx.header("X-Agent-Key");
    boolean allowed = false;
    if (config.metricsToken() != null && token != null) {
      allowed = MessageDigest.isEqual(
          config.metricsToken().getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }
    if (!allowed) {
      String presented = key != null ? key : token;
      if (presented != null) {
        Optional<AgentRow> agent = agents.authenticate(presented);
        allowed = agent.map(AgentRow::isAdmin).orElse(false);
      } else if (!config.requireAuth()) {
        allowed = true;
      }
    }
    if (!allowed) {
      throw new DelegaException.Unauthorized(
          "/metrics needs the metrics token (Authorization: Bearer $DELEGA_METRICS_TOKEN) or an admin key");
    }
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8");
    ctx.result(registry.scrape());
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
