package dev.delega.server.logging;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.spi.MDCAdapter;

/**
 * The diagnostic context of the current thread. Unlike SLF4J's basic adapter it is not inherited:
 * a thread started while serving a request must not carry that request's id forever.
 */
final class ThreadMdc implements MDCAdapter {
  private static final ThreadLocal<Map<String, String>> VALUES = new ThreadLocal<>();
  private static final ThreadLocal<Map<String, Deque<String>>> STACKS = new ThreadLocal<>();

  /** The current thread's values, in insertion order; empty when there are none. */
  static Map<String, String> current() {
    Map<String, String> m = VALUES.get();
    return m == null ? Map.of() : m;
  }

  @Override
  public void put(String key, String val) {
    if (key == null) {
      throw new IllegalArgumentException("key cannot be null");
    }
    Map<String, String> m = VALUES.get();
    if (m == null) {
      m = new LinkedHashMap<>();
      VALUES.set(m);
    }
    m.put(key, val);
  }

  @Override
  public String get(String key) {
    Map<String, String> m = VALUES.get();
    return m == null ? null : m.get(key);
  }

  @Override
  public void remove(String key) {
    Map<String, String> m = VALUES.get();
    if (m != null) {
      m.remove(key);
    }
  }

  @Override
  public void clear() {
    VALUES.remove();
    STACKS.remove();
  }

  @Override
  public Map<String, String> getCopyOfContextMap() {
    Map<String, String> m = VALUES.get();
    return m == null ? null : new LinkedHashMap<>(m);
  }

  @Override
  public void setContextMap(Map<String, String> contextMap) {
    VALUES.set(contextMap == null ? null : new LinkedHashMap<>(contextMap));
  }

  @Override
  public void pushByKey(String key, String value) {
    Map<String, Deque<String>> s = STACKS.get();
    if (s == null) {
      s = new HashMap<>();
      STACKS.set(s);
    }
    s.computeIfAbsent(key, k -> new ArrayDeque<>()).push(value);
  }

  @Override
  public String popByKey(String key) {
    Map<String, Deque<String>> s = STACKS.get();
    Deque<String> d = s == null ? null : s.get(key);
    return d == null ? null : d.pollFirst();
  }

  @Override
  public Deque<String> getCopyOfDequeByKey(String key) {
    Map<String, Deque<String>> s = STACKS.get();
    Deque<String> d = s == null ? null : s.get(key);
    return d == null ? null : new ArrayDeque<>(d);
  }

  @Override
  public void clearDequeByKey(String key) {
    Map<String, Deque<String>> s = STACKS.get();
    if (s != null && s.containsKey(key)) {
      s.get(key).clear();
    }
  }
}
