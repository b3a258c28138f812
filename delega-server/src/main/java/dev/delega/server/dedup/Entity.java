package dev.delega.server.dedup;

/**
 * A concrete target named in a task text, with its value normalised so that equal targets written
 * differently ({@code #90412} and {@code 90412}, {@code v3.7} and {@code 3.7.0}) compare equal.
 *
 * @param kind what the value is
 * @param value the normalised value
 * @param start offset of the first character in the analysed text
 * @param end offset after the last character in the analysed text
 * @param text the characters as written
 */
record Entity(EntityKind kind, String value, int start, int end, String text) {

  Entity(EntityKind kind, String value, int start, int end) {
    this(kind, value, start, end, "");
  }

  Entity withText(String source) {
    return new Entity(kind, value, start, end, source.substring(start, end));
  }

  /** Whether both name the same target, or one is a less specific form of the other. */
  boolean compatible(Entity o) {
    if (kind.group() != o.kind.group()) {
      return false;
    }
    if (value.equals(o.value)) {
      return true;
    }
    return switch (kind.group()) {
      case ADDRESS -> addressCompatible(this, o);
      case VERSION -> versionCompatible(value, o.value);
      case DATE -> DateValue.parse(value).compatible(DateValue.parse(o.value));
      case NAME -> nameCompatible(value, o.value);
      case SYMBOL -> value.replace("_", "").equals(o.value.replace("_", ""));
      case QUANTITY -> amountCompatible(value, o.value);
      default -> false;
    };
  }

  private static boolean addressCompatible(Entity a, Entity b) {
    String ha = hostOf(a);
    String hb = hostOf(b);
    if (ha.equals(hb)) {
      return a.kind != EntityKind.URL || b.kind != EntityKind.URL;
    }
    // prod-db-1 and prod-db-1.internal.example.com name the same machine.
    return labelPrefix(ha, hb) || labelPrefix(hb, ha);
  }

  private static String hostOf(Entity e) {
    if (e.kind == EntityKind.URL) {
      int slash = e.value.indexOf('/');
      return slash < 0 ? e.value : e.value.substring(0, slash);
    }
    return e.value;
  }

  private static boolean labelPrefix(String shorter, String longer) {
    return longer.length() > shorter.length()
        && longer.startsWith(shorter)
        && longer.charAt(shorter.length()) == '.';
  }

  private static boolean versionCompatible(String a, String b) {
    // 3.7 and 3.7.2: the shorter one is a less specific form of the longer one.
    return b.startsWith(a + ".") || a.startsWith(b + ".");
  }

  private static boolean nameCompatible(String a, String b) {
    String ca = a.replace(" ", "").replace("-", "");
    String cb = b.replace(" ", "").replace("-", "");
    if (ca.equals(cb)) {
      return true;
    }
    // Postgres and PostgreSQL, Kube and Kubernetes: one is a prefix of the other.
    String s = ca.length() <= cb.length() ? ca : cb;
    String l = ca.length() <= cb.length() ? cb : ca;
    if (s.length() >= 4 && l.startsWith(s)) {
      return true;
    }
    // Wayne and Wayne Enterprises: every word of one appears in the other.
    return wordsContained(a, b) || wordsContained(b, a);
  }

  private static boolean wordsContained(String few, String many) {
    String[] fw = few.split(" ");
    if (fw.length >= many.split(" ").length) {
      return false;
    }
    for (String w : fw) {
      if (!(" " + many + " ").contains(" " + w + " ")) {
        return false;
      }
    }
    return true;
  }

  private static boolean amountCompatible(String a, String b) {
    // "502" without a unit matches "502error": the unit was only left out; and "502s" may be a
    // plural as well as seconds.
    String na = a.replaceAll("[^0-9.]", "");
    String nb = b.replaceAll("[^0-9.]", "");
    return na.equals(nb)
        && (na.equals(a) || nb.equals(b) || a.equals(na + "s") || b.equals(nb + "s"));
  }
}
