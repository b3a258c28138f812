package dev.delega.server.event;

import dev.delega.api.Event;
import dev.delega.api.Json;
import dev.delega.server.agent.Caller;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * One server-sent-events connection: writes every event the caller may see above a starting id as
 * {@code id:/event:/data:} frames, waits for new ones, and writes a keep-alive comment when nothing
 * was written for a while. The opening block and every keep-alive also carry an {@code id:} line
 * without data: the position the stream has read up to (events the caller may not see included),
 * which an SSE client keeps as its last event id without dispatching anything, so a reconnect
 * resumes there. Ends when the connection fails or the server stops.
 */
final class EventStream {
  /** Where frames go: each call writes and flushes one chunk; throws when the client is gone. */
  @FunctionalInterface
  interface Sink {
    void send(String chunk) throws IOException;
  }

  static final int BATCH = 500;
  static final long RETRY_MILLIS = 2_000;

  private final EventFeed feed;
  private final EventSignal signal;
  private final Caller caller;
  private final Set<String> types;
  private final Duration keepAlive;
  private final Duration poll;
  private final BooleanSupplier stopped;
  private final LongSupplier nanoTime;
  private long cursor;

  EventStream(
      EventFeed feed,
      EventSignal signal,
      Caller caller,
      long after,
      Set<String> types,
      Duration keepAlive,
      Duration poll,
      BooleanSupplier stopped,
      LongSupplier nanoTime) {
    this.feed = feed;
    this.signal = signal;
    this.caller = caller;
    this.cursor = after;
    this.types = types;
    this.keepAlive = keepAlive;
    this.poll = poll;
    this.stopped = stopped;
    this.nanoTime = nanoTime;
  }

  /** Runs the stream until the sink fails or the server stops. */
  void run(Sink sink) throws IOException, InterruptedException {
    sink.send("retry: " + RETRY_MILLIS + "\nid: " + cursor + "\n: connected\n\n");
    long lastWrite = nanoTime.getAsLong();
    while (!stopped.getAsBoolean()) {
      CompletableFuture<Void> wakeUp = signal.next();
      EventFeed.Page page = feed.read(caller, cursor, BATCH, types);
      cursor = page.scannedTo();
      if (!page.events().isEmpty()) {
        StringBuilder frames = new StringBuilder();
        for (Event e : page.events()) {
          frames
              .append("id: ")
              .append(e.id())
              .append("\nevent: ")
              .append(e.type())
              .append("\ndata: ")
              .append(Json.mapper().writeValueAsString(e))
              .append("\n\n");
        }
        sink.send(frames.toString());
        lastWrite = nanoTime.getAsLong();
        continue;
      }
      long idle = Duration.ofNanos(nanoTime.getAsLong() - lastWrite).toMillis();
      long untilKeepAlive = keepAlive.toMillis() - idle;
      if (untilKeepAlive <= 0) {
        sink.send(": keepalive\nid: " + cursor + "\n\n");
        lastWrite = nanoTime.getAsLong();
        continue;
      }
      EventSignal.await(wakeUp, Math.min(untilKeepAlive, poll.toMillis()));
    }
  }
}
