package dev.delega.server.testing;

import dev.delega.api.Json;
import dev.delega.server.ServerConfig;
import dev.delega.server.Wiring;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import tools.jackson.databind.JsonNode;

/**
 * Runs a real Delega server on 127.0.0.1 and a free port, on a fresh SQLite file (or a fresh
 * PostgreSQL database with {@link #postgres()}). Register it as a {@code static} field for one
 * server per class, or as an instance field for one per test.
 *
 * <pre>{@code
 * @RegisterExtension static final DelegaServerExtension server = new DelegaServerExtension();
 * ... DelegaClient admin = DelegaClient.builder().baseUrl(server.baseUrl()).apiKey(server.adminKey()).build();
 * }</pre>
 */
public final class DelegaServerExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  private final Map<String, String> env = new HashMap<>();
  private Clock clock = Clock.systemUTC();
  private boolean postgres;
  private Path dir;
  private Wiring wiring;
  private boolean perClass;
  private String adminKey;
  private final HttpClient http = HttpClient.newHttpClient();

  public DelegaServerExtension() {
    env.put("DELEGA_RATE_LIMIT_ENABLED", "false");
    env.put("DELEGA_ALLOW_PRIVATE_WEBHOOKS", "true");
    env.put("DELEGA_DEDUP_MODE", "lexical");
  }

  /** Sets an environment variable of the server's configuration. */
  public DelegaServerExtension env(String name, String value) {
    env.put(name, value);
    return this;
  }

  /** Uses this clock in the server (for leases, schedules, "today"). */
  public DelegaServerExtension clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  /** Runs on a fresh database in the shared embedded PostgreSQL instead of SQLite. */
  public DelegaServerExtension postgres() {
    this.postgres = true;
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    perClass = true;
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (!perClass) {
      start();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!perClass) {
      stop();
    }
  }

  /** Starts the server (also usable outside JUnit's lifecycle, e.g. to restart it). */
  public void start() {
    try {
      if (dir == null) {
        dir = Files.createTempDirectory("delega-test");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> e = new HashMap<>(env);
    e.put("DELEGA_PORT", "0");
    e.putIfAbsent("DELEGA_DB_PATH", dir.resolve("delega.db").toString());
    if (postgres && !e.containsKey("DELEGA_DATABASE_URL")) {
      String url = PostgresExtension.newDatabaseUrl();
      env.put("DELEGA_DATABASE_URL", url);
      e.put("DELEGA_DATABASE_URL", url);
    }
    wiring = new Wiring(ServerConfig.fromEnv(e), clock);
    wiring.start();
  }

  /** Stops the server; the database stays, so {@link #start()} brings it back with its data. */
  public void stop() {
    if (wiring != null) {
      wiring.close();
      wiring = null;
    }
  }

  public Wiring wiring() {
    return wiring;
  }

  public int port() {
    return wiring.port();
  }

  /** {@code http://127.0.0.1:<port>/api}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/api";
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String rootUrl() {
    return "http://127.0.0.1:" + port();
  }

  /** The key of the bootstrap admin, created on first use. */
  public synchronized String adminKey() {
    if (adminKey == null) {
      JsonNode agent = post("/agents", null, Map.of("name", "admin"));
      adminKey = agent.get("api_key").asString();
    }
    return adminKey;
  }

  /** Creates an agent with the given role (worker, coordinator, admin) and extra fields; returns its key. */
  public String newAgent(String name, String role, Map<String, Object> extra) {
    Map<String, Object> body = new LinkedHashMap<>(extra);
    body.put("name", name);
    body.put("role", role);
    return post("/agents", adminKey(), body).get("api_key").asString();
  }

  /** Creates a worker; returns its key. */
  public String newAgent(String name) {
    return newAgent(name, "worker", Map.of());
  }

  /** The id of the agent owning {@code key}. */
  public long agentId(String key) {
    return get("/agent/me", key).get("agent").get("id").asLong();
  }

  private JsonNode post(String path, String key, Object body) {
    return send("POST", path, key, body);
  }

  private JsonNode get(String path, String key) {
    return send("GET", path, key, null);
  }

  private JsonNode send(String method, String path, String key, Object body) {
    try {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(baseUrl() + path))
              .header("Content-Type", "application/json")
              .method(method, body == null
                  ? HttpRequest.BodyPublishers.noBody()
                  : HttpRequest.BodyPublishers.ofByteArray(Json.mapper().writeValueAsBytes(body)));
      if (key != null) {
        b.header("X-Agent-Key", key);
      }
      HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() >= 300) {
        throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + " " + new String(r.body()));
      }
      return Json.mapper().readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
