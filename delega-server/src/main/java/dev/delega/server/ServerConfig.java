package dev.delega.server;

import dev.delega.server.internal.Cidr;
import dev.delega.server.logging.LogLevels;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every setting of the server, read once from environment variables over defaults and validated at
 * start-up: an unknown spelling refuses to start with a message naming the variable and the value.
 */
public record ServerConfig(
    String host,
    int port,
    Path dbPath,
    String databaseUrl,
    boolean requireAuth,
    String bootstrapToken,
    List<String> corsOrigins,
    List<Cidr> trustedProxies,
    boolean rateLimitEnabled,
    int readsPerMinute,
    int writesPerMinute,
    boolean allowPrivateWebhooks,
    int maxDelegationDepth,
    int maxAttempts,
    ZoneId timezone,
    String dedupMode,
    String keyPepper,
    long maxBodyBytes,
    String metricsToken,
    boolean jsonLogs,
    LogLevels logLevels,
    int shutdownGraceMillis,
    int taskCacheEntries) {

  /** Default port of the REST API, {@code /mcp} and {@code /metrics}. */
  public static final int DEFAULT_PORT = 18890;

  /** How long in-flight requests may take to finish once the server begins to stop. */
  public static final int DEFAULT_SHUTDOWN_GRACE_MILLIS = 10_000;

  /** Tasks whose JSON the SQLite store keeps for reads until the next commit (0 keeps none). */
  public static final int DEFAULT_TASK_CACHE_ENTRIES = 10_000;

  /** Bytes a request body may have. */
  public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

  /** A configuration with every default, for tests and embedding. */
  public static ServerConfig defaults() {
    return fromEnv(Map.of());
  }

  /** Reads the {@code DELEGA_*} variables of {@code env}; throws {@link IllegalArgumentException} on any bad value. */
  public static ServerConfig fromEnv(Map<String, String> env) {
    Reader r = new Reader(env);
    ServerConfig config =
        new ServerConfig(
            r.string("DELEGA_HOST", "127.0.0.1"),
            r.integer("DELEGA_PORT", DEFAULT_PORT, 0, 65535),
            Path.of(r.string("DELEGA_DB_PATH", "./data/delega.db")),
            r.stringOrNull("DELEGA_DATABASE_URL"),
            r.bool("DELEGA_REQUIRE_AUTH", true),
            r.stringOrNull("DELEGA_BOOTSTRAP_TOKEN"),
            r.list(
                "DELEGA_CORS_ORIGINS",
                "http://localhost:18890,http://127.0.0.1:18890,http://localhost:5173"),
            r.cidrs("DELEGA_TRUSTED_PROXIES"),
            r.bool("DELEGA_RATE_LIMIT_ENABLED", true),
            r.integer("DELEGA_RATE_LIMIT_READS_PER_MIN", 1200, 1, 10_000_000),
            r.integer("DELEGA_RATE_LIMIT_WRITES_PER_MIN", 600, 1, 10_000_000),
            r.bool("DELEGA_ALLOW_PRIVATE_WEBHOOKS", false),
            r.integer("DELEGA_MAX_DELEGATION_DEPTH", 10, 1, 1000),
            r.integer("DELEGA_MAX_ATTEMPTS", 3, 1, 1000),
            r.zone("DELEGA_TIMEZONE", "UTC"),
            r.oneOf("DELEGA_DEDUP_MODE", "hybrid", "hybrid", "lexical"),
            r.stringOrNull("DELEGA_KEY_PEPPER"),
            r.integer("DELEGA_MAX_BODY_BYTES", (int) DEFAULT_MAX_BODY_BYTES, 1024, 64 * 1024 * 1024),
            r.stringOrNull("DELEGA_METRICS_TOKEN"),
            r.oneOf("DELEGA_LOG_FORMAT", "text", "text", "json").equals("json"),
            r.logLevels("DELEGA_LOG_LEVEL"),
            r.integer("DELEGA_SHUTDOWN_GRACE_MS", DEFAULT_SHUTDOWN_GRACE_MILLIS, 0, 600_000),
            r.integer("DELEGA_TASK_CACHE_ENTRIES", DEFAULT_TASK_CACHE_ENTRIES, 0, 1_000_000));
    if (config.keyPepper != null && config.keyPepper.length() < 16) {
      throw new IllegalArgumentException("DELEGA_KEY_PEPPER must be at least 16 characters");
    }
    return config;
  }

  /** True when the store is PostgreSQL. */
  public boolean usesPostgres() {
    return databaseUrl != null;
  }

  /** A copy listening on another port (0 = any free port). */
  public ServerConfig withPort(int newPort) {
    return new ServerConfig(
        host, newPort, dbPath, databaseUrl, requireAuth, bootstrapToken, corsOrigins,
        trustedProxies, rateLimitEnabled, readsPerMinute, writesPerMinute, allowPrivateWebhooks,
        maxDelegationDepth, maxAttempts, timezone, dedupMode, keyPepper, maxBodyBytes,
        metricsToken, jsonLogs, logLevels, shutdownGraceMillis, taskCacheEntries);
  }

  private record Reader(Map<String, String> env) {
    String raw(String name) {
      String v = env.get(name);
      return v == null || v.isBlank() ? null : v.trim();
    }

    String string(String name, String dflt) {
      String v = raw(name);
      return v == null ? dflt : v;
    }

    String stringOrNull(String name) {
      return raw(name);
    }

    boolean bool(String name, boolean dflt) {
      String v = raw(name);
      if (v == null) {
        return dflt;
      }
      return switch (v.toLowerCase(Locale.ROOT)) {
        case "true" -> true;
        case "false" -> false;
        default ->
            throw new IllegalArgumentException(
                name + " must be 'true' or 'false', not '" + v + "'");
      };
    }

    int integer(String name, int dflt, int min, int max) {
      String v = raw(name);
      if (v == null) {
        return dflt;
      }
      int n;
      try {
        n = Integer.parseInt(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " must be a whole number, not '" + v + "'");
      }
      if (n < min || n > max) {
        throw new IllegalArgumentException(
            name + " must be between " + min + " and " + max + ", not " + n);
      }
      return n;
    }

    String oneOf(String name, String dflt, String... allowed) {
      String v = raw(name);
      if (v == null) {
        return dflt;
      }
      String lower = v.toLowerCase(Locale.ROOT);
      for (String a : allowed) {
        if (a.equals(lower)) {
          return a;
        }
      }
      throw new IllegalArgumentException(
          name + " must be one of " + String.join(", ", allowed) + ", not '" + v + "'");
    }

    List<String> list(String name, String dflt) {
      String v = string(name, dflt);
      List<String> out = new ArrayList<>();
      for (String part : v.split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
      return List.copyOf(out);
    }

    List<Cidr> cidrs(String name) {
      List<Cidr> out = new ArrayList<>();
      for (String part : list(name, "")) {
        try {
          out.add(Cidr.parse(part));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(name + ": " + e.getMessage());
        }
      }
      return List.copyOf(out);
    }

    LogLevels logLevels(String name) {
      String v = raw(name);
      if (v == null) {
        return LogLevels.DEFAULT;
      }
      try {
        return LogLevels.parse(v);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(name + ": " + e.getMessage());
      }
    }

    ZoneId zone(String name, String dflt) {
      String v = string(name, dflt);
      try {
        return ZoneId.of(v);
      } catch (DateTimeException e) {
        throw new IllegalArgumentException(name + " must be an IANA time zone, not '" + v + "'");
      }
    }
  }
}
