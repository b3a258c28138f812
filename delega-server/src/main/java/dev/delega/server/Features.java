package dev.delega.server;

import dev.delega.server.agent.Agents;
import dev.delega.server.event.EventLog;
import dev.delega.server.http.Api;
import dev.delega.server.store.Database;
import dev.delega.server.task.TaskContext;
import dev.delega.server.task.Tasks;
import io.javalin.config.JavalinConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What {@link Wiring} hands to each feature that plugs into the server (claims, memory, webhooks,
 * dedup, automations…): the shared parts, and the places to add routes, Javalin settings, background
 * parts to close on shutdown, health checks, and the metrics registry (Prometheus at {@code /metrics}).
 * {@code closeOnShutdown} parts are closed after the HTTP server has stopped, in reverse order of
 * registration; {@code endOnDrain} parts hold requests open (event streams) and are closed as soon as
 * the server stops accepting, so those requests end and the drain does not wait for them.
 */
public record Features(
    ServerConfig config,
    Clock clock,
    Database database,
    EventLog events,
    Agents agents,
    Tasks tasks,
    TaskContext context,
    Consumer<Consumer<Api>> routes,
    Consumer<Consumer<JavalinConfig>> javalin,
    Consumer<AutoCloseable> closeOnShutdown,
    Consumer<AutoCloseable> endOnDrain,
    HealthRegistry health,
    MeterRegistry metrics) {

  /** Where a feature reports the state of its background parts for {@code /health/ready}. */
  @FunctionalInterface
  public interface HealthRegistry {
    /** Registers a component; the supplier returns a map with at least {@code ok} (boolean). */
    void register(String component, Supplier<Map<String, Object>> check);
  }
}
