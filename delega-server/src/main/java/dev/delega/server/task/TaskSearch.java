package dev.delega.server.task;

import dev.delega.server.store.Dialect;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Full-text search, on SQLite FTS5 and PostgreSQL text search alike: the {@code search} filter of
 * {@code GET /tasks} (content and description) and the query language that recall shares.
 *
 * <p>The query language is PostgreSQL's {@code websearch_to_tsquery}: words must all occur,
 * {@code "quoted words"} must occur as a phrase, {@code -word} must not occur, and {@code or}
 * between words makes alternatives. Both backends stem English words ({@code porter} on SQLite,
 * {@code english} on PostgreSQL), ignore English stop words in the query and keep diacritics. The
 * query is parsed here once and written for each backend, so that no input can make a backend's own
 * syntax fail; a query without a single positive word matches nothing. The ranking contract (see
 * {@code docs/decisions/0003-context-versioning.md}): a task matches only if it contains every
 * required word; a match in the content weighs 2.5 times a match in the description; equally ranked
 * tasks keep the list order.
 */
public final class TaskSearch {
  /** The English stop words PostgreSQL ignores (Snowball's list), ignored on SQLite too. */
  static final Set<String> STOP_WORDS =
      Set.of(
          "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "your", "yours",
          "yourself", "yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself",
          "it", "its", "itself", "they", "them", "their", "theirs", "themselves", "what", "which",
          "who", "whom", "this", "that", "these", "those", "am", "is", "are", "was", "were", "be",
          "been", "being", "have", "has", "had", "having", "do", "does", "did", "doing", "a", "an",
          "the", "and", "but", "if", "or", "because", "as", "until", "while", "of", "at", "by",
          "for", "with", "about", "against", "between", "into", "through", "during", "before",
          "after", "above", "below", "to", "from", "up", "down", "in", "out", "on", "off", "over",
          "under", "again", "further", "then", "once", "here", "there", "when", "where", "why",
          "how", "all", "any", "both", "each", "few", "more", "most", "other", "some", "such", "no",
          "nor", "not", "only", "own", "same", "so", "than", "too", "very", "s", "t", "can",
          "will", "just", "don", "should", "now");

  private static final String NOTHING_SQLITE = "\"\"";

  private TaskSearch() {}

  /** A SQL condition on alias {@code t} matching {@code query}; adds its binds to {@code binds}. */
  public static String condition(Dialect dialect, String query, Map<String, Object> binds) {
    TextQuery q = TextQuery.parse(query);
    if (dialect == Dialect.POSTGRES) {
      binds.put("search", q.websearch());
      return q.isEmpty() ? "1=0" : "t.search_tsv @@ websearch_to_tsquery('english', :search)";
    }
    binds.put("search", q.isEmpty() ? NOTHING_SQLITE : q.fts5());
    return q.isEmpty() ? "1=0" : "t.id IN (SELECT rowid FROM tasks_fts WHERE tasks_fts MATCH :search)";
  }

  /** An ORDER BY term (with its direction) ranking matches best first; uses the bind of {@link #condition}. */
  public static String rank(Dialect dialect) {
    if (dialect == Dialect.POSTGRES) {
      return "ts_rank('{0.1, 0.2, 0.4, 1.0}', t.search_tsv, websearch_to_tsquery('english', :search)) DESC";
    }
    return "(SELECT bm25(tasks_fts, 2.5, 1.0) FROM tasks_fts WHERE tasks_fts MATCH :search"
        + " AND tasks_fts.rowid = t.id) ASC";
  }

  /**
   * A parsed search: alternatives ({@code or}) of groups; each group lists what must occur and
   * what must not. Items keep their raw text (without quotes) so each backend tokenizes a query
   * word exactly as it tokenized the indexed text.
   */
  public record TextQuery(List<Group> groups) {
    /** One alternative: every {@code required} item and none of the {@code excluded} ones. */
    public record Group(List<String> required, List<String> excluded) {}

    /** Parses websearch syntax; never fails. */
    public static TextQuery parse(String input) {
      List<Group> groups = new ArrayList<>();
      List<String> required = new ArrayList<>();
      List<String> excluded = new ArrayList<>();
      String s = input == null ? "" : input;
      int i = 0;
      int n = s.length();
      while (i < n) {
        char c = s.charAt(i);
        if (Character.isWhitespace(c)) {
          i++;
          continue;
        }
        boolean negated = false;
        if (c == '-' && i + 1 < n && !Character.isWhitespace(s.charAt(i + 1))) {
          negated = true;
          i++;
          c = s.charAt(i);
        }
        String item;
        boolean quoted = false;
        if (c == '"') {
          int end = s.indexOf('"', i + 1);
          item = end < 0 ? s.substring(i + 1) : s.substring(i + 1, end);
          i = end < 0 ? n : end + 1;
          quoted = true;
        } else {
          int start = i;
          while (i < n && !Character.isWhitespace(s.charAt(i)) && s.charAt(i) != '"') {
            i++;
          }
          item = s.substring(start, i);
        }
        if (!quoted && !negated && item.equalsIgnoreCase("or")) {
          if (!required.isEmpty()) {
            groups.add(new Group(List.copyOf(required), List.copyOf(excluded)));
          }
          required.clear();
          excluded.clear();
          continue;
        }
        List<String> words = words(item);
        if (words.isEmpty() || words.stream().allMatch(STOP_WORDS::contains)) {
          continue;
        }
        // Control characters become spaces: a NUL inside an FTS5 string ended it early in SQLite's C
        // parser ("unterminated string"), and PostgreSQL refuses NUL in text.
        String clean = item.replace('"', ' ').chars()
            .map(ch -> Character.isISOControl(ch) ? ' ' : ch)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
            .toString()
            .strip();
        (negated ? excluded : required).add(clean);
      }
      if (!required.isEmpty()) {
        groups.add(new Group(List.copyOf(required), List.copyOf(excluded)));
      }
      return new TextQuery(List.copyOf(groups));
    }

    /** True when the query has no word that could match: it matches nothing. */
    public boolean isEmpty() {
      return groups.isEmpty();
    }

    /** The query as an SQLite FTS5 expression (every item a quoted string, operators explicit). */
    public String fts5() {
      List<String> alternatives = new ArrayList<>();
      for (Group g : groups) {
        StringBuilder b = new StringBuilder("(");
        for (int k = 0; k < g.required().size(); k++) {
          if (k > 0) {
            b.append(" AND ");
          }
          b.append(quote(g.required().get(k)));
        }
        b.append(')');
        for (String ex : g.excluded()) {
          b.insert(0, '(').append(" NOT ").append(quote(ex)).append(')');
        }
        alternatives.add(b.toString());
      }
      return String.join(" OR ", alternatives);
    }

    /** The query in normalized websearch syntax for PostgreSQL's {@code websearch_to_tsquery}. */
    public String websearch() {
      List<String> alternatives = new ArrayList<>();
      for (Group g : groups) {
        List<String> parts = new ArrayList<>();
        g.required().forEach(r -> parts.add(quote(r)));
        g.excluded().forEach(e -> parts.add("-" + quote(e)));
        alternatives.add(String.join(" ", parts));
      }
      return String.join(" or ", alternatives);
    }

    private static String quote(String item) {
      return "\"" + item + "\"";
    }
  }

  /** The lower-case letter-or-digit runs of {@code text}. */
  public static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      while (i < n && !Character.isLetterOrDigit(text.codePointAt(i))) {
        i += Character.charCount(text.codePointAt(i));
      }
      int start = i;
      while (i < n && Character.isLetterOrDigit(text.codePointAt(i))) {
        i += Character.charCount(text.codePointAt(i));
      }
      if (i > start) {
        out.add(text.substring(start, i).toLowerCase(Locale.ROOT));
      }
    }
    return out;
  }
}
