package dev.delega.server.dedup;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the concrete targets a task text names: hosts, IPs, URLs, e-mail addresses, ids, code
 * symbols, paths, versions, numbers, amounts, dates, schedules and proper names.
 *
 * <p>Rules run from the most specific to the least; a span claimed by one rule is not looked at
 * again, so {@code 10.0.0.1} is an IP and not a version, and {@code 2026-03} a date and not an id.
 * The extractor is stateless and thread-safe.
 */
final class EntityExtractor {

  private static final Set<String> TLDS =
      setOf(
          "com org net io dev app ai co edu gov mil int info biz me us uk de fr nl eu "
              + "ch at se no dk fi pl cz es it pt ru cn jp kr in au ca br mx be ie il sg hk "
              + "nz za local internal lan corp cloud xyz tech sh so gg tv fm ly to cc ws site "
              + "online store shop page example test localhost svc host email systems "
              + "services");

  private static final String FILE_EXTENSIONS =
      "py|js|mjs|ts|tsx|jsx|java|kt|kts|scala|go|rs|rb|php|c|h|cc|cpp|hpp|cs|swift|m|sh|bash|zsh"
          + "|ps1|bat|sql|html|htm|css|scss|less|vue|svelte|json|yaml|yml|toml|ini|cfg|conf|env|xml"
          + "|properties|gradle|lock|md|rst|txt|csv|tsv|log|pdf|doc|docx|xls|xlsx|ppt|pptx|png|jpg"
          + "|jpeg|gif|svg|webp|ico|mp3|mp4|mov|zip|gz|tgz|tar|jar|war|whl|deb|rpm|dmg|exe|msi"
          + "|dockerfile|tf|tfvars|proto|graphql|ipynb|parquet|db|sqlite|bak|pem|crt|key|so|dll";

  /** Letter-digit words that name a technology rather than a target. */
  private static final Set<String> TECH_WORDS =
      setOf(
          "k8s s3 ec2 i18n l10n a11y 2fa mfa2 oauth2 http2 http3 ipv4 ipv6 utf-8 utf8 "
              + "utf-16 mp3 mp4 h264 h265 b2b b2c p2p e2e x86 x64 arm64 amd64 x86_64 aarch64 "
              + "web3 3d 2d 4k 5g 4g gpt-4 gpt4 l7 l4 p2 p1 p0 sev1 sev2");

  /** Upper-case words that are not targets. */
  private static final Set<String> NOT_NAMES =
      setOf(
          "i asap fyi todo ok eta eod tbd wip ptal lgtm nb ps am pm re fw fwd vs etc ie "
              + "eg a an the please pls urgent important note update bug task todo: hi hey");

  /** Words that Title Case capitalises but running text does not. */
  private static final Set<String> FUNCTION_WORDS =
      setOf("the a an on in of for to with and or at by from into is are be as via per vs");

  private static Set<String> setOf(String words) {
    return Set.copyOf(java.util.Arrays.asList(words.split(" ")));
  }

  private static final Map<String, Integer> MONTHS = new HashMap<>();
  private static final Map<String, Integer> WEEKDAYS = new HashMap<>();

  static {
    String[] months = {
      "january",
      "february",
      "march",
      "april",
      "may",
      "june",
      "july",
      "august",
      "september",
      "october",
      "november",
      "december"
    };
    for (int i = 0; i < months.length; i++) {
      MONTHS.put(months[i], i + 1);
      MONTHS.put(months[i].substring(0, 3), i + 1);
    }
    MONTHS.put("sept", 9);
    String[] days = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
    for (int i = 0; i < days.length; i++) {
      WEEKDAYS.put(days[i], i + 1);
    }
  }

  private static final String MONTH_RE =
      "january|february|march|april|may|june|july|august|september|october|november|december"
          + "|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec";
  private static final String DAY_RE = "monday|tuesday|wednesday|thursday|friday|saturday|sunday";
  private static final String NUM = "\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?";

  /** One extraction rule: a pattern and how a match becomes an entity (null to pass it by). */
  private record Rule(String needs, Pattern pattern, RuleAction action) {

    /** Whether the text has one of the characters the pattern cannot match without. */
    boolean mayMatch(String text, boolean hasDigit) {
      if (needs == null) {
        return true;
      }
      if (needs.equals(DIGITS)) {
        return hasDigit;
      }
      for (int i = 0; i < needs.length(); i++) {
        if (text.indexOf(needs.charAt(i)) >= 0) {
          return true;
        }
      }
      return false;
    }
  }

  /** Marks rules that need a digit. */
  private static final String DIGITS = "0123456789";

  @FunctionalInterface
  private interface RuleAction {
    Entity apply(Matcher m, String text);
  }

  private static final List<Rule> RULES = new ArrayList<>();

  private static void rule(String needs, String regex, RuleAction action) {
    RULES.add(new Rule(needs, Pattern.compile(regex, Pattern.CASE_INSENSITIVE), action));
  }

  private static void caseSensitiveRule(String needs, String regex, RuleAction action) {
    RULES.add(new Rule(needs, Pattern.compile(regex), action));
  }

  static {
    rule(
        ":",
        "\\b(?:https?|ftp)://[^\\s<>\"'`)\\]]+",
        (m, t) -> {
          String v = trimTrailing(m.group()).toLowerCase(Locale.ROOT);
          v = v.replaceFirst("^[a-z]+://", "");
          while (v.endsWith("/")) {
            v = v.substring(0, v.length() - 1);
          }
          return new Entity(
              EntityKind.URL, v, m.start(), m.start() + trimTrailing(m.group()).length());
        });
    rule(
        "@",
        "\\b[a-z0-9._%+-]+@[a-z0-9-]+(?:\\.[a-z0-9-]+)+\\b",
        (m, t) -> entity(EntityKind.EMAIL, m.group().toLowerCase(Locale.ROOT), m));
    rule(
        DIGITS,
        "(?<![\\w.])(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)(?:\\.(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}"
            + "(?:/\\d{1,2})?(?![\\w.])",
        (m, t) -> entity(EntityKind.IP, m.group(), m));
    // ISO dates: 2026-03-14, 2026-03, 2026/03/14.
    rule(
        DIGITS,
        "(?<![\\w.-])((?:19|20)\\d{2})[-/](0[1-9]|1[0-2])(?:[-/](0[1-9]|[12]\\d|3[01]))?(?![\\w.-])",
        (m, t) -> {
          Map<Character, String> f = new HashMap<>();
          f.put('y', m.group(1));
          f.put('m', Integer.toString(Integer.parseInt(m.group(2))));
          if (m.group(3) != null) {
            f.put('d', Integer.toString(Integer.parseInt(m.group(3))));
          }
          return entity(EntityKind.DATE, DateValue.canonical(f), m);
        });
    // 14/03/2026 or 03/14/2026: the order is ambiguous, so only equal strings match.
    rule(
        DIGITS,
        "(?<![\\w./])(\\d{1,2})[/.](\\d{1,2})[/.]((?:19|20)\\d{2})(?![\\w/])",
        (m, t) ->
            entity(EntityKind.DATE, "r" + m.group(1) + "/" + m.group(2) + "/" + m.group(3), m));
    // Money: $40, $1.5k, 40 USD, €300.
    rule(
        DIGITS,
        "(?:([$€£¥])\\s?("
            + NUM
            + ")(?:[ \\t]?(k|m|bn|b)\\b)?|(?<![\\w.-])("
            + NUM
            + ")[ \\t]?(usd|eur|gbp|chf|jpy|dollars?|euros?|pounds?|bucks)\\b)",
        (m, t) -> {
          String currency = m.group(1) != null ? m.group(1) : m.group(5);
          String number = m.group(1) != null ? m.group(2) : m.group(4);
          String mult = m.group(3);
          return entity(EntityKind.AMOUNT, amount(number, mult, currency(currency)), m);
        });
    // Quantities with a unit: 40%, 500 ms, 2 weeks, 16GB, 3 replicas, 10k.
    rule(
        DIGITS,
        "(?<![\\w.-])("
            + NUM
            + ")[ \\t]?(%|percent\\b|(?:k|kb|mb|gb|tb|pb|kib|mib|gib|tib|ms|s|sec"
            + "|secs|seconds?|mins?|minutes?|h|hrs?|hours?|days?|weeks?|months?|years?|x|cores?"
            + "|v?cpus?|nodes?|replicas?|instances?|pods?|users?|seats?|rps|qps|rpm|px|pt|em"
            + "|items?|rows?|records?|requests?|errors?|retries|times|attempts?)\\b)",
        (m, t) -> entity(EntityKind.AMOUNT, amount(m.group(1), null, unit(m.group(2))), m));
    // Versions: 3.7, v2.3.0, 1.9.4-rc1, v2, version 3.
    rule(
        DIGITS,
        "(?<![\\w.])v?\\d+(?:\\.\\d+){1,3}(?:-[0-9a-z.]+)?(?![\\w.]*\\w)",
        (m, t) -> entity(EntityKind.VERSION, version(m.group()), m));
    rule(
        DIGITS,
        "(?<![\\w.])v\\d+(?![\\w.])",
        (m, t) -> entity(EntityKind.VERSION, version(m.group()), m));
    rule(
        DIGITS,
        "\\b(?:version|release|rev)\\s+#?(\\d+)\\b",
        (m, t) -> new Entity(EntityKind.VERSION, m.group(1), m.start(1), m.end(1)));
    // Quarters: Q3, Q3 2026, 2026 Q3.
    rule(
        DIGITS,
        "\\b(?:q([1-4])(?:\\s*((?:19|20)\\d{2}))?|((?:19|20)\\d{2})\\s*q([1-4]))\\b",
        (m, t) -> {
          Map<Character, String> f = new HashMap<>();
          f.put('q', m.group(1) != null ? m.group(1) : m.group(4));
          String y = m.group(2) != null ? m.group(2) : m.group(3);
          if (y != null) {
            f.put('y', y);
          }
          return entity(EntityKind.DATE, DateValue.canonical(f), m);
        });
    rule(
        ".",
        "(?<![\\w.])(?:[a-z0-9-]+\\.)+[a-z][a-z0-9-]*[a-z0-9](?::\\d{2,5})?(?![\\w-]|\\.\\w)",
        (m, t) -> host(m));
    // Paths: /var/log/nginx, ~/.ssh/config, ./scripts/run.sh, C:\Temp\x, src/main/App.java.
    rule(
        "/",
        "(?<![\\w.:/~])(?:~|\\.{1,2})?(?:/[\\w.@%+-]+)+/?",
        (m, t) -> {
          String v = trimTrailing(m.group());
          if (v.length() < 2 || v.equals("/")) {
            return null;
          }
          while (v.length() > 1 && v.endsWith("/")) {
            v = v.substring(0, v.length() - 1);
          }
          return new Entity(
              EntityKind.PATH, v, m.start(), m.start() + trimTrailing(m.group()).length());
        });
    rule(
        "\\",
        "\\b[a-z]:\\\\[^\\s]+",
        (m, t) -> entity(EntityKind.PATH, trimTrailing(m.group()).toLowerCase(Locale.ROOT), m));
    rule(
        "/",
        "(?<![\\w.])[\\w.-]+(?:/[\\w.-]+){2,}/?|(?<![\\w.])[\\w.-]+/[\\w.-]+\\.(?:"
            + FILE_EXTENSIONS
            + ")\\b",
        (m, t) -> entity(EntityKind.PATH, trimTrailing(m.group()), m));
    rule(
        ".",
        "(?<![\\w.-])[\\w-]+(?:\\.[\\w-]+)*\\.(?:" + FILE_EXTENSIONS + ")(?![\\w.])",
        (m, t) -> {
          // Node.js, Vue.js: a product, not a file.
          if (m.group().matches("[A-Z][a-z]+\\.js")) {
            return entity(EntityKind.NAME, m.group().toLowerCase(Locale.ROOT), m);
          }
          return entity(EntityKind.PATH, m.group(), m);
        });
    // Issue keys and hashes: JIRA-123, PROJ-7, 3f2a9c1, UUIDs.
    caseSensitiveRule(
        DIGITS,
        "\\b[A-Z][A-Z0-9]{1,9}-\\d+\\b",
        (m, t) -> {
          String v = m.group().toLowerCase(Locale.ROOT);
          return TECH_WORDS.contains(v) ? null : entity(EntityKind.ID, v, m);
        });
    rule(
        "-",
        "\\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\b",
        (m, t) -> entity(EntityKind.ID, m.group().toLowerCase(Locale.ROOT), m));
    rule(
        DIGITS,
        "\\b(?=[0-9a-f]*\\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,40}\\b",
        (m, t) -> entity(EntityKind.ID, m.group().toLowerCase(Locale.ROOT), m));
    // Code symbols: Class::method, Class#method, fn(), a.b_c, snake_case.
    rule(
        ":#",
        "\\b[a-z_]\\w*(?:::|#)[a-z_]\\w*(?:\\(\\))?",
        (m, t) -> entity(EntityKind.SYMBOL, m.group().toLowerCase(Locale.ROOT), m));
    rule(
        ".",
        "(?<![\\w.])[a-z_]\\w*(?:\\.[a-z_]\\w*)+(?:\\(\\))?(?![\\w.]*\\w)",
        (m, t) -> {
          String v = m.group().toLowerCase(Locale.ROOT);
          // e.g, i.e, a.m: abbreviations, not symbols.
          return v.replace(".", "").replace("()", "").length() < 4
              ? null
              : entity(EntityKind.SYMBOL, v, m);
        });
    rule(
        "(",
        "\\b[a-z_]\\w*\\(\\)",
        (m, t) -> entity(EntityKind.SYMBOL, m.group().toLowerCase(Locale.ROOT), m));
    rule(
        "_",
        "\\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\\b",
        (m, t) -> {
          String v = m.group().toLowerCase(Locale.ROOT);
          return TECH_WORDS.contains(v) ? null : entity(EntityKind.SYMBOL, v, m);
        });
    // Ids that mix letters and digits: prod-db-1, build-agent-7, p99, A4, web01.
    rule(
        DIGITS,
        "(?<![\\w.#-])(?=[a-z0-9-]*[a-z])(?=[a-z0-9-]*\\d)[a-z0-9]+(?:-[a-z0-9]+)*(?![\\w-]|\\.\\w)",
        (m, t) -> {
          String v = m.group().toLowerCase(Locale.ROOT);
          if (TECH_WORDS.contains(v) || v.matches("\\d+(?:st|nd|rd|th|s)(?:-[a-z]+)*")) {
            return null;
          }
          return entity(EntityKind.ID, v, m);
        });
    // Dates in words: March, March 14, 14 March 2026, Mar 2026.
    rule(
        null,
        "\\b(?:(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?)?("
            + MONTH_RE
            + ")\\.?"
            + "(?:\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b)?(?:,?\\s+((?:19|20)\\d{2}))?\\b",
        (m, t) -> month(m, t));
    rule(
        null,
        "\\b(?:(this|next|last|coming|previous)\\s+)?(" + DAY_RE + ")s?\\b",
        (m, t) -> {
          Map<Character, String> f = new HashMap<>();
          f.put('w', Integer.toString(WEEKDAYS.get(m.group(2).toLowerCase(Locale.ROOT))));
          if (m.group(1) != null) {
            f.put('r', relative(m.group(1)));
          }
          return entity(EntityKind.DATE, DateValue.canonical(f), m);
        });
    rule(
        null,
        "\\b(?:(this|next|last|coming|previous|past)\\s+(week|month|quarter|year|sprint|weekend)"
            + "|(today|tonight|tomorrow|yesterday))\\b",
        (m, t) -> {
          String v =
              m.group(3) != null
                  ? m.group(3).toLowerCase(Locale.ROOT).replace("tonight", "today")
                  : relative(m.group(1)) + "-" + m.group(2).toLowerCase(Locale.ROOT);
          return entity(EntityKind.DATE, "r" + v, m);
        });
    rule(
        null,
        "\\b(?:(hourly|daily|nightly|weekly|bi-?weekly|fortnightly|monthly|quarterly|yearly"
            + "|annually|annual)|(?:every|each)\\s+(day|night|morning|evening|week|month|hour"
            + "|year|quarter|minute|weekday|weekend))\\b",
        (m, t) -> entity(EntityKind.FREQUENCY, frequency(m), m));
    rule(
        null,
        "\\b(production|prod|staging|preprod|pre-prod|sandbox|uat)\\b",
        (m, t) -> {
          String v = m.group(1).toLowerCase(Locale.ROOT).replace("-", "");
          return entity(EntityKind.ENVIRONMENT, v.equals("prod") ? "production" : v, m);
        });
    // Quoted labels and messages: "Archived", `ERR_CONN`.
    rule(
        "\"`",
        "\"([^\"\\n]{1,60})\"|`([^`\\n]{1,60})`",
        (m, t) -> {
          int g = m.group(1) != null ? 1 : 2;
          String v = m.group(g).strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
          return v.isEmpty() ? null : new Entity(EntityKind.LITERAL, v, m.start(g), m.end(g));
        });
    // Remaining numbers: #1234, 90412, 1,000, 502s.
    rule(
        DIGITS,
        "(?<![\\w.])#?(\\d{1,3}(?:,\\d{3})+|\\d+)s?(?![\\w]|\\.\\d)",
        (m, t) -> {
          String digits = m.group(1).replace(",", "");
          if (!m.group().startsWith("#") && digits.matches("(?:19|20)\\d{2}")) {
            return entity(EntityKind.DATE, "y" + digits, m);
          }
          return entity(EntityKind.NUMBER, new BigDecimal(digits).toPlainString(), m);
        });
  }

  private static final Pattern WORD = Pattern.compile("[\\p{L}][\\p{L}\\p{N}'’&-]*");

  /** All entities in the text, ordered by position. */
  List<Entity> extract(String text) {
    boolean[] claimed = new boolean[text.length()];
    List<Entity> out = new ArrayList<>();
    boolean hasDigit = text.chars().anyMatch(Character::isDigit);
    for (Rule rule : RULES) {
      if (!rule.mayMatch(text, hasDigit)) {
        continue;
      }
      Matcher m = rule.pattern().matcher(text);
      while (m.find()) {
        if (isClaimed(claimed, m.start(), m.end())) {
          continue;
        }
        Entity e = rule.action().apply(m, text);
        if (e != null && e.end() > e.start()) {
          out.add(e.withText(text));
          for (int i = e.start(); i < e.end(); i++) {
            claimed[i] = true;
          }
        }
      }
    }
    names(text, claimed, out);
    out.sort(Comparator.comparingInt(Entity::start));
    return List.copyOf(out);
  }

  private static boolean isClaimed(boolean[] claimed, int start, int end) {
    for (int i = start; i < end; i++) {
      if (claimed[i]) {
        return true;
      }
    }
    return false;
  }

  /**
   * Proper names: capitalised words that do not start a sentence, CamelCase and ALL-CAPS words,
   * with runs of them merged ("New Relic", "Wayne Enterprises"). In a Title Case text (a function
   * word such as "The" capitalised mid-sentence, or every word capitalised) or an ALL CAPS text
   * capitals carry no signal, so only CamelCase words count there.
   */
  private static void names(String text, boolean[] claimed, List<Entity> out) {
    Matcher m = WORD.matcher(text);
    List<int[]> words = new ArrayList<>();
    int capitalised = 0;
    boolean anyLower = false;
    boolean capitalisedFunctionWord = false;
    while (m.find()) {
      String w = m.group();
      words.add(new int[] {m.start(), m.end()});
      boolean upper = Character.isUpperCase(w.charAt(0));
      if (upper) {
        capitalised++;
        if (FUNCTION_WORDS.contains(w.toLowerCase(Locale.ROOT))
            && !sentenceInitial(text, m.start())) {
          capitalisedFunctionWord = true;
        }
      }
      if (!w.equals(w.toUpperCase(Locale.ROOT))) {
        anyLower = true;
      }
    }
    // "Fix The Login Button On Settings": capitals mark every word, not names.
    boolean titleCase =
        capitalisedFunctionWord || (words.size() >= 3 && capitalised == words.size());
    int runStart = -1;
    int runEnd = -1;
    for (int[] span : words) {
      String w = stripPossessive(text.substring(span[0], span[1]));
      boolean name =
          !isClaimed(claimed, span[0], span[1])
              && isName(w, sentenceInitial(text, span[0]), titleCase, anyLower);
      if (name) {
        boolean joins = runStart >= 0 && onlySpaces(text, runEnd, span[0]);
        if (!joins) {
          flushName(text, runStart, runEnd, out);
          runStart = span[0];
        }
        runEnd = span[0] + w.length();
      } else {
        flushName(text, runStart, runEnd, out);
        runStart = -1;
      }
    }
    flushName(text, runStart, runEnd, out);
  }

  private static boolean isName(String w, boolean initial, boolean titleCase, boolean anyLower) {
    if (w.length() < 2 || NOT_NAMES.contains(w.toLowerCase(Locale.ROOT))) {
      return false;
    }
    boolean firstUpper = Character.isUpperCase(w.charAt(0));
    boolean innerUpper = false;
    boolean anyLowerHere = false;
    for (int i = 1; i < w.length(); i++) {
      if (Character.isUpperCase(w.charAt(i))) {
        innerUpper = true;
      }
      if (Character.isLowerCase(w.charAt(i))) {
        anyLowerHere = true;
      }
    }
    boolean camel = innerUpper && (anyLowerHere || !firstUpper);
    boolean allCaps =
        firstUpper && !anyLowerHere && w.chars().filter(Character::isLetter).count() >= 2;
    if (camel) {
      return true;
    }
    if (allCaps) {
      return anyLower;
    }
    return firstUpper && !initial && !titleCase;
  }

  private static String stripPossessive(String w) {
    if (w.length() > 2
        && w.endsWith("s")
        && w.substring(0, w.length() - 1).chars().allMatch(Character::isUpperCase)) {
      return w.substring(0, w.length() - 1); // APIs, PRs, VMs
    }
    if (w.endsWith("'s") || w.endsWith("’s")) {
      return w.substring(0, w.length() - 2);
    }
    return w.endsWith("'") || w.endsWith("’") || w.endsWith("-")
        ? w.substring(0, w.length() - 1)
        : w;
  }

  private static boolean sentenceInitial(String text, int at) {
    for (int i = at - 1; i >= 0; i--) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) && c != '\n') {
        continue;
      }
      return c == '\n' || c == '.' || c == '!' || c == '?' || c == ':' || c == ';' || c == '-'
          || c == '*' || c == '•' || c == '"' || c == '“' || c == '>' || c == '#';
    }
    return true;
  }

  private static boolean onlySpaces(String text, int from, int to) {
    String gap = text.substring(from, to);
    return gap.equals(" ") || gap.equals(" & ");
  }

  private static void flushName(String text, int start, int end, List<Entity> out) {
    if (start < 0) {
      return;
    }
    String v = text.substring(start, end).toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    out.add(new Entity(EntityKind.NAME, v, start, end).withText(text));
  }

  private static Entity entity(EntityKind kind, String value, Matcher m) {
    return new Entity(kind, value, m.start(), m.end());
  }

  private static String trimTrailing(String s) {
    int end = s.length();
    while (end > 0 && ".,;:!?)]}'\"".indexOf(s.charAt(end - 1)) >= 0) {
      end--;
    }
    return s.substring(0, end);
  }

  private static Entity host(Matcher m) {
    String v = m.group().toLowerCase(Locale.ROOT);
    String bare = v.replaceFirst(":\\d+$", "");
    String[] labels = bare.split("\\.");
    String last = labels[labels.length - 1];
    if (last.matches(FILE_EXTENSIONS)) {
      return null;
    }
    boolean allNumeric = true;
    for (String l : labels) {
      if (!l.matches("\\d+")) {
        allNumeric = false;
      }
    }
    if (allNumeric || !(TLDS.contains(last) || labels.length >= 3)) {
      return null;
    }
    return entity(EntityKind.HOST, v, m);
  }

  private static Entity month(Matcher m, String text) {
    String word = m.group(2);
    String lower = word.toLowerCase(Locale.ROOT);
    boolean hasNumbers = m.group(1) != null || m.group(3) != null || m.group(4) != null;
    boolean fullName = lower.length() > 4 || lower.equals("june") || lower.equals("july");
    boolean capitalised = Character.isUpperCase(word.charAt(0));
    if (lower.equals("may") || lower.equals("march")) {
      // Also verbs: only a date when capitalised mid-sentence or next to a day or year.
      if (!hasNumbers && !(capitalised && !sentenceInitial(text, m.start(2)))) {
        return null;
      }
    } else if (!fullName && !(hasNumbers && capitalised)) {
      return null;
    }
    Map<Character, String> f = new HashMap<>();
    f.put('m', Integer.toString(MONTHS.get(lower)));
    String day = m.group(1) != null ? m.group(1) : m.group(3);
    if (day != null) {
      f.put('d', Integer.toString(Integer.parseInt(day)));
    }
    if (m.group(4) != null) {
      f.put('y', m.group(4));
    }
    return entity(EntityKind.DATE, DateValue.canonical(f), m);
  }

  private static String relative(String word) {
    String w = word.toLowerCase(Locale.ROOT);
    return switch (w) {
      case "coming" -> "next";
      case "previous", "past" -> "last";
      default -> w;
    };
  }

  private static String frequency(Matcher m) {
    String w =
        (m.group(1) != null ? m.group(1) : m.group(2)).toLowerCase(Locale.ROOT).replace("-", "");
    return switch (w) {
      case "nightly", "day", "night", "morning", "evening" -> "daily";
      case "hour" -> "hourly";
      case "week" -> "weekly";
      case "month" -> "monthly";
      case "quarter" -> "quarterly";
      case "year", "annually", "annual" -> "yearly";
      case "fortnightly" -> "biweekly";
      case "minute" -> "minutely";
      default -> w;
    };
  }

  private static String version(String raw) {
    String v = raw.toLowerCase(Locale.ROOT);
    return v.startsWith("v") ? v.substring(1) : v;
  }

  private static String currency(String c) {
    String w = c.toLowerCase(Locale.ROOT);
    return switch (w) {
      case "$", "usd", "dollar", "dollars", "bucks" -> "usd";
      case "€", "eur", "euro", "euros" -> "eur";
      case "£", "gbp", "pound", "pounds" -> "gbp";
      case "¥", "jpy" -> "jpy";
      default -> w;
    };
  }

  private static String unit(String u) {
    String w = u.toLowerCase(Locale.ROOT);
    if (w.equals("k")) {
      return "k";
    }
    return switch (w) {
      case "%", "percent" -> "%";
      case "s", "sec", "secs", "second", "seconds" -> "s";
      case "min", "mins", "minute", "minutes" -> "min";
      case "h", "hr", "hrs", "hour", "hours" -> "h";
      case "day", "days" -> "d";
      case "week", "weeks" -> "w";
      case "month", "months" -> "mo";
      case "year", "years" -> "y";
      default -> w.endsWith("s") && w.length() > 3 ? w.substring(0, w.length() - 1) : w;
    };
  }

  private static String amount(String number, String multiplier, String unit) {
    BigDecimal n = new BigDecimal(number.replace(",", ""));
    String u = unit;
    String mult =
        multiplier == null ? (unit.equals("k") ? "k" : null) : multiplier.toLowerCase(Locale.ROOT);
    if ("k".equals(unit)) {
      u = "";
    }
    if (mult != null) {
      n =
          switch (mult) {
            case "k" -> n.multiply(BigDecimal.valueOf(1_000));
            case "m" -> n.multiply(BigDecimal.valueOf(1_000_000));
            case "b", "bn" -> n.multiply(BigDecimal.valueOf(1_000_000_000));
            default -> n;
          };
    }
    return n.stripTrailingZeros().toPlainString() + u;
  }
}
