package dev.delega.server;

import dev.delega.server.agent.Agents;
import dev.delega.server.agent.ApiKeys;
import dev.delega.server.agent.KeyPepper;
import dev.delega.server.event.EventLog;
import dev.delega.server.http.Api;
import dev.delega.server.http.HttpServer;
import dev.delega.server.http.Http;
import dev.delega.server.dedup.DedupMode;
import dev.delega.server.dedup.DedupService;
import dev.delega.server.dedup.SimilarityIndex;
import dev.delega.server.ops.Metrics;
import dev.delega.server.project.Projects;
import dev.delega.server.store.Database;
import dev.delega.server.store.PostgresDatabase;
import dev.delega.server.store.SqliteDatabase;
import dev.delega.server.task.TaskContext;
import dev.delega.server.task.Tasks;
import io.javalin.config.JavalinConfig;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import dev.delega.server.automation.AutomationFeature;
import dev.delega.server.claim.ClaimFeature;
import dev.delega.server.context.MemoryFeature;
import dev.delega.server.mcp.McpFeature;
import dev.delega.server.webhook.WebhookFeature;
import dev.delega.server.webhook.WebhookStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every part with {@code new}, in dependency order, and closes them
 * in reverse. Reading it top to bottom is the table of contents of the server.
 */
public final class Wiring implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Wiring.class);

  private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
  private final Map<String, Supplier<Map<String, Object>>> health = new LinkedHashMap<>();
  private final ServerConfig config;
  private final Database database;
  private final HttpServer http;
  private final Tasks tasks;
  private final Agents agents;
  private final EventLog events;

  public Wiring(ServerConfig config, Clock clock) {
    this.config = config;
    this.database =
        config.usesPostgres()
            ? PostgresDatabase.open(config.databaseUrl(), 16)
            : SqliteDatabase.open(config.dbPath());
    closeables.push(database);
    ApiKeys keys = new ApiKeys(KeyPepper.load(database, config.keyPepper()));
    this.agents = new Agents(database, keys, clock);
    this.events = new EventLog(clock);
    this.tasks = new Tasks(database, events, clock, config.timezone(), config.maxDelegationDepth(), config.taskCacheEntries());
    TaskContext context = new TaskContext(database, tasks, clock);
    Projects projects = new Projects(database, clock);
    List<Consumer<Api>> extensions = new ArrayList<>();
    List<Consumer<JavalinConfig>> jetty = new ArrayList<>();
    List<AutoCloseable> streams = new ArrayList<>();
    Metrics metrics = new Metrics(config, agents, database);
    closeables.push(metrics);
    jetty.add(metrics::install);
    Features features =
        new Features(
            config, clock, database, events, agents, tasks, context, extensions::add, jetty::add,
            closeables::push, streams::add, health::put, metrics.registry());
    DedupService dedup =
        new DedupService(database, SimilarityIndex.create(DedupMode.parse(config.dedupMode())), metrics.registry());
    closeables.push(dedup);
    tasks.addListener(dedup);
    extensions.add(
        api ->
            api.post("/tasks/dedup", "Open tasks the caller may see that duplicate a text", "dedup",
                ctx -> Http.ok(ctx, dedup.check(Http.caller(ctx), Http.body(ctx)))));
    health.put(
        "dedup",
        () -> Map.of("ok", true, "mode", dedup.mode().name().toLowerCase(java.util.Locale.ROOT),
            "index", dedup.loaded() ? "ready" : "loading"));
    ClaimFeature.install(features);
    MemoryFeature.install(features);
    WebhookStore webhooks = WebhookFeature.install(features);
    AutomationFeature.install(features);
    McpFeature.install(features);
    this.http =
        new HttpServer(
            new HttpServer.Parts(
                config,
                clock,
                agents,
                tasks,
                context,
                projects,
                dedup::refuseDuplicates,
                extensions,
                jetty,
                this::components,
                webhooks::count,
                streams));
    closeables.push(http);
  }

  private Map<String, Object> components() {
    Map<String, Object> out = new LinkedHashMap<>();
    try {
      database.check();
      out.put("store", Map.of("ok", true, "backend", database.describe()));
    } catch (RuntimeException e) {
      out.put("store", Map.of("ok", false, "error", String.valueOf(e.getMessage())));
    }
    out.put("writer", Map.of("ok", true, "pending_writes", database.pendingWrites()));
    health.forEach(
        (name, check) -> {
          try {
            out.put(name, check.get());
          } catch (RuntimeException e) {
            out.put(name, Map.of("ok", false, "error", String.valueOf(e.getMessage())));
          }
        });
    return out;
  }

  /** Starts serving; returns the port. */
  public int start() {
    int port = http.start();
    LOG.info("Delega {} listening on http://{}:{} ({})", Version.VALUE, config.host(), port, database.describe());
    return port;
  }

  public int port() {
    return http.port();
  }

  public Database database() {
    return database;
  }

  public Tasks tasks() {
    return tasks;
  }

  public Agents agents() {
    return agents;
  }

  public EventLog events() {
    return events;
  }

  public HttpServer http() {
    return http;
  }

  /**
   * Stops gracefully: the HTTP server stops accepting, ends event streams and lets in-flight
   * requests finish (at most {@code DELEGA_SHUTDOWN_GRACE_MS}); then the background parts stop
   * (delivery workers, sweeper, schedulers) and last the store flushes and closes.
   */
  @Override
  public void close() {
    while (!closeables.isEmpty()) {
      try {
        closeables.pop().close();
      } catch (Exception e) {
        LOG.warn("error while closing", e);
      }
    }
  }
}
