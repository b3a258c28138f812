package dev.delega.server.http;

import dev.delega.server.ServerConfig;
import dev.delega.server.agent.AgentRow;
import dev.delega.server.agent.Agents;
import dev.delega.server.agent.Caller;
import dev.delega.server.internal.Cidr;
import dev.delega.server.internal.DelegaException;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.MDC;

/**
 * What every request passes before its route, in order: request id, CORS (preflights answered
 * here, without auth), body size, identity, rate limit (per agent, or per client address when
 * there is no agent), and only then the 401 for a missing or wrong key.
 */
final class Gate {
  private final ServerConfig config;
  private final Agents agents;
  private final RateLimiter limiter;

  Gate(ServerConfig config, Agents agents, RateLimiter limiter) {
    this.config = config;
    this.agents = agents;
    this.limiter = limiter;
  }

  void handle(Context ctx) {
    ctx.attribute(dev.delega.server.ops.Metrics.START, System.nanoTime());
    String requestId = AccessLog.requestId(ctx.header("X-Request-Id"));
    ctx.header("X-Request-Id", requestId);
    ctx.attribute("delega.requestId", requestId);
    MDC.clear();
    MDC.put(AccessLog.REQUEST_ID, requestId);
    ctx.attribute(Http.MAX_BODY, config.maxBodyBytes());
    boolean preflight = cors(ctx);
    if (preflight) {
      ctx.skipRemainingHandlers();
      return;
    }
    String path = ctx.path();
    if (isPublic(path)) {
      return;
    }
    HandlerType m = ctx.method();
    boolean write = m == HandlerType.POST || m == HandlerType.PUT || m == HandlerType.PATCH || m == HandlerType.DELETE;
    if (write && ctx.contentLength() > config.maxBodyBytes()) {
      throw Http.tooLarge(ctx, "Request body too large (max " + config.maxBodyBytes() + " bytes)");
    }
    Identity id = resolve(ctx);
    if (config.rateLimitEnabled()) {
      String key = id.caller != null && id.caller.isAgent() ? "agent:" + id.caller.agentId() : "ip:" + clientAddress(ctx);
      RateLimiter.Decision d = limiter.acquire(key, write);
      ctx.header("RateLimit-Limit", String.valueOf(d.limit()));
      ctx.header("RateLimit-Remaining", String.valueOf(d.remaining()));
      ctx.header("RateLimit-Reset", String.valueOf(d.resetSeconds()));
      if (!d.allowed()) {
        throw new DelegaException.RateLimited(
            "Rate limit exceeded (" + d.limit() + "/min for " + (write ? "write" : "read") + " requests)",
            d.retryAfterSeconds());
      }
    }
    if (id.failure != null) {
      throw id.failure;
    }
    ctx.attribute(Http.CALLER, id.caller);
    if (id.caller.isAgent()) {
      MDC.put(AccessLog.AGENT_ID, String.valueOf(id.caller.agentId()));
      agents.touch(id.caller.agentId());
    }
  }

  static boolean isPublic(String path) {
    return path.equals("/health")
        || path.startsWith("/health/")
        || path.equals("/api/health")
        || path.equals("/v1/health")
        || path.equals("/openapi.json")
        || path.equals("/api/openapi.json")
        || path.equals("/v1/openapi.json")
        || path.equals("/metrics")
        || path.startsWith("/api/ingress/")
        || path.startsWith("/v1/ingress/")
        || path.equals("/mcp");
  }

  private record Identity(Caller caller, DelegaException failure) {}

  private Identity resolve(Context ctx) {
    String key = presentedKey(ctx);
    if (key != null) {
      Optional<Caller> agent = agents.callerFor(key);
      return agent.map(c -> new Identity(c, null))
          .orElseGet(() -> new Identity(null, new DelegaException.Unauthorized("Invalid or inactive agent API key")));
    }
    if (fromTrustedProxy(ctx)) {
      for (String candidate : proxyUserCandidates(ctx)) {
        Optional<AgentRow> agent = agents.findActiveByName(candidate);
        if (agent.isPresent()) {
          return new Identity(agent.get().caller(), null);
        }
      }
    }
    if (!config.requireAuth()) {
      return new Identity(Caller.NOBODY, null);
    }
    if (isBootstrap(ctx)) {
      return new Identity(Caller.BOOTSTRAP, null);
    }
    return new Identity(
        null, new DelegaException.Unauthorized("X-Agent-Key required (DELEGA_REQUIRE_AUTH is enabled)"));
  }

  private static String presentedKey(Context ctx) {
    String key = ctx.header("X-Agent-Key");
    if (key != null && !key.isBlank()) {
      return key.trim();
    }
    String auth = ctx.header("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = auth.substring(7).trim();
      if (!token.isEmpty()) {
        return token;
      }
    }
    return null;
  }

  private boolean isBootstrap(Context ctx) {
    if (ctx.method() != HandlerType.POST) {
      return false;
    }
    String p = ctx.path();
    if (!p.equals("/api/agents") && !p.equals("/v1/agents")) {
      return false;
    }
    if (!agents.noAgentsYet()) {
      return false;
    }
    String token = config.bootstrapToken();
    String presented = ctx.header("X-Bootstrap-Token");
    if (token != null && presented != null
        && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8))) {
      return true;
    }
    if (!isLoopback(ctx.req().getRemoteAddr())) {
      throw new DelegaException.Forbidden(
          "Initial agent bootstrap is only allowed from loopback when DELEGA_REQUIRE_AUTH is enabled"
              + " (or with X-Bootstrap-Token matching DELEGA_BOOTSTRAP_TOKEN)");
    }
    return true;
  }

  static boolean isLoopback(String address) {
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private boolean fromTrustedProxy(Context ctx) {
    if (config.trustedProxies().isEmpty()) {
      return false;
    }
    try {
      InetAddress peer = InetAddress.getByName(ctx.req().getRemoteAddr());
      for (Cidr c : config.trustedProxies()) {
        if (c.contains(peer)) {
          return true;
        }
      }
    } catch (UnknownHostException e) {
      return false;
    }
    return false;
  }

  private static java.util.List<String> proxyUserCandidates(Context ctx) {
    String user = ctx.header("Remote-User");
    if (user == null || user.isBlank()) {
      user = ctx.header("X-Forwarded-User");
    }
    if (user == null || user.isBlank()) {
      return java.util.List.of();
    }
    String v = user.trim().toLowerCase(Locale.ROOT);
    int at = v.indexOf('@');
    return at > 0 ? java.util.List.of(v, v.substring(0, at)) : java.util.List.of(v);
  }

  /** The client's address: the socket peer, or the first X-Forwarded-For hop from a trusted proxy. */
  String clientAddress(Context ctx) {
    String peer = ctx.req().getRemoteAddr();
    if (fromTrustedProxy(ctx)) {
      String xff = ctx.header("X-Forwarded-For");
      if (xff != null && !xff.isBlank()) {
        return xff.split(",")[0].trim();
      }
    }
    return peer;
  }

  /** Adds CORS headers for allowed origins; answers a preflight. Returns true when it was a preflight. */
  private boolean cors(Context ctx) {
    String origin = ctx.header("Origin");
    boolean allowed = origin != null && (config.corsOrigins().contains(origin) || config.corsOrigins().contains("*"));
    if (allowed) {
      ctx.header("Access-Control-Allow-Origin", origin);
      ctx.header("Vary", "Origin");
      ctx.header("Access-Control-Allow-Credentials", "true");
      ctx.header(
          "Access-Control-Expose-Headers",
          "ETag, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, X-Request-Id, Location");
    }
    if (ctx.method() == HandlerType.OPTIONS && ctx.header("Access-Control-Request-Method") != null) {
      if (!allowed) {
        throw new DelegaException.Forbidden("Disallowed CORS origin");
      }
      ctx.header("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
      String reqHeaders = ctx.header("Access-Control-Request-Headers");
      ctx.header(
          "Access-Control-Allow-Headers",
          reqHeaders != null ? reqHeaders : "Content-Type, X-Agent-Key, Authorization, Idempotency-Key, If-Match, X-Dedup-Check, X-Lease-Token, Last-Event-ID");
      ctx.header("Access-Control-Max-Age", "600");
      ctx.status(204);
      return true;
    }
    return false;
  }
}
