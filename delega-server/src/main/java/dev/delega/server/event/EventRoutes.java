package dev.delega.server.event;

import dev.delega.server.agent.Caller;
import dev.delega.server.http.Api;
import dev.delega.server.http.Http;
import dev.delega.server.internal.DelegaException;
import dev.delega.server.store.Database;
import io.javalin.http.Context;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /events?after=<id>} (catch-up) and {@code GET /events/stream} (server-sent events with
 * {@code Last-Event-ID} resume and keep-alive comments), both scoped to what the caller may see.
 */
public final class EventRoutes implements AutoCloseable {
  /** How long a stream may stay silent before a keep-alive comment is written. */
  public static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 500;

  private final EventFeed feed;
  private final EventSignal signal = new EventSignal();
  private final Duration keepAlive;
  private final Duration poll;
  private final AtomicInteger open = new AtomicInteger();
  private volatile boolean closed;

  /**
   * Routes over {@code db}'s event log, woken by {@code events}; {@code poll} is how often an idle
   * stream looks at the log anyway (for events other server processes append).
   */
  public EventRoutes(Database db, EventLog events, Duration keepAlive, Duration poll) {
    this.feed = new EventFeed(db);
    this.keepAlive = keepAlive;
    this.poll = poll;
    events.onAppend(id -> signal.fire());
  }

  /** Registers both routes. */
  public void register(Api api) {
    api.get(
        "/events",
        "Events the caller may see with an id above ?after= (default 0), oldest first;"
            + " ?limit= (1-500, default 100), ?type= (repeatable)",
        "events",
        this::list);
    api.get(
        "/events/stream",
        "Live event stream (text/event-stream): resumes after Last-Event-ID (or ?after=),"
            + " else starts with new events; keep-alive comments every 15 s",
        "events",
        this::stream);
  }

  /** Streams currently open. */
  public int openStreams() {
    return open.get();
  }

  /** Ends every open stream. */
  @Override
  public void close() {
    closed = true;
    signal.fire();
  }

  private void list(Context ctx) {
    Caller caller = Http.caller(ctx);
    Long after = position(ctx.queryParam("after"), "after");
    Integer limit = Http.queryInt(ctx, "limit", 1, MAX_LIMIT);
    Set<String> types = types(ctx);
    Http.ok(
        ctx,
        feed.read(caller, after == null ? 0 : after, limit == null ? DEFAULT_LIMIT : limit, types)
            .events());
  }

  private void stream(Context ctx) throws InterruptedException {
    Caller caller = Http.caller(ctx);
    Long start = position(ctx.header("Last-Event-ID"), "Last-Event-ID");
    if (start == null) {
      start = position(ctx.queryParam("after"), "after");
    }
    Set<String> types = types(ctx);
    if (start == null) {
      start = feed.latestId();
    }
    if (closed) {
      throw new DelegaException.Unavailable("the server is shutting down");
    }
    HttpServletResponse res = ctx.res();
    res.setStatus(200);
    res.setContentType("text/event-stream;charset=utf-8");
    res.setHeader("Cache-Control", "no-cache");
    res.setHeader("X-Accel-Buffering", "no");
    EventStream stream =
        new EventStream(
            feed, signal, caller, start, types, keepAlive, poll, () -> closed, System::nanoTime);
    open.incrementAndGet();
    try {
      ServletOutputStream out = res.getOutputStream();
      stream.run(
          chunk -> {
            out.write(chunk.getBytes(StandardCharsets.UTF_8));
            out.flush();
          });
    } catch (IOException clientGone) {
      // the client disconnected: nothing to answer
    } finally {
      open.decrementAndGet();
    }
  }

  private static Long position(String raw, String name) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    String v = raw.strip();
    if (!v.matches("\\d{1,18}")) {
      throw new DelegaException.ValidationFailed(
          name + " must be an event id (a whole number, 0 or more), got '" + raw + "'");
    }
    return Long.parseLong(v);
  }

  private static Set<String> types(Context ctx) {
    Set<String> types = new LinkedHashSet<>();
    for (String t : Http.queryList(ctx, "type")) {
      if (!EventFeed.TYPE.matcher(t).matches()) {
        throw new DelegaException.ValidationFailed(
            "type must be an event name such as task.completed, got '" + t + "'");
      }
      types.add(t);
    }
    return types;
  }
}
