package dev.delega.server.logging;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.event.Level;

/**
 * Which events are written: a level for every logger, and optionally other levels for named
 * loggers and their children, spelled like {@code DELEGA_LOG_LEVEL}: {@code info}, or {@code
 * debug,org.eclipse.jetty=info,com.zaxxer.hikari=warn}.
 */
public record LogLevels(Threshold root, Map<String, Threshold> byLogger) {

  /** The lowest level written; {@code OFF} writes nothing. */
  public enum Threshold {
    TRACE(Level.TRACE), DEBUG(Level.DEBUG), INFO(Level.INFO), WARN(Level.WARN), ERROR(Level.ERROR), OFF(null);

    /** The lowest admitted level as slf4j numbers it; above every level for {@code OFF}. */
    private final int lowest;

    Threshold(Level lowest) {
      this.lowest = lowest == null ? Integer.MAX_VALUE : lowest.toInt();
    }

    // Asked several times per request by Jetty's isDebugEnabled(): a field compare, not an enum lookup by name.
    boolean admits(Level level) {
      return level.toInt() >= lowest;
    }
  }

  /** Info for every logger. */
  public static final LogLevels DEFAULT = new LogLevels(Threshold.INFO, Map.of());

  public LogLevels {
    byLogger = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byLogger));
  }

  /** Reads the {@code DELEGA_LOG_LEVEL} spelling; throws {@link IllegalArgumentException} naming the bad part. */
  public static LogLevels parse(String spec) {
    Threshold root = null;
    Map<String, Threshold> named = new LinkedHashMap<>();
    for (String raw : spec.split(",")) {
      String part = raw.trim();
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq < 0) {
        if (root != null) {
          throw new IllegalArgumentException("names two levels for every logger ('" + spec + "')");
        }
        root = threshold(part);
      } else {
        String logger = part.substring(0, eq).trim();
        if (logger.isEmpty()) {
          throw new IllegalArgumentException("'" + part + "' names no logger (use logger.name=level)");
        }
        named.put(logger, threshold(part.substring(eq + 1).trim()));
      }
    }
    return new LogLevels(root == null ? Threshold.INFO : root, named);
  }

  private static Threshold threshold(String s) {
    try {
      return Threshold.valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "level must be one of trace, debug, info, warn, error, off, not '" + s + "'");
    }
  }

  /** The threshold of {@code logger}: the entry of its longest named prefix, else the root. */
  public Threshold of(String logger) {
    Threshold best = root;
    int bestLength = -1;
    for (Map.Entry<String, Threshold> e : byLogger.entrySet()) {
      String k = e.getKey();
      boolean covers = logger.equals(k) || (logger.startsWith(k) && logger.charAt(k.length()) == '.');
      if (covers && k.length() > bestLength) {
        best = e.getValue();
        bestLength = k.length();
      }
    }
    return best;
  }

  /** The {@code DELEGA_LOG_LEVEL} spelling of these levels. */
  public String spelling() {
    StringBuilder b = new StringBuilder(root.name().toLowerCase(Locale.ROOT));
    byLogger.forEach((k, v) -> b.append(',').append(k).append('=').append(v.name().toLowerCase(Locale.ROOT)));
    return b.toString();
  }
}
