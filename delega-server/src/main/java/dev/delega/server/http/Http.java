package dev.delega.server.http;

import dev.delega.api.Json;
import dev.delega.server.agent.Caller;
import dev.delega.server.internal.DelegaException;
import dev.delega.server.internal.Fields;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/** Small, strict readers and writers for request and response parts, shared by every route. */
public final class Http {
  static final String CALLER = "delega.caller";
  private static final java.util.regex.Pattern REQUEST_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /** True when a client-chosen request id is safe to echo and log. */
  static boolean isRequestId(String s) {
    return REQUEST_ID.matcher(s).matches();
  }
  static final String MAX_BODY = "delega.maxBody";

  private Http() {}

  /** The identity the gate resolved for this request. */
  public static Caller caller(Context ctx) {
    Caller c = ctx.attribute(CALLER);
    if (c == null) {
      throw new IllegalStateException("no caller resolved for " + ctx.path());
    }
    return c;
  }

  /** The request body as a JSON object (empty body = empty object), within the size limit. */
  public static Fields body(Context ctx) {
    return Fields.parse(rawBody(ctx));
  }

  /** The raw body bytes, refusing more than the configured limit even when sent chunked. */
  public static byte[] rawBody(Context ctx) {
    Object cached = ctx.attribute("delega.body");
    if (cached instanceof byte[] b) {
      return b;
    }
    Long max = ctx.attribute(MAX_BODY);
    long limit = max == null ? 1024 * 1024 : max;
    byte[] bytes;
    try (InputStream in = ctx.req().getInputStream()) {
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
    } catch (IOException e) {
      throw new DelegaException.BadRequest("could not read the request body: " + e.getMessage());
    }
    if (bytes.length > limit) {
      throw tooLarge(ctx, "Request body too large (max " + limit + " bytes)");
    }
    ctx.attribute("delega.body", bytes);
    return bytes;
  }

  /** Bodies up to this size are read and thrown away before a 413, so the client sees the answer. */
  private static final long DRAIN_LIMIT = 16L * 1024 * 1024;

  /**
   * A 413 for an oversized body. A client still sending its body when the server answers and closes
   * gets a connection reset instead of the 413, so bodies up to 16 MiB are drained first; larger ones
   * are cut off (the connection closes after the answer).
   */
  public static DelegaException tooLarge(Context ctx, String message) {
    drainOversized(ctx.req());
    return new DelegaException.PayloadTooLarge(message);
  }

  /**
   * Reads and throws away what is left of an oversized request body, up to 16 MiB, so that the
   * client sees the 413 that follows (see {@link #tooLarge}); servlets outside Javalin call it too.
   */
  public static void drainOversized(HttpServletRequest req) {
    if (req.getContentLength() > DRAIN_LIMIT) {
      return;
    }
    try {
      InputStream in = req.getInputStream();
      long left = DRAIN_LIMIT;
      byte[] buf = new byte[64 * 1024];
      int n;
      while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
        left -= n;
      }
    } catch (IOException | IllegalStateException e) {
      // the client went away; nothing to drain
    }
  }

  /** A positive integer path parameter. */
  public static long id(Context ctx, String name) {
    return parseId(name.equals("id") ? "id" : name.replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT), ctx.pathParam(name));
  }

  static long parseId(String name, String raw) {
    if (raw != null && isDigits(raw)) {
      long v = Long.parseLong(raw);
      if (v > 0) {
        return v;
      }
    }
    throw new DelegaException.ValidationFailed(
        name + " in the path must be a positive integer (got '" + raw + "')");
  }

  /** One to 18 ASCII digits: a value {@link Long#parseLong} takes without overflow. */
  private static boolean isDigits(String raw) {
    int n = raw.length();
    if (n == 0 || n > 18) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = raw.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** An optional positive integer query parameter. */
  public static Long queryId(Context ctx, String name) {
    String raw = ctx.queryParam(name);
    if (raw == null || raw.isBlank()) {
      return null;
    }
    return parseId(name, raw.trim());
  }

  /** An optional whole-number query parameter within bounds. */
  public static Integer queryInt(Context ctx, String name, int min, int max) {
    String raw = ctx.queryParam(name);
    if (raw == null || raw.isBlank()) {
      return null;
    }
    try {
      int v = Integer.parseInt(raw.trim());
      if (v < min || v > max) {
        throw new DelegaException.ValidationFailed(
            name + " must be between " + min + " and " + max + " (got " + v + ")");
      }
      return v;
    } catch (NumberFormatException e) {
      throw new DelegaException.ValidationFailed(name + " must be a whole number (got '" + raw + "')");
    }
  }

  /** An optional boolean query parameter: true/false/1/0/yes/no in any case. */
  public static Boolean queryBool(Context ctx, String name) {
    String raw = ctx.queryParam(name);
    if (raw == null || raw.isBlank()) {
      return null;
    }
    return switch (raw.trim().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw new DelegaException.ValidationFailed(name + " must be true or false (got '" + raw + "')");
    };
  }

  /** An optional date query parameter. */
  public static LocalDate queryDate(Context ctx, String name) {
    String raw = ctx.queryParam(name);
    if (raw == null || raw.isBlank()) {
      return null;
    }
    try {
      return LocalDate.parse(raw.trim().length() > 10 ? raw.trim().substring(0, 10) : raw.trim());
    } catch (DateTimeException e) {
      throw new DelegaException.ValidationFailed(name + " must be a date like 2026-03-31 (got '" + raw + "')");
    }
  }

  /** The values of a repeatable query parameter (also accepts comma-separated values). */
  public static List<String> queryList(Context ctx, String name) {
    return ctx.queryParams(name).stream()
        .flatMap(v -> java.util.Arrays.stream(v.split(",")))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .distinct()
        .toList();
  }

  /** Writes {@code value} as JSON with the given status. */
  public static void json(Context ctx, int status, Object value) {
    ctx.status(status);
    ctx.contentType("application/json");
    ctx.result(Json.mapper().writeValueAsBytes(value));
  }

  /** Writes a JSON document already serialised. */
  public static void jsonBytes(Context ctx, int status, byte[] json) {
    ctx.status(status);
    ctx.contentType("application/json");
    ctx.result(json);
  }

  /** Writes {@code value} as JSON with status 200. */
  public static void ok(Context ctx, Object value) {
    json(ctx, 200, value);
  }
}
