package dev.delega.server.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How one event is written: {@code TEXT} for people (one line, a stack trace below it), {@code
 * JSON} for machines (one object per line). Every value passes {@link Redaction} first.
 */
public enum LogFormat {
  TEXT {
    @Override
    String render(Event e) {
      StringBuilder b = new StringBuilder(160);
      appendTime(b, e.at());
      b.append(' ');
      String level = e.level();
      b.append(level).append(" ".repeat(Math.max(0, 5 - level.length()))).append(' ');
      b.append('[').append(e.thread()).append("] ").append(e.logger()).append(" - ");
      b.append(Redaction.scrub(e.message()));
      for (Map.Entry<String, Object> f : e.fields()) {
        Object v = f.getValue();
        b.append(' ').append(f.getKey()).append('=');
        if (v instanceof Number || v instanceof Boolean) {
          b.append(v);
        } else {
          b.append(Redaction.scrub(String.valueOf(v)));
        }
      }
      if (e.error() != null) {
        b.append(System.lineSeparator()).append(Redaction.scrub(stack(e.error())).stripTrailing());
      }
      return b.toString();
    }
  },
  JSON {
    @Override
    String render(Event e) {
      StringBuilder b = new StringBuilder(256);
      b.append("{\"ts\":\"");
      appendTime(b, e.at());
      b.append('"');
      field(b, "level", e.level());
      field(b, "logger", e.logger());
      field(b, "thread", e.thread());
      field(b, "msg", Redaction.scrub(e.message()));
      for (Map.Entry<String, Object> f : e.fields()) {
        if (RESERVED.contains(f.getKey())) {
          continue;
        }
        Object v = f.getValue();
        if (v instanceof Number || v instanceof Boolean) {
          b.append(",\"");
          escape(b, f.getKey());
          b.append("\":").append(v);
        } else {
          field(b, f.getKey(), v == null ? null : Redaction.scrub(String.valueOf(v)));
        }
      }
      if (e.error() != null) {
        field(b, "error", Redaction.scrub(String.valueOf(e.error())));
        field(b, "stack", Redaction.scrub(stack(e.error())));
      }
      return b.append('}').toString();
    }
  };

  private static final DateTimeFormatter SECOND =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.").withZone(ZoneOffset.UTC);

  /** The last second formatted: every line within one second shares its text. */
  private record Second(long epochSecond, String text) {}

  private static volatile Second lastSecond = new Second(Long.MIN_VALUE, "");

  /** {@code 2026-11-24T16:38:13.042Z}: the formatter runs once per second, not once per line. */
  static void appendTime(StringBuilder b, Instant at) {
    Second s = lastSecond;
    if (s.epochSecond() != at.getEpochSecond()) {
      s = new Second(at.getEpochSecond(), SECOND.format(at));
      lastSecond = s;
    }
    int ms = at.getNano() / 1_000_000;
    b.append(s.text()).append((char) ('0' + ms / 100)).append((char) ('0' + ms / 10 % 10)).append((char) ('0' + ms % 10))
        .append('Z');
  }
  private static final Set<String> RESERVED = Set.of("ts", "level", "logger", "thread", "msg", "error", "stack");

  /** One event: the diagnostic context and key-value pairs are its {@code fields}, in order. */
  record Event(
      Instant at, String level, String logger, String thread, String message,
      List<Map.Entry<String, Object>> fields, Throwable error) {}

  abstract String render(Event e);

  /** Reads {@code text} or {@code json}; throws {@link IllegalArgumentException} otherwise. */
  public static LogFormat parse(String s) {
    return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "text" -> TEXT;
      case "json" -> JSON;
      default -> throw new IllegalArgumentException("log format must be text or json, not '" + s + "'");
    };
  }

  private static String stack(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  private static void field(StringBuilder b, String name, String value) {
    b.append(",\"");
    escape(b, name);
    b.append("\":");
    if (value == null) {
      b.append("null");
      return;
    }
    b.append('"');
    escape(b, value);
    b.append('"');
  }

  private static void escape(StringBuilder b, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
  }
}
