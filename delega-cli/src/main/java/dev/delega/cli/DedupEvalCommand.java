package dev.delega.cli;

import dev.delega.api.Json;
import dev.delega.client.DelegaApiException;
import dev.delega.client.DelegaClient;
import dev.delega.server.ServerConfig;
import dev.delega.server.logging.LogLevels;
import dev.delega.server.logging.Logs;
import dev.delega.server.Wiring;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code delega dedup-eval DIR}: measures the duplicate detector on a labelled set. It loads the
 * corpus as tasks into a fresh server through the API (by default an in-process server on a
 * temporary SQLite file and a free port; with {@code --api-url}, an existing empty server), sends
 * every query to {@code POST /tasks/dedup}, and reports precision, recall, F1 and the flag rate per
 * kind (see {@link DedupScore}).
 */
@Command(
    name = "dedup-eval",
    description = "Score duplicate detection on a labelled set (corpus.tsv + queries.tsv) against a fresh server.",
    footer = {"", "Example: delega dedup-eval /work/shared/data/dedup-dev --threshold 0.6 --json"})
final class DedupEvalCommand extends DelegaCommand {
  @Parameters(paramLabel = "<dir>", description = "Directory holding corpus.tsv and queries.tsv.")
  String dir;

  @Option(names = "--threshold", paramLabel = "<0-1>", description = "Sent with every query (default: the server's).")
  Double threshold;

  @Option(names = "--dedup-mode", paramLabel = "<hybrid|lexical>", description = "Scorer of the in-process server (default: $DELEGA_DEDUP_MODE, else hybrid).")
  String dedupMode;

  @Option(names = "--details", description = "List every query scored wrongly.")
  boolean details;

  @Override
  int run() throws Exception {
    LabelledSet set = LabelledSet.load(session().resolve(dir));
    if (threshold != null && (threshold < 0 || threshold > 1)) {
      throw new CliException("--threshold must be between 0 and 1");
    }
    if (root().apiUrl() != null) {
      if (dedupMode != null) {
        throw new CliException("--dedup-mode configures the in-process server; the server at --api-url uses its own");
      }
      Target target = target();
      try (DelegaClient client = adminOf(target)) {
        return report(set, evaluate(client, set), target.apiUrl(), null);
      }
    }
    Path tmp = Files.createTempDirectory("delega-dedup-eval");
    if (System.getProperty("delega.log.level") == null && session().var("DELEGA_LOG_LEVEL") == null) {
      Logs.configure(Logs.format(), LogLevels.parse("warn"));
    }
    Map<String, String> env = new HashMap<>();
    env.put("DELEGA_HOST", "127.0.0.1");
    env.put("DELEGA_PORT", "0");
    env.put("DELEGA_DB_PATH", tmp.resolve("delega.db").toString());
    env.put("DELEGA_RATE_LIMIT_ENABLED", "false");
    String mode = dedupMode != null ? dedupMode : session().var("DELEGA_DEDUP_MODE");
    if (mode != null) {
      env.put("DELEGA_DEDUP_MODE", mode);
    }
    ServerConfig config;
    try {
      config = ServerConfig.fromEnv(env);
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
    progress("Starting a temporary server (" + config.dedupMode() + ") …");
    try (Wiring server = new Wiring(config, Clock.systemUTC())) {
      int port = server.start();
      String url = "http://127.0.0.1:" + port;
      try (DelegaClient client = adminOf(new Target(url, null, null))) {
        return report(set, evaluate(client, set), "in-process", config.dedupMode());
      }
    } finally {
      progressDone();
      deleteTree(tmp);
    }
  }

  /**
   * An admin client for a fresh server: bootstraps the first agent without a key (loopback), or
   * uses the configured key when the server already has agents. Refuses a server that has tasks.
   */
  private DelegaClient adminOf(Target target) {
    DelegaClient keyless = client(target.apiUrl(), null);
    String key;
    try {
      key = keyless.call("POST", "/agents", Map.of("name", "dedup-eval"), JsonNode.class).path("api_key").asString(null);
    } catch (DelegaApiException e) {
      if (target.apiKey() == null) {
        keyless.close();
        throw new CliException("The server at " + target.apiUrl() + " already has agents and no key is configured"
            + " (set DELEGA_API_KEY), or leave out --api-url to use a temporary server.");
      }
      key = target.apiKey();
    }
    keyless.close();
    DelegaClient admin = client(target.apiUrl(), key);
    JsonNode existing = admin.call("GET", "/tasks?include_completed=true&limit=1", null, JsonNode.class);
    if (existing.isArray() && !existing.isEmpty()) {
      admin.close();
      throw new CliException("The server at " + target.apiUrl() + " already has tasks; dedup-eval needs an empty one"
          + " (or leave out --api-url to use a temporary server).");
    }
    return admin;
  }

  private static DelegaClient client(String url, String key) {
    try {
      return DelegaClient.builder().baseUrl(url).apiKey(key).timeout(Duration.ofSeconds(120)).userAgent("delega-cli/" + Delega.VERSION).build();
    } catch (IllegalArgumentException e) {
      throw new CliException("Configuration error: " + e.getMessage());
    }
  }

  private DedupScore evaluate(DelegaClient client, LabelledSet set) throws InterruptedException {
    Map<Long, String> corpusIdOf = new HashMap<>();
    int i = 0;
    String last = null;
    for (Map.Entry<String, String> doc : set.corpus().entrySet()) {
      progress("Loading the corpus " + (++i) + "/" + set.corpus().size());
      JsonNode task = client.call("POST", "/tasks", Map.of("content", doc.getValue()), JsonNode.class);
      corpusIdOf.put(task.path("id").asLong(), doc.getKey());
      last = doc.getValue();
    }
    awaitIndexed(client, last);
    DedupScore score = new DedupScore();
    i = 0;
    for (LabelledSet.Query q : set.queries()) {
      progress("Scoring queries " + (++i) + "/" + set.queries().size());
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("content", q.text());
      if (threshold != null) {
        body.put("threshold", threshold);
      }
      JsonNode r = client.call("POST", "/tasks/dedup", body, JsonNode.class);
      boolean flagged = r.path("has_duplicates").asBoolean(false);
      JsonNode top = r.path("matches").path(0);
      String topId = top.isMissingNode() ? null : corpusIdOf.get(top.path("task_id").asLong());
      Double topScore = top.isMissingNode() ? null : top.path("score").asDouble();
      score.add(new DedupScore.Outcome(q, flagged, topId, topScore));
    }
    progressDone();
    return score;
  }

  /**
   * Waits (up to 30 s) until the last corpus task is its own duplicate, in case the server indexes
   * new tasks in the background.
   */
  private void awaitIndexed(DelegaClient client, String text) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode r = client.call("POST", "/tasks/dedup", Map.of("content", text), JsonNode.class);
      if (r.path("has_duplicates").asBoolean(false)) {
        return;
      }
      progress("Waiting for the server to index the corpus …");
      Thread.sleep(200);
    }
    session().err().println("Warning: an exact copy of a corpus task is not flagged as a duplicate; scoring anyway.");
  }

  private int report(LabelledSet set, DedupScore score, String server, String mode) {
    Map<String, DedupScore.Kind> kinds = score.kinds();
    if (json) {
      ObjectNode o = Json.mapper().createObjectNode();
      o.put("server", server);
      o.put("dedup_mode", mode);
      if (threshold != null) {
        o.put("threshold", threshold);
      } else {
        o.putNull("threshold");
      }
      o.put("corpus", set.corpus().size());
      o.put("queries", set.queries().size());
      o.put("precision", round(score.precision()));
      o.put("recall", round(score.recall()));
      o.put("f1", round(score.f1()));
      o.put("flagged", score.flagged());
      o.put("found", score.found());
      o.put("positives", score.positives());
      ObjectNode k = o.putObject("kinds");
      kinds.forEach((name, c) -> {
        ObjectNode n = k.putObject(name);
        n.put("queries", c.queries());
        n.put("flagged", c.flagged());
        n.put("flag_rate", round(c.flagRate()));
        n.put("found", c.found());
      });
      ArrayNode mistakes = o.putArray("mistakes");
      for (DedupScore.Outcome out : score.outcomes()) {
        if (out.mistake()) {
          ObjectNode m = mistakes.addObject();
          m.put("text", out.query().text());
          m.put("kind", out.query().kind());
          m.put("gold", out.query().gold());
          m.put("flagged", out.flagged());
          m.put("top", out.top());
          if (out.topScore() != null) {
            m.put("top_score", round(out.topScore()));
          }
        }
      }
      printer().json(o);
      return 0;
    }
    Printer p = printer();
    p.line(p.bold("Dedup evaluation") + ": " + set.queries().size() + " queries against " + set.corpus().size() + " tasks ("
        + ("in-process".equals(server) ? "temporary server, " + mode : server) + ", threshold "
        + (threshold == null ? "server default" : threshold) + ")");
    p.blank();
    p.field("Precision", String.format("%.3f", score.precision()) + p.dim("  (" + score.found() + " of " + score.flagged() + " flags right)"), 9);
    p.field("Recall", String.format("%.3f", score.recall()) + p.dim("  (" + score.found() + " of " + score.positives() + " duplicates found)"), 9);
    p.field("F1", p.bold(String.format("%.3f", score.f1())), 9);
    p.blank();
    List<List<String>> rows = new ArrayList<>();
    kinds.forEach((name, c) -> rows.add(List.of(name, String.valueOf(c.queries()), String.valueOf(c.flagged()),
        String.format("%.1f%%", 100 * c.flagRate()), set.queries().stream().anyMatch(q -> q.kind().equals(name) && q.gold() != null)
            ? String.valueOf(c.found()) : "")));
    p.table(List.of("KIND", "QUERIES", "FLAGGED", "FLAG RATE", "FOUND"), rows);
    if (details) {
      p.blank();
      p.line(p.bold("Mistakes"));
      for (DedupScore.Outcome out : score.outcomes()) {
        if (out.mistake()) {
          p.line("  [" + out.query().kind() + "] " + out.query().text());
          p.line(p.dim("      gold " + (out.query().gold() == null ? "-" : out.query().gold()) + ", "
              + (out.flagged() ? "flagged" : "not flagged") + (out.top() == null ? "" : ", top " + out.top()
              + String.format(" (%.2f)", out.topScore()) + ": " + Printer.clip(set.corpus().get(out.top()), 50))));
        }
      }
    }
    return 0;
  }

  private static double round(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
