package dev.delega.server.http;

import io.javalin.config.JavalinState;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.javalin.router.InternalRouter;
import io.javalin.router.ParsedEndpoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Javalin's router with an index in front of its route matching.
 *
 * <p>Javalin tries every route of a method in registration order, one regular expression each, and
 * does so several times per request (before-filters, the endpoint, after-filters). Every Delega route
 * exists under {@code /api} and {@code /v1}, so a {@code GET /api/tasks/7} used to try dozens of
 * patterns. This router narrows the candidates by the path's first two segments before Javalin's own
 * matching runs on them: a route whose first two segments are plain words ({@code /api/tasks/{id}})
 * can only match a path that starts with those two words. Routes that start with a parameter, a
 * wildcard or any other character are candidates for every path. Candidates keep their registration
 * order, so the first match is the one Javalin would have found. It assumes Javalin's default
 * case-sensitive routes.
 */
final class IndexedRouter extends InternalRouter {
  private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_-]+");

  private volatile Map<HandlerType, Index> indexes;

  IndexedRouter(JavalinState state) {
    super(state.wsRouter, state.eventManager, state.router, state.jetty);
  }

  @Override
  public InternalRouter addHttpEndpoint(Endpoint endpoint) {
    InternalRouter r = super.addHttpEndpoint(endpoint);
    indexes = null;
    return r;
  }

  @Override
  public boolean hasHttpHandlerEntry(HandlerType type, String path) {
    return findFirstHttpHandlerEntry(type, path) != null;
  }

  @Override
  public ParsedEndpoint findFirstHttpHandlerEntry(HandlerType type, String path) {
    for (ParsedEndpoint e : candidates(type, path)) {
      if (matches(e, path)) {
        return e;
      }
    }
    return null;
  }

  @Override
  public List<ParsedEndpoint> findHttpHandlerEntries(HandlerType type, String path) {
    List<ParsedEndpoint> found = new ArrayList<>(2);
    for (ParsedEndpoint e : candidates(type, path)) {
      if (matches(e, path)) {
        found.add(e);
      }
    }
    return found;
  }

  private static boolean matches(ParsedEndpoint e, String path) {
    String p = e.endpoint.path;
    return p.equals("*") || p.equals(path) || e.matches(path);
  }

  private List<ParsedEndpoint> candidates(HandlerType type, String path) {
    Map<HandlerType, Index> all = indexes;
    if (all == null) {
      all = build();
      indexes = all;
    }
    Index index = all.get(type);
    return index == null ? List.of() : index.candidates(path);
  }

  private Map<HandlerType, Index> build() {
    Map<HandlerType, List<ParsedEndpoint>> byType = new HashMap<>();
    for (ParsedEndpoint e : allHttpHandlers()) {
      byType.computeIfAbsent(e.endpoint.method, t -> new ArrayList<>()).add(e);
    }
    Map<HandlerType, Index> built = new HashMap<>();
    byType.forEach((type, endpoints) -> built.put(type, Index.of(endpoints)));
    return built;
  }

  /** One method's routes, grouped by their leading plain segments. */
  private record Index(
      Map<String, List<ParsedEndpoint>> byTwo, Map<String, List<ParsedEndpoint>> byOne, List<ParsedEndpoint> rest) {

    static Index of(List<ParsedEndpoint> endpoints) {
      Map<ParsedEndpoint, Integer> order = new IdentityHashMap<>();
      Map<String, List<ParsedEndpoint>> two = new HashMap<>();
      Map<String, List<ParsedEndpoint>> one = new HashMap<>();
      List<ParsedEndpoint> rest = new ArrayList<>();
      for (ParsedEndpoint e : endpoints) {
        order.put(e, order.size());
        List<String> words = leadingWords(e.endpoint.path);
        if (words.size() >= 2) {
          two.computeIfAbsent(words.get(0) + "/" + words.get(1), k -> new ArrayList<>()).add(e);
        } else if (words.size() == 1) {
          one.computeIfAbsent(words.get(0), k -> new ArrayList<>()).add(e);
        } else {
          rest.add(e);
        }
      }
      Comparator<ParsedEndpoint> registration = Comparator.comparing(order::get);
      // Each list a path can select is merged ahead of time with the lists that also apply to it.
      Map<String, List<ParsedEndpoint>> byOne = new HashMap<>();
      Map<String, List<ParsedEndpoint>> byTwo = new HashMap<>();
      for (String first : union(one.keySet(), firstWords(two.keySet()))) {
        byOne.put(first, merged(registration, one.getOrDefault(first, List.of()), rest));
      }
      two.forEach((key, list) -> byTwo.put(key, merged(registration, list, byOne.get(key.substring(0, key.indexOf('/'))))));
      return new Index(Map.copyOf(byTwo), Map.copyOf(byOne), List.copyOf(rest));
    }

    List<ParsedEndpoint> candidates(String path) {
      int s0 = skipSlashes(path, 0);
      int e0 = segmentEnd(path, s0);
      if (s0 == e0) {
        return rest;
      }
      int s1 = skipSlashes(path, e0);
      int e1 = segmentEnd(path, s1);
      if (s1 < e1) {
        List<ParsedEndpoint> hit = byTwo.get(path.substring(s0, e0) + "/" + path.substring(s1, e1));
        if (hit != null) {
          return hit;
        }
      }
      List<ParsedEndpoint> hit = byOne.get(path.substring(s0, e0));
      return hit != null ? hit : rest;
    }

    private static int skipSlashes(String path, int i) {
      while (i < path.length() && path.charAt(i) == '/') {
        i++;
      }
      return i;
    }

    private static int segmentEnd(String path, int i) {
      int slash = path.indexOf('/', i);
      return slash < 0 ? path.length() : slash;
    }

    /** The route's first segments (at most two) while they are plain words. */
    private static List<String> leadingWords(String routePath) {
      List<String> words = new ArrayList<>(2);
      if (!routePath.startsWith("/")) {
        return words;
      }
      for (String segment : routePath.substring(1).split("/", -1)) {
        if (words.size() == 2 || !WORD.matcher(segment).matches()) {
          break;
        }
        words.add(segment);
      }
      return words;
    }

    private static List<String> firstWords(java.util.Set<String> twoKeys) {
      return twoKeys.stream().map(k -> k.substring(0, k.indexOf('/'))).toList();
    }

    private static java.util.Set<String> union(java.util.Collection<String> a, java.util.Collection<String> b) {
      java.util.Set<String> s = new java.util.HashSet<>(a);
      s.addAll(b);
      return s;
    }

    @SafeVarargs
    private static List<ParsedEndpoint> merged(Comparator<ParsedEndpoint> order, List<ParsedEndpoint>... lists) {
      List<ParsedEndpoint> all = new ArrayList<>();
      for (List<ParsedEndpoint> l : lists) {
        all.addAll(l);
      }
      all.sort(order);
      return List.copyOf(all);
    }
  }
}
