package dev.delega.cli;

import dev.delega.api.Json;
import dev.delega.server.Main;
import dev.delega.server.ServerConfig;
import dev.delega.server.store.StoreFailure;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code delega serve}: runs the server in this process. Every flag mirrors one {@code DELEGA_*}
 * environment variable and wins over it; values are validated by {@link ServerConfig#fromEnv}, so
 * a bad one refuses to start with a message naming it.
 */
@Command(
    name = "serve",
    description = "Run the Delega server (REST API, /mcp, /metrics). Flags override the DELEGA_* environment variables.",
    sortOptions = false)
final class ServeCommand extends DelegaCommand {
  private static final Pattern URL_PASSWORD = Pattern.compile("(://[^:/@]+:)[^@]*@");

  @Option(names = "--host", paramLabel = "<addr>", description = "Bind address (DELEGA_HOST, default 127.0.0.1).")
  String host;

  @Option(names = "--port", paramLabel = "<port>", description = "HTTP port, 0 for any free one (DELEGA_PORT, default 18890).")
  String port;

  @Option(names = "--db-path", paramLabel = "<file>", description = "SQLite file (DELEGA_DB_PATH, default ./data/delega.db).")
  String dbPath;

  @Option(names = "--database-url", paramLabel = "<url>", description = "PostgreSQL JDBC or postgres:// URL; overrides SQLite (DELEGA_DATABASE_URL).")
  String databaseUrl;

  @Option(names = "--require-auth", arity = "0..1", fallbackValue = "true", paramLabel = "<true|false>", description = "Require an agent key (DELEGA_REQUIRE_AUTH, default true).")
  String requireAuth;

  @Option(names = "--bootstrap-token", paramLabel = "<token>", description = "Lets the first agent be created from a non-loopback peer (DELEGA_BOOTSTRAP_TOKEN).")
  String bootstrapToken;

  @Option(names = "--cors-origins", paramLabel = "<origins>", description = "Comma-separated allowed origins (DELEGA_CORS_ORIGINS).")
  String corsOrigins;

  @Option(names = "--trusted-proxies", paramLabel = "<cidrs>", description = "CIDRs whose identity headers are believed (DELEGA_TRUSTED_PROXIES).")
  String trustedProxies;

  @Option(names = "--rate-limit-enabled", arity = "0..1", fallbackValue = "true", paramLabel = "<true|false>", description = "Rate limiting (DELEGA_RATE_LIMIT_ENABLED, default true).")
  String rateLimitEnabled;

  @Option(names = "--rate-limit-reads-per-min", paramLabel = "<n>", description = "Reads per minute per agent or IP (DELEGA_RATE_LIMIT_READS_PER_MIN, default 1200).")
  String readsPerMin;

  @Option(names = "--rate-limit-writes-per-min", paramLabel = "<n>", description = "Writes per minute per agent or IP (DELEGA_RATE_LIMIT_WRITES_PER_MIN, default 600).")
  String writesPerMin;

  @Option(names = "--allow-private-webhooks", arity = "0..1", fallbackValue = "true", paramLabel = "<true|false>", description = "Allow loopback/private webhook URLs (DELEGA_ALLOW_PRIVATE_WEBHOOKS, default false).")
  String allowPrivateWebhooks;

  @Option(names = "--max-delegation-depth", paramLabel = "<n>", description = "DELEGA_MAX_DELEGATION_DEPTH, default 10.")
  String maxDelegationDepth;

  @Option(names = "--max-attempts", paramLabel = "<n>", description = "Abandoned leases before a task is errored (DELEGA_MAX_ATTEMPTS, default 3).")
  String maxAttempts;

  @Option(names = "--timezone", paramLabel = "<zone>", description = "IANA zone for today/overdue (DELEGA_TIMEZONE, default UTC).")
  String timezone;

  @Option(names = "--dedup-mode", paramLabel = "<hybrid|lexical>", description = "Duplicate scorer (DELEGA_DEDUP_MODE, default hybrid).")
  String dedupMode;

  @Option(names = "--key-pepper", paramLabel = "<secret>", description = "Server secret for key hashing (DELEGA_KEY_PEPPER; generated and stored by default).")
  String keyPepper;

  @Option(names = "--max-body-bytes", paramLabel = "<n>", description = "Request body limit (DELEGA_MAX_BODY_BYTES, default 1048576).")
  String maxBodyBytes;

  @Option(names = "--metrics-token", paramLabel = "<token>", description = "Bearer token required on /metrics (DELEGA_METRICS_TOKEN).")
  String metricsToken;

  @Option(names = "--log-format", paramLabel = "<text|json>", description = "DELEGA_LOG_FORMAT, default text.")
  String logFormat;

  @Option(names = "--log-level", paramLabel = "<spec>", description = "info, or e.g. debug,org.eclipse.jetty=info (DELEGA_LOG_LEVEL, default info).")
  String logLevel;

  @Option(names = "--shutdown-grace-ms", paramLabel = "<ms>", description = "How long in-flight requests may finish on stop (DELEGA_SHUTDOWN_GRACE_MS, default 10000).")
  String shutdownGraceMs;

  @Option(names = "--task-cache-entries", paramLabel = "<n>", description = "SQLite: tasks whose JSON is kept until the next write commits, 0 = none (DELEGA_TASK_CACHE_ENTRIES, default 10000).")
  String taskCacheEntries;

  @Option(names = "--print-config", description = "Print the resolved configuration (secrets masked) and exit.")
  boolean printConfig;

  @Override
  int run() throws InterruptedException {
    ServerConfig config;
    try {
      config = ServerConfig.fromEnv(environment());
    } catch (IllegalArgumentException e) {
      throw new CliException("refusing to start: " + e.getMessage());
    }
    if (printConfig) {
      Map<String, Object> shown = describe(config);
      if (json) {
        printer().json(Json.mapper().valueToTree(shown));
      } else {
        shown.forEach((k, v) -> printer().line(Printer.pad(k, 26) + " " + v));
      }
      return 0;
    }
    try {
      Main.run(config);
    } catch (StoreFailure e) {
      throw new CliException("cannot start: " + e.getMessage());
    }
    return 0;
  }

  /** The session's environment with every given flag written over its variable. */
  Map<String, String> environment() {
    Map<String, String> env = new HashMap<>(session().env());
    flags().forEach((name, value) -> {
      if (value != null) {
        env.put(name, value);
      }
    });
    return env;
  }

  private Map<String, String> flags() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("DELEGA_HOST", host);
    f.put("DELEGA_PORT", port);
    f.put("DELEGA_DB_PATH", dbPath);
    f.put("DELEGA_DATABASE_URL", databaseUrl);
    f.put("DELEGA_REQUIRE_AUTH", requireAuth);
    f.put("DELEGA_BOOTSTRAP_TOKEN", bootstrapToken);
    f.put("DELEGA_CORS_ORIGINS", corsOrigins);
    f.put("DELEGA_TRUSTED_PROXIES", trustedProxies);
    f.put("DELEGA_RATE_LIMIT_ENABLED", rateLimitEnabled);
    f.put("DELEGA_RATE_LIMIT_READS_PER_MIN", readsPerMin);
    f.put("DELEGA_RATE_LIMIT_WRITES_PER_MIN", writesPerMin);
    f.put("DELEGA_ALLOW_PRIVATE_WEBHOOKS", allowPrivateWebhooks);
    f.put("DELEGA_MAX_DELEGATION_DEPTH", maxDelegationDepth);
    f.put("DELEGA_MAX_ATTEMPTS", maxAttempts);
    f.put("DELEGA_TIMEZONE", timezone);
    f.put("DELEGA_DEDUP_MODE", dedupMode);
    f.put("DELEGA_KEY_PEPPER", keyPepper);
    f.put("DELEGA_MAX_BODY_BYTES", maxBodyBytes);
    f.put("DELEGA_METRICS_TOKEN", metricsToken);
    f.put("DELEGA_LOG_FORMAT", logFormat);
    f.put("DELEGA_LOG_LEVEL", logLevel);
    f.put("DELEGA_SHUTDOWN_GRACE_MS", shutdownGraceMs);
    f.put("DELEGA_TASK_CACHE_ENTRIES", taskCacheEntries);
    return f;
  }

  private static Map<String, Object> describe(ServerConfig c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("host", c.host());
    m.put("port", c.port());
    m.put("db_path", c.usesPostgres() ? null : c.dbPath().toString());
    m.put("database_url", c.databaseUrl() == null ? null : URL_PASSWORD.matcher(c.databaseUrl()).replaceAll("$1***@"));
    m.put("require_auth", c.requireAuth());
    m.put("bootstrap_token", secret(c.bootstrapToken()));
    m.put("cors_origins", c.corsOrigins());
    m.put("trusted_proxies", c.trustedProxies().stream().map(ServeCommand::cidr).toList());
    m.put("rate_limit_enabled", c.rateLimitEnabled());
    m.put("rate_limit_reads_per_min", c.readsPerMinute());
    m.put("rate_limit_writes_per_min", c.writesPerMinute());
    m.put("allow_private_webhooks", c.allowPrivateWebhooks());
    m.put("max_delegation_depth", c.maxDelegationDepth());
    m.put("max_attempts", c.maxAttempts());
    m.put("timezone", c.timezone().getId());
    m.put("dedup_mode", c.dedupMode());
    m.put("key_pepper", c.keyPepper() == null ? "(stored in the database)" : "***");
    m.put("max_body_bytes", c.maxBodyBytes());
    m.put("metrics_token", secret(c.metricsToken()));
    m.put("log_format", c.jsonLogs() ? "json" : "text");
    m.put("log_level", c.logLevels().spelling());
    m.put("shutdown_grace_ms", c.shutdownGraceMillis());
    m.put("task_cache_entries", c.taskCacheEntries());
    return m;
  }

  private static String cidr(dev.delega.server.internal.Cidr c) {
    try {
      return java.net.InetAddress.getByAddress(c.network()).getHostAddress() + "/" + c.prefix();
    } catch (java.net.UnknownHostException e) {
      return String.valueOf(c);
    }
  }

  private static String secret(String s) {
    return s == null ? null : "***";
  }
}
