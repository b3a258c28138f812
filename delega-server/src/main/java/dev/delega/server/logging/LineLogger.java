package dev.delega.server.logging;

import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.LoggingEventAware;

/** A named logger that renders each admitted event with the current {@link LogFormat} to the sink of {@link Logs}. */
final class LineLogger extends LegacyAbstractLogger implements LoggingEventAware {
  private static final long serialVersionUID = 1L;

  private transient volatile Logs.Settings seen;
  private transient volatile LogLevels.Threshold threshold = LogLevels.Threshold.INFO;

  LineLogger(String name) {
    this.name = name;
  }

  private boolean admits(Level level) {
    Logs.Settings now = Logs.settings();
    if (now != seen) {
      threshold = now.levels().of(name);
      seen = now;
    }
    return threshold.admits(level);
  }

  @Override
  public boolean isTraceEnabled() {
    return admits(Level.TRACE);
  }

  @Override
  public boolean isDebugEnabled() {
    return admits(Level.DEBUG);
  }

  @Override
  public boolean isInfoEnabled() {
    return admits(Level.INFO);
  }

  @Override
  public boolean isWarnEnabled() {
    return admits(Level.WARN);
  }

  @Override
  public boolean isErrorEnabled() {
    return admits(Level.ERROR);
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level, Marker marker, String pattern, Object[] args, Throwable error) {
    write(level, MessageFormatter.basicArrayFormat(pattern, args), List.of(), error);
  }

  @Override
  public void log(LoggingEvent event) {
    if (!admits(event.getLevel())) {
      return;
    }
    Object[] args = event.getArgumentArray();
    Throwable error = event.getThrowable();
    if (error == null) {
      error = MessageFormatter.getThrowableCandidate(args);
      if (error != null) {
        args = MessageFormatter.trimmedCopy(args);
      }
    }
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    write(event.getLevel(), MessageFormatter.basicArrayFormat(event.getMessage(), args),
        pairs == null ? List.of() : pairs, error);
  }

  private void write(Level level, String message, List<KeyValuePair> pairs, Throwable error) {
    try {
      Map<String, String> mdc = ThreadMdc.current();
      List<Map.Entry<String, Object>> fields = new ArrayList<>(mdc.size() + pairs.size());
      mdc.forEach((k, v) -> fields.add(new AbstractMap.SimpleImmutableEntry<>(k, v)));
      for (KeyValuePair p : pairs) {
        fields.add(new AbstractMap.SimpleImmutableEntry<>(p.key, p.value));
      }
      Logs.Settings s = Logs.settings();
      Logs.emit(s.format().render(
          new LogFormat.Event(Instant.now(), level.name(), name, threadName(), message, fields, error)));
    } catch (RuntimeException failure) {
      System.err.println("delega: could not write a log line from " + name + ": " + failure);
    }
  }

  private static String threadName() {
    Thread t = Thread.currentThread();
    String n = t.getName();
    if (!n.isEmpty()) {
      return n;
    }
    return (t.isVirtual() ? "virtual-" : "thread-") + t.threadId();
  }
}
