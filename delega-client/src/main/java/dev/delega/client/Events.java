package dev.delega.client;

import dev.delega.api.Event;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import tools.jackson.core.type.TypeReference;

/**
 * The event log: {@code GET /events?after=} pages and the {@code GET /events/stream} live stream.
 * Obtain it from {@link DelegaClient#events()}.
 */
public final class Events {
  private static final TypeReference<List<Event>> EVENTS = new TypeReference<>() {};
  private static final System.Logger LOG = System.getLogger(Events.class.getName());

  private final HttpTransport transport;
  private final Set<EventSubscription> open = ConcurrentHashMap.newKeySet();

  Events(HttpTransport transport) {
    this.transport = transport;
  }

  /** {@code GET /events?after=<id>}: events with a larger id, oldest first. */
  public List<Event> list(long afterId) {
    return transport.call("GET", "/events?after=" + afterId, null, EVENTS);
  }

  /** {@code GET /events?after=<id>&limit=<n>}. */
  public List<Event> list(long afterId, int limit) {
    return transport.call("GET", "/events?after=" + afterId + "&limit=" + limit, null, EVENTS);
  }

  /**
   * Streams events with an id above {@code afterId} (0: only new ones) to {@code onEvent}, on a
   * background thread, until the subscription is closed. Reconnects after a dropped connection,
   * resuming with {@code Last-Event-ID}; errors are logged.
   */
  public EventSubscription subscribe(long afterId, Consumer<Event> onEvent) {
    return subscribe(
        afterId,
        onEvent,
        e -> LOG.log(System.Logger.Level.DEBUG, "event stream: " + e.getMessage(), e));
  }

  /**
   * Like {@link #subscribe(long, Consumer)}, reporting connection failures, error statuses and
   * exceptions thrown by {@code onEvent} to {@code onError}. A 401, 403 or 404 ends the
   * subscription; other failures are retried with backoff.
   */
  public EventSubscription subscribe(
      long afterId, Consumer<Event> onEvent, Consumer<? super DelegaException> onError) {
    EventSubscription subscription =
        new EventSubscription(transport, afterId, onEvent, onError, open::remove);
    open.add(subscription);
    subscription.start();
    return subscription;
  }

  void closeAll() {
    for (EventSubscription subscription : List.copyOf(open)) {
      subscription.close();
    }
  }
}
