package dev.delega.server.logging;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;

/** One {@link LineLogger} per name. */
final class LineLoggers implements ILoggerFactory {
  private final ConcurrentMap<String, LineLogger> byName = new ConcurrentHashMap<>();

  @Override
  public Logger getLogger(String name) {
    return byName.computeIfAbsent(name, LineLogger::new);
  }
}
