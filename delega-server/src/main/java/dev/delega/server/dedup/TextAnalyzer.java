package dev.delega.server.dedup;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a task text into a {@link TextProfile}: entities first, then the remaining words, which are
 * lower-cased, joined into canonical phrases ("roll back" is "revert"), stripped of stop words,
 * mapped to a canonical synonym and Porter-stemmed.
 *
 * <p>Stateless and thread-safe; the embedding is added by the caller.
 */
final class TextAnalyzer {

  static final float GENERIC_WEIGHT = 0.5f;
  static final float WORD_WEIGHT = 1.0f;
  static final float ENTITY_WEIGHT = 1.5f;

  private static final Set<String> STOP_WORDS =
      setOf(
          "a an the and or but if then else of at by for with about against between "
              + "into through during before after above below to from up down in out on off "
              + "over under again further once here there when where why how all any both "
              + "each few more most other some such no nor not only own same so than too very "
              + "s t can will just should now i me my we our ours you your he him his she her "
              + "it its they them their what which who whom this that these those am is are "
              + "was were be been being have has had having does did doing would could might "
              + "must shall may let lets also via per within without please pls asap etc eg "
              + "ie much many still yet already it's there's that's we're i'm can't won't "
              + "don't doesn't isn't aren't version ver v number num no. nr one someone "
              + "something anything everything some able like whether because while until "
              + "since as is way around across back soon right away today's currently again "
              + "ever every kindly todo fyi re hey hi thanks thank");

  /** Groups of words that mean the same in task titles; the first word's stem is canonical. */
  private static final Map<String, String> SYNONYMS = new HashMap<>();

  static {
    String[] groups = {
      "remove delete purge prune clean cleanup erase wipe rid",
      "fix repair resolve",
      "broken failing busted malfunctioning",
      "investigate debug diagnose troubleshoot investigation",
      "check verify inspect audit examine validate",
      "upgrade bump",
      "deploy ship rollout redeploy deployment",
      "revert rollback downgrade undo",
      "old stale outdated obsolete unused legacy",
      "invoice bill bills invoices",
      "price pricing cost costs",
      "email e-mail emails",
      "document doc docs documentation",
      "database db dbs databases",
      "dependency deps dep dependencies",
      "certificate cert certs certificates",
      "configuration config cfg conf configs",
      "repository repo repos repositories",
      "environment env envs",
      "production prod",
      "kubernetes k8s kube",
      "authentication auth authn",
      "message msg msgs",
      "password pw pwd passwd passwords",
      "credential creds credentials",
      "performance perf",
      "vulnerability vuln vulns cve cves vulnerabilities",
      "image img imgs",
      "directory dir folder dirs folders",
      "application app apps",
      "monitor monitoring alert alerting alerts",
      "summarize summary recap summarise digest",
      "compare comparison",
      "login signin log-in sign-in",
      "signup register registration sign-up",
      "retry retries rerun",
      "restart reboot",
      "rotate renew regenerate rotation renewal",
      "change modify edit alter",
      "vendor provider supplier",
      "customer client",
      "disk storage",
      "employee staff employees",
      "meeting meet",
      "statistics stats stat",
      "infrastructure infra",
      "organization org orgs organisation",
      "administrator admin admins",
      "specification spec specs",
      "requirement reqs",
      "notification notifications notify",
      "server host machine vm box servers hosts",
      "bug defect",
      "chart graph plot",
      "outage downtime",
      "slow sluggish laggy",
      "launch kickoff kick-off",
      "photo picture pic pics photos pictures",
      "buy purchase",
      "quick fast",
    };
    for (String line : groups) {
      String[] group = line.split(" ");
      String canonical = PorterStemmer.stem(group[0]);
      for (String w : group) {
        SYNONYMS.put(w, canonical);
        SYNONYMS.put(PorterStemmer.stem(w), canonical);
      }
    }
  }

  /** Verbs and nouns so common in task titles that they say little about the target. */
  private static final Set<String> GENERIC =
      stems(
          "fix add make create update change set get write do run use using new need "
              + "check thing issue look help work improve handle ensure want try investigate "
              + "go take put give find see keep setup implement prepare follow followup");

  /**
   * Pairs of opposite actions or sides, and contrasting siblings that embeddings place close
   * together (login/signup, frontend/backend), by canonical stem.
   */
  private static final Map<String, Set<String>> OPPOSITES = new HashMap<>();

  static {
    String[] pairs = {
      "enable disable",
      "add remove",
      "create remove",
      "install remove",
      "start stop",
      "increase decrease",
      "increase reduce",
      "increase lower",
      "raise lower",
      "upgrade revert",
      "import export",
      "upload download",
      "open close",
      "show hide",
      "allow block",
      "allow deny",
      "grant revoke",
      "encrypt decrypt",
      "buy sell",
      "hire fire",
      "login logout",
      "push pull",
      "send receive",
      "min max",
      "minimum maximum",
      "accept reject",
      "approve reject",
      "attach detach",
      "pause resume",
      "expand collapse",
      "inbound outbound",
      "ingress egress",
      "input output",
      "read write",
      "upstream downstream",
      "frontend backend",
      "public private",
      "internal external",
      "light dark",
      "horizontal vertical",
      "ascending descending",
      "online offline",
      "debit credit",
      "income expense",
      "win lose",
      "early late",
      "enable remove",
      "merge split",
      "lock unlock",
      "login signup",
      "client server",
      "unit integration",
      "header footer",
      "mobile desktop",
      "email sms",
      "image video",
      "cpu memory",
      "cpu gpu",
      "ram cpu",
      "ram disk",
      "memory disk",
      "request response",
      "source destination",
      "parent child",
      "admin user",
      "buyer seller",
      "sender recipient",
      "left right",
      "top bottom",
      "next previous",
    };
    for (String line : pairs) {
      String[] pair = line.split(" ");
      String x = canonicalStem(pair[0]);
      String y = canonicalStem(pair[1]);
      OPPOSITES.computeIfAbsent(x, k -> new java.util.HashSet<>()).add(y);
      OPPOSITES.computeIfAbsent(y, k -> new java.util.HashSet<>()).add(x);
    }
  }

  /**
   * Whether two words name opposite actions or sides: listed pairs by canonical stem, or a word and
   * its negated form ({@code install}/{@code uninstall}, {@code active}/{@code inactive}).
   */
  static boolean opposite(String stemX, String surfaceX, String stemY, String surfaceY) {
    Set<String> o = OPPOSITES.get(stemX);
    if (o != null && o.contains(stemY)) {
      return true;
    }
    return negates(surfaceX, surfaceY) || negates(surfaceY, surfaceX);
  }

  private static boolean negates(String word, String other) {
    for (String prefix : List.of("un", "dis", "non", "de", "in", "im")) {
      int min = prefix.length() == 2 && !prefix.equals("un") ? 5 : 4;
      if (word.length() >= min && other.equals(prefix + word)) {
        return true;
      }
    }
    return false;
  }

  /** Multi-word phrases that mean one thing, matched on lower-case words before stop words go. */
  private static final Map<List<String>, String> PHRASES = new LinkedHashMap<>();

  private static final Map<String, List<List<String>>> PHRASES_BY_FIRST = new HashMap<>();

  static {
    phrase("revert", "roll", "back");
    phrase("remove", "clean", "up");
    phrase("remove", "get", "rid", "of");
    phrase("remove", "clear", "out");
    phrase("investigate", "look", "into");
    phrase("investigate", "dig", "into");
    phrase("setup", "set", "up");
    phrase("backup", "back", "up");
    phrase("login", "log", "in");
    phrase("login", "sign", "in");
    phrase("signup", "sign", "up");
    phrase("deploy", "roll", "out");
    phrase("shutdown", "shut", "down");
    phrase("teardown", "tear", "down");
    phrase("followup", "follow", "up");
    phrase("ensure", "make", "sure");
    phrase("outdated", "out", "of", "date");
    phrase("optimize", "speed", "up");
    phrase("pr", "pull", "request");
    phrase("pr", "merge", "request");
    phrase("logout", "log", "out");
    phrase("logout", "sign", "out");
    String negations = "not doesn't don't isn't aren't won't can't cannot never";
    String verbs =
        "work works working load loading respond responding function functioning open opening "
            + "start starting";
    for (String neg : negations.split(" ")) {
      for (String verb : verbs.split(" ")) {
        phrase("broken", neg, verb);
      }
    }
    phrase("broken", "no", "longer", "works");
    phrase("broken", "stopped", "working");
  }

  private static void phrase(String meaning, String... words) {
    PHRASES.put(List.of(words), meaning);
    PHRASES_BY_FIRST.computeIfAbsent(words[0], k -> new ArrayList<>()).add(List.of(words));
  }

  /** One shared instance per stop word, so that word sequences cost a reference per stop word. */
  private static final Map<String, String> STOP_WORDS_INTERNED = new HashMap<>();

  static {
    for (String w : STOP_WORDS) {
      STOP_WORDS_INTERNED.put(w, w);
    }
  }

  private static Set<String> setOf(String words) {
    return Set.copyOf(Arrays.asList(words.split(" ")));
  }

  private static Set<String> stems(String words) {
    java.util.HashSet<String> out = new java.util.HashSet<>();
    for (String w : words.split(" ")) {
      out.add(canonicalStem(w));
    }
    return Set.copyOf(out);
  }

  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+(?:['’][\\p{L}]+)?");

  private final EntityExtractor extractor = new EntityExtractor();

  /** A word or entity value at a position, before stop words and canonicalisation. */
  private record Piece(int start, String text, Entity entity) {}

  TextProfile analyze(String raw, QuantizedVector vector) {
    String text = normalize(raw);
    List<Entity> entities = extractor.extract(text);
    List<Piece> pieces = pieces(text, entities);

    Map<String, Integer> index = new LinkedHashMap<>();
    List<String> terms = new ArrayList<>();
    List<String> surfaces = new ArrayList<>();
    List<Float> weights = new ArrayList<>();
    List<Boolean> entityFlags = new ArrayList<>();
    List<String> sequence = new ArrayList<>();
    List<Integer> sequenceTerms = new ArrayList<>();
    boolean lead = false;
    for (int i = 0; i < pieces.size(); i++) {
      Piece p = pieces.get(i);
      String term;
      String surface;
      float weight;
      boolean isEntity = p.entity() != null;
      if (isEntity) {
        term = p.entity().value();
        surface = p.text().toLowerCase(Locale.ROOT);
        weight = ENTITY_WEIGHT;
      } else {
        String word = p.text();
        int consumed = 1;
        String phrase = null;
        for (List<String> ws : PHRASES_BY_FIRST.getOrDefault(word, List.of())) {
          if (matchesAt(pieces, i, ws)) {
            phrase = PHRASES.get(ws);
            consumed = ws.size();
            break;
          }
        }
        if (phrase != null) {
          word = phrase;
          i += consumed - 1;
        } else if (STOP_WORDS.contains(word)) {
          sequence.add(STOP_WORDS_INTERNED.get(word));
          sequenceTerms.add(-1);
          continue;
        }
        word = stripPossessive(word);
        if (word.isEmpty() || STOP_WORDS.contains(word)) {
          continue;
        }
        term = canonicalStem(word);
        surface = word;
        weight = GENERIC.contains(term) ? GENERIC_WEIGHT : WORD_WEIGHT;
      }
      if (terms.isEmpty() && !isEntity) {
        lead = true;
      }
      Integer at = index.get(term);
      if (at == null) {
        index.put(term, terms.size());
        terms.add(term);
        surfaces.add(surface);
        weights.add(weight);
        entityFlags.add(isEntity);
        at = terms.size() - 1;
      } else if (weights.get(at) < weight) {
        weights.set(at, weight);
      }
      sequence.add(terms.get(at));
      sequenceTerms.add(at);
    }
    float[] w = new float[weights.size()];
    boolean[] flags = new boolean[weights.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = weights.get(i);
      flags[i] = entityFlags.get(i);
    }
    return new TextProfile(
        identity(text),
        terms.toArray(String[]::new),
        surfaces.toArray(String[]::new),
        w,
        flags,
        lead,
        grams(surfaces, flags),
        entities,
        sequence.toArray(String[]::new),
        sequenceTerms.stream().mapToInt(Integer::intValue).toArray(),
        vector,
        0L);
  }

  /** The terms a text is indexed under, without computing anything else. */
  static String canonicalStem(String lowerWord) {
    String direct = SYNONYMS.get(lowerWord);
    if (direct != null) {
      return direct;
    }
    String stem = PorterStemmer.stem(lowerWord);
    return SYNONYMS.getOrDefault(stem, stem);
  }

  static String normalize(String raw) {
    String t = Normalizer.normalize(raw == null ? "" : raw, Normalizer.Form.NFKC);
    return t.replace('’', '\'').replace('‘', '\'').replace('“', '"').replace('”', '"').strip();
  }

  private static boolean matchesAt(List<Piece> pieces, int i, List<String> words) {
    if (i + words.size() > pieces.size()) {
      return false;
    }
    for (int k = 0; k < words.size(); k++) {
      Piece p = pieces.get(i + k);
      if (p.entity() != null || !p.text().equals(words.get(k))) {
        return false;
      }
    }
    return true;
  }

  private static String stripPossessive(String w) {
    if (w.endsWith("'s")) {
      return w.substring(0, w.length() - 2);
    }
    if (w.endsWith("'")) {
      return w.substring(0, w.length() - 1);
    }
    return w;
  }

  /** Words and non-word entities (hosts, versions, ids…) in text order. */
  private static List<Piece> pieces(String text, List<Entity> entities) {
    List<Piece> out = new ArrayList<>();
    char[] masked = text.toCharArray();
    for (Entity e : entities) {
      boolean words = e.kind() == EntityKind.LITERAL || e.text().matches("[\\p{L}' ]+");
      if (!e.kind().wordLike() || !words) {
        out.add(new Piece(e.start(), text.substring(e.start(), e.end()), e));
        Arrays.fill(masked, e.start(), e.end(), ' ');
      }
    }
    Matcher m = WORD.matcher(new String(masked));
    while (m.find()) {
      out.add(new Piece(m.start(), m.group().toLowerCase(Locale.ROOT), null));
    }
    out.sort((x, y) -> Integer.compare(x.start(), y.start()));
    return out;
  }

  private static long identity(String text) {
    // Case, spacing and the punctuation around the text do not matter; symbols inside it do.
    String t =
        text.toLowerCase(Locale.ROOT)
            .replaceAll("\\s+", " ")
            .replaceAll("^[\\s\\p{Punct}]+|[\\s\\p{Punct}]+$", "");
    return fnv1a(t);
  }

  /** FNV-1a over the text's chars: 64 bits, so two different texts practically never collide. */
  static long fnv1a(String text) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < text.length(); i++) {
      h ^= text.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }

  private static int[] grams(List<String> surfaces, boolean[] entityFlags) {
    java.util.HashSet<Integer> set = new java.util.HashSet<>();
    for (int i = 0; i < surfaces.size(); i++) {
      if (entityFlags[i]) {
        continue;
      }
      String w = " " + surfaces.get(i) + " ";
      for (int k = 0; k + 3 <= w.length(); k++) {
        set.add(w.substring(k, k + 3).hashCode());
      }
    }
    int[] out = new int[set.size()];
    int n = 0;
    for (int g : set) {
      out[n++] = g;
    }
    Arrays.sort(out);
    return out;
  }
}
