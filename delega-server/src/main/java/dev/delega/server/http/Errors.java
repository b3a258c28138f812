package dev.delega.server.http;

import dev.delega.api.Json;
import dev.delega.api.Problem;
import dev.delega.server.internal.DelegaException;
import dev.delega.server.store.StoreFailure;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where failures become HTTP statuses and the error body {@code {error, code, status, detail}}. */
final class Errors {
  private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

  private Errors() {}

  static int status(DelegaException e) {
    return switch (e) {
      case DelegaException.BadRequest b -> 400;
      case DelegaException.InvalidJson j -> 400;
      case DelegaException.ValidationFailed v -> 422;
      case DelegaException.Unauthorized u -> 401;
      case DelegaException.Forbidden f -> 403;
      case DelegaException.NotFound n -> 404;
      case DelegaException.Conflict c -> 409;
      case DelegaException.PreconditionFailed p -> 412;
      case DelegaException.PayloadTooLarge p -> 413;
      case DelegaException.RateLimited r -> 429;
      case DelegaException.Unavailable u -> 503;
    };
  }

  static void write(Context ctx, int status, String code, String message, java.util.Map<String, Object> extra) {
    Problem p = new Problem(message, code, status);
    if (extra != null) {
      extra.forEach(p::putExtra);
    }
    ctx.status(status);
    ctx.contentType("application/json");
    ctx.result(Json.mapper().writeValueAsBytes(p));
  }

  static void delega(DelegaException e, Context ctx) {
    if (e instanceof DelegaException.RateLimited r) {
      ctx.header("Retry-After", String.valueOf(r.retryAfterSeconds()));
    }
    if (e instanceof DelegaException.Unavailable) {
      ctx.header("Retry-After", "1");
    }
    if (e instanceof DelegaException.Unauthorized) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"delega\"");
    }
    write(ctx, status(e), e.code(), e.getMessage(), e.extra());
  }

  static void framework(HttpResponseException e, Context ctx) {
    int status = e.getStatus();
    String code =
        switch (status) {
          case 404 -> "not_found";
          case 405 -> "method_not_allowed";
          case 413 -> "payload_too_large";
          case 400 -> "bad_request";
          default -> status >= 500 ? "internal" : "bad_request";
        };
    String message =
        switch (status) {
          case 404 -> "Not Found: no route " + ctx.method() + " " + ctx.path();
          case 405 -> "Method Not Allowed: " + ctx.method() + " " + ctx.path();
          default -> e.getMessage();
        };
    write(ctx, status, code, message, null);
  }

  static void unexpected(Exception e, Context ctx) {
    SQLException sql = sqlCause(e);
    if (sql != null && isUniqueViolation(sql)) {
      write(ctx, 409, "conflict", "a concurrent request created the same resource; retry", null);
      return;
    }
    if (sql != null && isForeignKeyViolation(sql)) {
      write(ctx, 409, "conflict", "a referenced resource no longer exists; reload and retry", null);
      return;
    }
    if (e instanceof StoreFailure && sql == null || sql != null && retryable(sql)) {
      LOG.error("store failure on {} {} (request {})", ctx.method(), ctx.path(), ctx.attribute("delega.requestId"), e);
      ctx.header("Retry-After", "1");
      write(ctx, 503, "unavailable", "the database is not available right now; retry shortly", null);
      return;
    }
    LOG.error("unexpected failure on {} {} (request {})", ctx.method(), ctx.path(), ctx.attribute("delega.requestId"), e);
    write(ctx, 500, "internal", "Internal Server Error (request " + ctx.attribute("delega.requestId") + ")", null);
  }

  private static SQLException sqlCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        return s;
      }
    }
    return null;
  }

  /**
   * Whether an SQL failure is the store's condition, worth a retry (503): busy or locked, out of
   * space or memory, unreachable, shutting down, a serialization failure or deadlock. Anything else
   * (a syntax error, a constraint the code should have checked) is a bug, and retrying cannot help:
   * 500.
   */
  static boolean retryable(SQLException e) {
    if (e instanceof org.sqlite.SQLiteException s) {
      int primary = s.getResultCode().code & 0xff;
      return switch (primary) {
        case 5, 6, 7, 9, 10, 13, 14, 15 -> true; // BUSY, LOCKED, NOMEM, INTERRUPT, IOERR, FULL, CANTOPEN, PROTOCOL
        default -> false;
      };
    }
    String state = e.getSQLState();
    if (state == null || state.length() < 2) {
      return true; // a driver failure without a state: most likely the connection
    }
    return switch (state.substring(0, 2)) {
      case "08", "40", "53", "55", "57", "58" -> true; // connection, rollback, resources, lock, shutdown, system
      default -> false;
    };
  }

  private static boolean isUniqueViolation(SQLException e) {
    return "23505".equals(e.getSQLState())
        || (e.getMessage() != null && e.getMessage().contains("UNIQUE constraint failed"));
  }

  private static boolean isForeignKeyViolation(SQLException e) {
    return "23503".equals(e.getSQLState())
        || (e.getMessage() != null && e.getMessage().contains("FOREIGN KEY constraint failed"));
  }
}
