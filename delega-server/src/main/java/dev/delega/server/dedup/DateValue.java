package dev.delega.server.dedup;

import java.util.Map;
import java.util.TreeMap;

/**
 * A date, month, weekday, quarter, year or relative period, as the fields a text gave.
 *
 * <p>Two values are compatible when they share at least one field and agree on every field they
 * share: {@code March} fits {@code 2026-03}, but not {@code April} or {@code Friday}.
 */
record DateValue(Map<Character, String> fields) {

  /** Fields: y year, m month, d day of month, w weekday (1 = Monday), q quarter, r relative. */
  static String canonical(Map<Character, String> fields) {
    StringBuilder sb = new StringBuilder();
    new TreeMap<>(fields)
        .forEach(
            (k, v) -> {
              if (!sb.isEmpty()) {
                sb.append(' ');
              }
              sb.append(k).append(v);
            });
    return sb.toString();
  }

  static DateValue parse(String canonical) {
    Map<Character, String> fields = new TreeMap<>();
    for (String part : canonical.split(" ")) {
      if (part.length() > 1) {
        fields.put(part.charAt(0), part.substring(1));
      }
    }
    return new DateValue(fields);
  }

  boolean compatible(DateValue o) {
    int shared = 0;
    for (Map.Entry<Character, String> e : fields.entrySet()) {
      String other = o.fields.get(e.getKey());
      if (other != null) {
        if (!other.equals(e.getValue())) {
          return false;
        }
        shared++;
      }
    }
    return shared > 0;
  }
}
