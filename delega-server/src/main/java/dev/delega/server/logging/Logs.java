package dev.delega.server.logging;

import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The logging settings of the process: format and levels, read from {@code delega.log.format} /
 * {@code delega.log.level} system properties or {@code DELEGA_LOG_FORMAT} / {@code
 * DELEGA_LOG_LEVEL} when the first logger is made, and replaced by {@link #configure} once the
 * server configuration is validated. Lines go to standard error, so {@code delega mcp} keeps
 * standard output for the protocol.
 */
public final class Logs {
  /** Format and levels in force. */
  record Settings(LogFormat format, LogLevels levels) {}

  private static volatile Settings settings = initial(System.getenv());
  private static volatile Consumer<String> sink = new StderrSink();

  private Logs() {}

  /** Switches every logger of the process to {@code format} and {@code levels}. */
  public static void configure(LogFormat format, LogLevels levels) {
    settings = new Settings(format, levels);
  }

  /** The format in force. */
  public static LogFormat format() {
    return settings.format();
  }

  /** The levels in force. */
  public static LogLevels levels() {
    return settings.levels();
  }

  /**
   * Sends {@code java.util.logging} records (some libraries use it) through the same format, at
   * the same levels; the JDK's own console handler is removed.
   */
  public static void routeJavaUtilLogging() {
    LogManager.getLogManager().reset();
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    root.setLevel(java.util.logging.Level.ALL);
    root.addHandler(new JulBridge());
  }

  static Settings settings() {
    return settings;
  }

  static void emit(String line) {
    sink.accept(line);
  }

  /** Replaces where lines go; returns the previous sink (tests capture lines this way). */
  static Consumer<String> sink(Consumer<String> next) {
    Consumer<String> previous = sink;
    sink = next;
    return previous;
  }

  static Settings initial(Map<String, String> env) {
    LogFormat format = LogFormat.TEXT;
    LogLevels levels = LogLevels.DEFAULT;
    String f = first(System.getProperty("delega.log.format"), env.get("DELEGA_LOG_FORMAT"));
    String l = first(System.getProperty("delega.log.level"), env.get("DELEGA_LOG_LEVEL"));
    try {
      if (f != null) {
        format = LogFormat.parse(f);
      }
      if (l != null) {
        levels = LogLevels.parse(l);
      }
    } catch (IllegalArgumentException e) {
      // ServerConfig refuses to start with a message naming the variable; until then, defaults.
    }
    return new Settings(format, levels);
  }

  private static String first(String a, String b) {
    if (a != null && !a.isBlank()) {
      return a;
    }
    return b == null || b.isBlank() ? null : b;
  }

  /** Forwards {@code java.util.logging} records to the SLF4J logger of the same name. */
  private static final class JulBridge extends Handler {
    @Override
    public void publish(LogRecord r) {
      org.slf4j.Logger log = LoggerFactory.getLogger(r.getLoggerName() == null ? "jul" : r.getLoggerName());
      Level level = level(r.getLevel());
      if (!log.isEnabledForLevel(level)) {
        return;
      }
      String message = r.getMessage();
      if (message != null && r.getParameters() != null && r.getParameters().length > 0) {
        try {
          message = java.text.MessageFormat.format(message, r.getParameters());
        } catch (IllegalArgumentException e) {
          // keep the pattern as it is
        }
      }
      log.atLevel(level).setCause(r.getThrown()).log(message);
    }

    private static Level level(java.util.logging.Level l) {
      int v = l.intValue();
      if (v >= java.util.logging.Level.SEVERE.intValue()) {
        return Level.ERROR;
      }
      if (v >= java.util.logging.Level.WARNING.intValue()) {
        return Level.WARN;
      }
      if (v >= java.util.logging.Level.INFO.intValue()) {
        return Level.INFO;
      }
      if (v >= java.util.logging.Level.FINE.intValue()) {
        return Level.DEBUG;
      }
      return Level.TRACE;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
