package dev.delega.server.event;

import dev.delega.api.Event;
import dev.delega.server.agent.Caller;
import dev.delega.server.store.Database;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the event log for one caller, oldest first, keeping only what {@link EventVisibility} lets
 * it see; shared by {@code GET /events} and the event stream.
 */
public final class EventFeed {
  /** Event type names: lower-case words joined by dots and underscores. */
  static final Pattern TYPE = Pattern.compile("[a-z][a-z_]*(\\.[a-z][a-z_]*)+");

  private final Database db;

  public EventFeed(Database db) {
    this.db = db;
  }

  /**
   * One read: the visible events above {@code after} (at most {@code limit}), and {@code
   * scannedTo}, the id to read on from next time (every event up to it was looked at).
   */
  public record Page(List<Event> events, long scannedTo) {}

  /** The id of the newest event, or 0. */
  public long latestId() {
    return db.read(
        h -> h.createQuery("SELECT COALESCE(MAX(id), 0) FROM events").mapTo(Long.class).one());
  }

  /**
   * Up to {@code limit} events above {@code after} that the caller may see, oldest first,
   * optionally only of the given types (empty = all); reads on past invisible events until it has
   * {@code limit} or reaches the end of the log.
   */
  public Page read(Caller caller, long after, int limit, Set<String> types) {
    for (String type : types) {
      if (!TYPE.matcher(type).matches()) {
        throw new IllegalArgumentException("not an event type: " + type);
      }
    }
    String where =
        "e.id > :after AND "
            + EventVisibility.prefilterSql(caller)
            + (types.isEmpty() ? "" : " AND e.type IN ('" + String.join("', '", types) + "')");
    return db.read(
        h -> {
          List<Event> out = new ArrayList<>();
          long cursor = after;
          while (true) {
            Map<String, Object> binds = new LinkedHashMap<>();
            binds.put("after", cursor);
            if (caller.isAgent()) {
              binds.put("me", caller.agentId());
            }
            List<Event> raw = EventLog.read(h, where, binds, limit);
            if (raw.isEmpty()) {
              return new Page(out, cursor);
            }
            for (Event e : EventVisibility.filter(h, caller, raw)) {
              out.add(e);
              if (out.size() == limit) {
                return new Page(out, e.id());
              }
            }
            cursor = raw.getLast().id();
            if (raw.size() < limit) {
              return new Page(out, cursor);
            }
          }
        });
  }
}
