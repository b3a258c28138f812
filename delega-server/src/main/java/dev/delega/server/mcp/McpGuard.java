package dev.delega.server.mcp;

import dev.delega.api.Json;
import dev.delega.server.ServerConfig;
import dev.delega.server.agent.Agents;
import dev.delega.server.http.AccessLog;
import dev.delega.server.http.Http;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.MDC;

/**
 * What every {@code /mcp} request passes before the MCP servlet: a Host check and an Origin check
 * (against DNS rebinding and cross-site calls from browsers; the MCP SDK accepts any origin by
 * default), CORS for allowed origins, and the agent key ({@code X-Agent-Key} or {@code
 * Authorization: Bearer}) checked like the REST API does. Refusals are JSON in the API's error
 * shape. A {@code POST} body must then be one well-formed JSON-RPC message ({@link
 * McpRequestCheck}) before the MCP servlet reads it, and the servlet's error answers are rewritten
 * into plain JSON-RPC errors ({@link McpErrorBodies}).
 */
final class McpGuard implements Filter {
  /** The request attribute holding the caller's key (null in open mode without a key). */
  static final String KEY_ATTRIBUTE = "delega.mcp.key";

  private static final String ALLOW_HEADERS =
      "Content-Type, Accept, Authorization, X-Agent-Key, Mcp-Session-Id, Mcp-Protocol-Version,"
          + " Mcp-Method, Mcp-Name, Last-Event-ID";

  private final ServerConfig config;
  private final Agents agents;
  private final Set<String> hosts;
  private final boolean anyOrigin;
  private final boolean wildcardBind;

  McpGuard(ServerConfig config, Agents agents) {
    this.config = config;
    this.agents = agents;
    this.anyOrigin = config.corsOrigins().contains("*");
    this.wildcardBind = config.host().equals("0.0.0.0") || config.host().equals("::");
    Set<String> h = new LinkedHashSet<>();
    h.add("localhost");
    h.add("127.0.0.1");
    h.add("[::1]");
    if (!wildcardBind) {
      h.add(hostName(config.host()));
    }
    for (String origin : config.corsOrigins()) {
      try {
        String host = URI.create(origin).getHost();
        if (host != null) {
          h.add(hostName(host));
        }
      } catch (IllegalArgumentException e) {
        // not an origin URL ("*" and the like): nothing to add
      }
    }
    this.hosts = Set.copyOf(h);
  }

  /**
   * Gives the request an id (echoed in {@code X-Request-Id}, on every log line it causes) and ends
   * it with one access line, as the gate and access log do for the REST routes.
   */
  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest req = (HttpServletRequest) request;
    HttpServletResponse res = (HttpServletResponse) response;
    long start = System.nanoTime();
    String requestId = AccessLog.requestId(req.getHeader("X-Request-Id"));
    res.setHeader("X-Request-Id", requestId);
    MDC.clear();
    MDC.put(AccessLog.REQUEST_ID, requestId);
    try {
      guard(req, res, chain);
    } finally {
      AccessLog.line(req.getMethod(), McpFeature.PATH, res.getStatus(), start);
    }
  }

  private void guard(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    String host = req.getHeader("Host");
    if (!hostAllowed(host, req)) {
      refuse(res, 403, "forbidden",
          "Host '" + host + "' is not allowed for /mcp (DNS rebinding protection): use localhost,"
              + " 127.0.0.1 or a host named in DELEGA_CORS_ORIGINS");
      return;
    }
    String origin = req.getHeader("Origin");
    if (origin != null && !origin.isBlank()) {
      if (!anyOrigin && !config.corsOrigins().contains(origin)) {
        refuse(res, 403, "forbidden",
            "Origin '" + origin + "' is not allowed for /mcp; add it to DELEGA_CORS_ORIGINS");
        return;
      }
      res.setHeader("Access-Control-Allow-Origin", origin);
      res.setHeader("Vary", "Origin");
      res.setHeader("Access-Control-Expose-Headers", "Mcp-Session-Id, Mcp-Protocol-Version, WWW-Authenticate");
      if ("OPTIONS".equals(req.getMethod())) {
        res.setHeader("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
        String asked = req.getHeader("Access-Control-Request-Headers");
        res.setHeader("Access-Control-Allow-Headers", asked != null ? asked : ALLOW_HEADERS);
        res.setHeader("Access-Control-Max-Age", "600");
        res.setStatus(204);
        return;
      }
    }
    String key = presentedKey(req);
    if (key != null) {
      java.util.Optional<dev.delega.server.agent.Caller> caller = agents.callerFor(key);
      caller.filter(dev.delega.server.agent.Caller::isAgent)
          .ifPresent(c -> MDC.put(AccessLog.AGENT_ID, String.valueOf(c.agentId())));
      if (caller.isEmpty()) {
        res.setHeader("WWW-Authenticate", "Bearer realm=\"delega\"");
        refuse(res, 401, "unauthorized", "Invalid or inactive agent API key");
        return;
      }
    } else if (config.requireAuth()) {
      res.setHeader("WWW-Authenticate", "Bearer realm=\"delega\"");
      refuse(res, 401, "unauthorized",
          "X-Agent-Key or Authorization: Bearer <agent key> required for /mcp (DELEGA_REQUIRE_AUTH is enabled)");
      return;
    }
    req.setAttribute(KEY_ATTRIBUTE, key);
    if ("POST".equals(req.getMethod())) {
      post(req, res, chain);
      return;
    }
    chain.doFilter(req, res);
  }

  /**
   * A JSON-RPC message: its shape is checked before the SDK reads it, and the SDK's error answers
   * are rewritten into JSON-RPC errors without Java internals.
   */
  private void post(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    long max = config.maxBodyBytes();
    if (req.getContentLengthLong() > max) {
      Http.drainOversized(req);
      refuse(res, 413, "payload_too_large", "Request body too large (max " + max + " bytes)");
      return;
    }
    byte[] body = req.getInputStream().readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
    if (body.length > max) {
      Http.drainOversized(req);
      refuse(res, 413, "payload_too_large", "Request body too large (max " + max + " bytes)");
      return;
    }
    switch (McpRequestCheck.check(body)) {
      case McpRequestCheck.Refuse r -> send(res, r.status(), McpErrorBodies.error(r.id(), r.code(), r.message()));
      case McpRequestCheck.Pass pass -> {
        BufferedResponse buffered = new BufferedResponse(res);
        chain.doFilter(new BufferedRequest(req, body), buffered);
        if (buffered.sentError()) {
          return; // the server's error handler writes it
        }
        byte[] answer = buffered.body();
        McpErrorBodies.Answer rewritten = McpErrorBodies.rewrite(res.getStatus(), answer, pass);
        if (rewritten != null) {
          send(res, rewritten.status(), rewritten.body());
        } else if (answer.length > 0) {
          res.setContentLength(answer.length);
          res.getOutputStream().write(answer);
        }
      }
    }
  }

  private static void send(HttpServletResponse res, int status, byte[] body) throws IOException {
    res.setStatus(status);
    res.setContentType("application/json");
    res.setCharacterEncoding(StandardCharsets.UTF_8.name());
    res.setContentLength(body.length);
    res.getOutputStream().write(body);
  }

  private boolean hostAllowed(String header, HttpServletRequest req) {
    if (header == null || header.isBlank()) {
      return false;
    }
    if (anyOrigin) {
      return true;
    }
    String name = hostName(stripPort(header.trim()));
    if (hosts.contains(name)) {
      return true;
    }
    return wildcardBind && name.equals(hostName(req.getLocalAddr()));
  }

  private static String stripPort(String host) {
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      return end < 0 ? host : host.substring(0, end + 1);
    }
    int colon = host.indexOf(':');
    return colon >= 0 && host.indexOf(':', colon + 1) < 0 ? host.substring(0, colon) : host;
  }

  private static String hostName(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.contains(":") && !h.startsWith("[")) {
      h = "[" + h + "]";
    }
    return h;
  }

  static String presentedKey(HttpServletRequest req) {
    String key = req.getHeader("X-Agent-Key");
    if (key != null && !key.isBlank()) {
      return key.trim();
    }
    String auth = req.getHeader("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = auth.substring(7).trim();
      if (!token.isEmpty()) {
        return token;
      }
    }
    return null;
  }

  private static void refuse(HttpServletResponse res, int status, String code, String message)
      throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    body.put("code", code);
    body.put("status", status);
    body.put("detail", message);
    byte[] bytes = Json.mapper().writeValueAsBytes(body);
    res.setStatus(status);
    res.setContentType("application/json");
    res.setCharacterEncoding(StandardCharsets.UTF_8.name());
    res.setContentLength(bytes.length);
    res.getOutputStream().write(bytes);
  }
}
