package dev.delega.server.http;

import dev.delega.server.ops.Metrics;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;

/**
 * One line per request on the logger {@code dev.delega.access}: method, route template (and the
 * path when no route matched, e.g. a 401 from the gate or a 404), status, duration and, through the
 * diagnostic context, the request id and the agent id (never the key). Info, except health probes
 * and scrapes, which are debug. Runs as the last after-handler and then clears the context.
 */
public final class AccessLog {
  /** Diagnostic-context key of the request id (also the JSON field name). */
  public static final String REQUEST_ID = "request_id";

  /** Diagnostic-context key of the authenticated agent's id. */
  public static final String AGENT_ID = "agent_id";

  private static final Logger LOG = LoggerFactory.getLogger("dev.delega.access");

  private AccessLog() {}

  /** The client's {@code X-Request-Id} when it is safe to echo and log, else a new one. */
  public static String requestId(String presented) {
    if (presented != null && Http.isRequestId(presented)) {
      return presented;
    }
    return Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
  }

  /**
   * The line of a request served outside Javalin's handlers (the {@code /mcp} servlet), with the
   * diagnostic context its caller set; then clears the context.
   */
  public static void line(String method, String route, int status, long startNanos) {
    try {
      if (LOG.isInfoEnabled()) {
        write(Level.INFO, method, route, null, status, startNanos);
      }
    } finally {
      MDC.clear();
    }
  }

  static void after(Context ctx) {
    try {
      String path = ctx.path();
      Level level = path.startsWith("/health") || path.equals("/metrics") || path.endsWith("/health")
          ? Level.DEBUG : Level.INFO;
      if (!LOG.isEnabledForLevel(level)) {
        return;
      }
      Long start = ctx.attribute(Metrics.START);
      Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
      write(level, ctx.method().name(), endpoint == null ? "unmatched" : endpoint.path, endpoint == null ? path : null,
          ctx.statusCode(), start);
    } finally {
      MDC.clear();
    }
  }

  /** One line at an enabled level; {@code path} only when no route matched; duration -1 when the start is unknown. */
  private static void write(Level level, String method, String route, String path, int status, Long startNanos) {
    long millis = startNanos == null ? -1 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    var line = LOG.atLevel(level).addKeyValue("method", method).addKeyValue("route", route);
    if (path != null) {
      line = line.addKeyValue("path", path);
    }
    line.addKeyValue("status", status)
        .addKeyValue("duration_ms", millis)
        .log("{} {} {} {} ms", method, path != null ? path : route, status, millis);
  }
}
