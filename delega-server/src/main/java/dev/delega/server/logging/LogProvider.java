package dev.delega.server.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J 2 binding of Delega: every logger of the process (ours, Jetty, Hikari, Flyway) writes
 * one line per event in the format and at the levels of {@link Logs}. Found by {@link
 * java.util.ServiceLoader}; see {@code docs/decisions/0011-logging.md} for why it is ours.
 */
public final class LogProvider implements SLF4JServiceProvider {
  private final LineLoggers loggers = new LineLoggers();
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new ThreadMdc();

  /** Called by {@link java.util.ServiceLoader}. */
  public LogProvider() {}

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggers;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {}
}
