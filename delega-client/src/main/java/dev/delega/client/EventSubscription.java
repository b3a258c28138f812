package dev.delega.client;

import dev.delega.api.Event;
import dev.delega.api.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;

/**
 * A live subscription to {@code GET /events/stream} (server-sent events), read on its own virtual
 * thread; {@link #close()} stops it. Obtain one from {@link Events#subscribe}.
 */
public final class EventSubscription implements AutoCloseable {
  private final HttpTransport transport;
  private final Consumer<Event> onEvent;
  private final Consumer<? super DelegaException> onError;
  private final Consumer<EventSubscription> onClose;
  private final CountDownLatch connected = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile long lastEventId;
  private volatile boolean closed;
  private volatile InputStream body;
  private volatile Thread thread;

  EventSubscription(
      HttpTransport transport,
      long afterId,
      Consumer<Event> onEvent,
      Consumer<? super DelegaException> onError,
      Consumer<EventSubscription> onClose) {
    this.transport = transport;
    this.lastEventId = afterId;
    this.onEvent = onEvent;
    this.onError = onError;
    this.onClose = onClose;
  }

  void start() {
    thread = Thread.ofVirtual().name("delega-events").start(this::run);
  }

  /**
   * The id of the last event delivered (or the starting id), used as {@code Last-Event-ID} on
   * reconnect.
   */
  public long lastEventId() {
    return lastEventId;
  }

  /** Whether the subscription has not been closed or ended. */
  public boolean isOpen() {
    return !closed;
  }

  /**
   * Waits until the stream's first connection answered 200, so that events that happen afterwards
   * are surely seen even when subscribing with {@code afterId} 0.
   *
   * @return whether it connected within the wait
   */
  public boolean awaitConnected(Duration wait) throws InterruptedException {
    return connected.await(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Waits until the reading thread has ended, after {@link #close()} or after a 401, 403 or 404
   * ended the subscription.
   *
   * @return whether it ended within the wait
   */
  public boolean awaitTermination(Duration wait) throws InterruptedException {
    return finished.await(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops reading and closes the connection; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
    closeBody();
    onClose.accept(this);
  }

  private void run() {
    try {
      loop();
    } finally {
      closed = true;
      onClose.accept(this);
      finished.countDown();
    }
  }

  private void loop() {
    int failures = 0;
    Duration retry = null;
    while (!closed) {
      try {
        HttpResponse<InputStream> response =
            transport.http().send(request(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
          RawResponse raw;
          try (InputStream in = response.body()) {
            raw =
                new RawResponse(response.statusCode(), response.headers().map(), in.readAllBytes());
          }
          DelegaApiException error = DelegaApiException.from(raw, transport.config().clock());
          report(error);
          int s = response.statusCode();
          if (s == 401 || s == 403 || s == 404) {
            break;
          }
        } else {
          body = response.body();
          if (closed) {
            closeBody();
            break;
          }
          connected.countDown();
          failures = 0;
          retry = read(body);
        }
      } catch (IOException e) {
        if (!closed) {
          report(new DelegaTransportException("event stream failed: " + e, e));
        }
      } catch (InterruptedException e) {
        break;
      } catch (RuntimeException e) {
        if (!closed) {
          report(new DelegaTransportException("event stream failed: " + e, e));
        }
      } finally {
        closeBody();
      }
      if (closed) {
        break;
      }
      try {
        transport
            .config()
            .sleeper()
            .sleep(retry != null && failures == 0 ? retry : transport.backoff(failures));
      } catch (InterruptedException e) {
        break;
      }
      failures = Math.min(failures + 1, 30);
    }
  }

  private HttpRequest request() {
    Map<String, String> headers =
        transport.headers(
            "GET",
            false,
            lastEventId > 0
                ? Map.of("Accept", "text/event-stream", "Last-Event-ID", Long.toString(lastEventId))
                : Map.of("Accept", "text/event-stream"));
    HttpRequest.Builder builder = HttpRequest.newBuilder(transport.resolve("/events/stream")).GET();
    headers.forEach(builder::header);
    return builder.build();
  }

  /** Reads events until the stream ends; answers the server's {@code retry:} hint, if any. */
  private Duration read(InputStream in) throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    StringBuilder data = new StringBuilder();
    String id = null;
    Duration retry = null;
    String line;
    while (!closed && (line = reader.readLine()) != null) {
      if (line.isEmpty()) {
        dispatch(id, data);
        data.setLength(0);
        id = null;
        continue;
      }
      if (line.startsWith(":")) {
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      switch (field) {
        case "data" -> {
          if (!data.isEmpty()) {
            data.append('\n');
          }
          data.append(value);
        }
        case "id" -> id = value;
        case "retry" -> {
          try {
            retry = Duration.ofMillis(Long.parseLong(value.strip()));
          } catch (NumberFormatException ignored) {
            // not a number: the field is ignored, as the SSE specification says
          }
        }
        default -> {
          // "event" and unknown fields: the event type is inside the data
        }
      }
    }
    return retry;
  }

  private void dispatch(String id, StringBuilder data) {
    if (data.isEmpty()) {
      // An id without data moves the resume point (the SSE rule for the last event ID buffer):
      // the server sends one for events this caller may not see, so a reconnect skips them.
      advance(id);
      return;
    }
    Event event;
    try {
      event = Json.mapper().readValue(data.toString(), Event.class);
    } catch (JacksonException e) {
      report(new DelegaTransportException("event stream sent malformed JSON: " + data, e));
      return;
    }
    long eventId = event.id();
    if (id != null) {
      try {
        eventId = Long.parseLong(id.strip());
      } catch (NumberFormatException ignored) {
        // keep the id from the payload
      }
    }
    if (eventId > lastEventId) {
      lastEventId = eventId;
    }
    try {
      onEvent.accept(event);
    } catch (RuntimeException e) {
      report(new DelegaException("event handler failed: " + e, e));
    }
  }

  private void advance(String id) {
    if (id == null) {
      return;
    }
    try {
      long eventId = Long.parseLong(id.strip());
      if (eventId > lastEventId) {
        lastEventId = eventId;
      }
    } catch (NumberFormatException ignored) {
      // not one of ours: nothing to resume from
    }
  }

  private void report(DelegaException e) {
    try {
      onError.accept(e);
    } catch (RuntimeException ignored) {
      // the error handler itself failed; nothing sensible is left to do
    }
  }

  private void closeBody() {
    InputStream in = body;
    body = null;
    if (in != null) {
      try {
        in.close();
      } catch (IOException ignored) {
        // closing a finished stream
      }
    }
  }
}
