package dev.delega.server.context;

import dev.delega.api.Json;
import dev.delega.api.Problem;
import dev.delega.server.agent.Caller;
import dev.delega.server.http.Http;
import dev.delega.server.internal.DelegaException;
import dev.delega.server.store.Database;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * {@code Idempotency-Key} on every POST under {@code /api} and {@code /v1}: a before-filter takes
 * the key (per agent; per client address without one) for the request's fingerprint, and either
 * lets the route run, replays the stored response with {@code Idempotent-Replayed: true}, refuses
 * another body with 422 {@code idempotency_mismatch}, or waits for a concurrent request with the
 * same key to finish (409 {@code conflict} if it does not finish in time). The owner's first write
 * marks the key committed in the same transaction (a rider on the database, attached to the
 * request's thread), so a key whose work committed but whose answer was lost is answered 409
 * {@code idempotency_answer_lost}, never run again. An after-filter stores the route's response; a
 * 5xx or 429 gives the key up instead when none of the work committed, so that a retry does it. A
 * response carrying a one-time secret (a new agent's {@code api_key}, a webhook's {@code secret})
 * is never stored: its replay is a 409 naming the resource.
 */
final class IdempotencyFilter {
  static final String HEADER = "Idempotency-Key";
  static final String REPLAYED = "Idempotent-Replayed";

  private static final Logger LOG = LoggerFactory.getLogger(IdempotencyFilter.class);
  private static final String OWNED = "delega.idempotency";
  private static final String CALLER = "delega.caller";
  private static final List<String> KEPT_HEADERS = List.of("Location", "ETag");
  private static final long POLL_MILLIS = 20;
  private static final List<String> SECRET_FIELDS = List.of("api_key", "secret");

  private final IdempotencyKeys keys;
  private final Database db;
  private final Duration wait;

  IdempotencyFilter(IdempotencyKeys keys, Database db, Duration wait) {
    this.keys = keys;
    this.db = db;
    this.wait = wait;
  }

  void before(Context ctx) throws InterruptedException {
    if (ctx.method() != HandlerType.POST) {
      return;
    }
    String key = ctx.header(HEADER);
    String path = ctx.path();
    if (key == null || !(path.startsWith("/api/") || path.startsWith("/v1/"))) {
      return;
    }
    key = key.strip();
    if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
      throw new DelegaException.BadRequest(
          HEADER + " must be 1 to 255 printable ASCII characters, such as a UUID");
    }
    String fingerprint = RequestFingerprint.of("POST", path, ctx.queryString(), Http.rawBody(ctx));
    String scope = scope(ctx);
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      switch (keys.claim(scope, key, fingerprint)) {
        case IdempotencyKeys.Owned owned -> {
          ctx.attribute(OWNED, owned);
          // Javalin runs the before-filters, the route and the after-filters on this one thread.
          db.attachRider(keys.committedMark(owned));
          return;
        }
        case IdempotencyKeys.Replay replay -> {
          replay(ctx, replay);
          return;
        }
        case IdempotencyKeys.Mismatch m ->
            throw new DelegaException.ValidationFailed(
                "idempotency_mismatch",
                HEADER + " '" + key + "' was already used with a different request (method, path or body);"
                    + " use a new key for a new request");
        case IdempotencyKeys.AnswerLost lost -> throw answerLost(key, lost);
        case IdempotencyKeys.InProgress p -> {
          if (System.nanoTime() > deadline) {
            throw new DelegaException.Conflict(
                "a request with " + HEADER + " '" + key + "' is still in progress; retry shortly");
          }
          Thread.sleep(POLL_MILLIS);
        }
      }
    }
  }

  private static DelegaException answerLost(String key, IdempotencyKeys.AnswerLost lost) {
    String what = lost.resultId() == null ? "" : " (it returned " + lost.resultType() + " " + lost.resultId() + ")";
    DelegaException e =
        new DelegaException.Conflict(
            "idempotency_answer_lost",
            "the request with " + HEADER + " '" + key + "' completed its work at "
                + Instant.ofEpochMilli(lost.committedAt()) + what + ", but its answer was lost before it could be"
                + " stored (the server stopped or the request failed after its write), so it cannot be replayed and"
                + " will not be run again; read the result instead"
                + (lost.resultId() == null ? " (e.g. GET /api/events)" : "")
                + ", and use a new key for a new request");
    e.with("committed_at", Instant.ofEpochMilli(lost.committedAt()).toString());
    if (lost.resultId() != null) {
      e.with("resource", lost.resultType()).with("id", lost.resultId());
    }
    return e;
  }

  private static String scope(Context ctx) {
    Caller caller = ctx.attribute(CALLER);
    if (caller != null && caller.isAgent()) {
      return "agent:" + caller.agentId();
    }
    return "ip:" + ctx.req().getRemoteAddr();
  }

  private static void replay(Context ctx, IdempotencyKeys.Replay r) {
    ctx.status(r.status());
    r.headers().forEach(
        (name, value) -> {
          if (name.equalsIgnoreCase("Content-Type")) {
            ctx.contentType(value);
          } else {
            ctx.header(name, value);
          }
        });
    ctx.header(REPLAYED, "true");
    ctx.result(r.body() == null ? new byte[0] : r.body().getBytes(StandardCharsets.UTF_8));
    ctx.skipRemainingHandlers();
  }

  void after(Context ctx) {
    IdempotencyKeys.Owned owned = ctx.attribute(OWNED);
    if (owned == null) {
      return;
    }
    ctx.attribute(OWNED, null);
    // Before storing anything: the key's own writes must not carry the mark.
    db.detachRider();
    int status = ctx.statusCode();
    try {
      if (status >= 500 || status == 429) {
        keys.release(owned);
        return;
      }
      byte[] body = resultBytes(ctx);
      Map<String, String> headers = new LinkedHashMap<>();
      String type = ctx.res().getContentType();
      if (type != null) {
        headers.put("Content-Type", type);
      }
      for (String name : KEPT_HEADERS) {
        String v = ctx.res().getHeader(name);
        if (v != null) {
          headers.put(name, v);
        }
      }
      if (carriesSecret(body)) {
        keys.complete(owned, 409, Map.of("Content-Type", "application/json"), secretWithheld(body, status));
        return;
      }
      keys.complete(owned, status, headers, new String(body, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      // The response still goes out. The key stays in progress until its lock runs out; then it is
      // free again if none of the work committed, and answered idempotency_answer_lost if it did.
      LOG.warn("could not store the response of {} {} for its {}", ctx.method(), ctx.path(), HEADER, e);
    }
  }

  /** True when the body is a JSON object with a one-time secret ({@code api_key}, {@code secret}). */
  static boolean carriesSecret(byte[] body) {
    if (body.length == 0 || body[0] != '{') {
      return false;
    }
    try {
      JsonNode node = Json.mapper().readTree(body);
      return SECRET_FIELDS.stream().anyMatch(f -> node.hasNonNull(f));
    } catch (JacksonException notJson) {
      return false;
    }
  }

  /**
   * What a replay answers instead of a response that carried a one-time secret: secrets are never
   * stored, and doing the work again would make a second resource.
   */
  private static String secretWithheld(byte[] body, int status) {
    JsonNode node = Json.mapper().readTree(body);
    Problem p =
        new Problem(
            "the request with this " + HEADER + " already succeeded (status " + status + "), but its answer carried"
                + " a one-time secret, which is never stored, so it cannot be replayed; read the resource, or rotate"
                + " its secret",
            "conflict",
            409);
    if (node.hasNonNull("id")) {
      p.putExtra("id", Json.mapper().treeToValue(node.get("id"), Object.class));
    }
    return Json.mapper().writeValueAsString(p);
  }

  private static byte[] resultBytes(Context ctx) {
    InputStream in = ctx.resultInputStream();
    if (in == null) {
      return new byte[0];
    }
    try (in) {
      byte[] bytes = in.readAllBytes();
      ctx.result(bytes);
      return bytes;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the response body", e);
    }
  }
}
