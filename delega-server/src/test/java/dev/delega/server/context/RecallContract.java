package dev.delega.server.context;

import static dev.delega.server.conformance.Fleet.body;
import static dev.delega.server.conformance.Fleet.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.api.RecallHit;
import dev.delega.api.RecallResult;
import dev.delega.client.ContextWrite;
import dev.delega.client.RecallQuery;
import dev.delega.server.conformance.Fleet;
import dev.delega.server.conformance.Fleet.Actor;
import dev.delega.server.testing.DelegaServerExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Recall ({@code GET /context/search}) over the context ledger: ranking, visibility, filters,
 * superseded values and the query language; run on SQLite and PostgreSQL by the subclasses. Every
 * test works with fresh agents, so what other tests wrote is invisible to it.
 */
abstract class RecallContract {
  abstract DelegaServerExtension server();

  Fleet fleet() {
    return new Fleet(server());
  }

  private static long taskWith(Actor a, Map<String, ?> context, String source) {
    long id = Fleet.task(a, Fleet.unique("recall task"));
    a.client().tasks().patchContext(id, context, source == null ? ContextWrite.none() : ContextWrite.none().withSource(source));
    return id;
  }

  private static List<Long> taskIds(RecallResult r) {
    return r.results().stream().map(RecallHit::taskId).toList();
  }

  @Test
  void humanStatedOutranksOtherSourcesForTheSameText() {
    Actor a = fleet().worker("recall");
    long inferred = taskWith(a, Map.of("decision", "store the ledger in postgres"), "agent_inferred");
    long human = taskWith(a, Map.of("decision", "store the ledger in postgres"), "human_stated");
    long observed = taskWith(a, Map.of("decision", "store the ledger in postgres"), "agent_observed");
    taskWith(a, Map.of("decision", "keep the ledger in sqlite"), "human_stated");

    RecallResult r = a.client().recall("postgres ledger");

    assertThat(r.query()).isEqualTo("postgres ledger");
    assertThat(r.count()).isEqualTo(3);
    assertThat(taskIds(r)).containsExactly(human, observed, inferred);
    assertThat(r.results()).extracting(RecallHit::score).isSortedAccordingTo((x, y) -> Double.compare(y, x));
    assertThat(r.results().get(0).score()).isGreaterThan(r.results().get(2).score());
    RecallHit top = r.results().get(0);
    assertThat(top.key()).isEqualTo("decision");
    assertThat(top.value()).isEqualTo("store the ledger in postgres");
    assertThat(top.source()).isEqualTo("human_stated");
    assertThat(top.taskContent()).startsWith("recall task");
  }

  @Test
  void keysAreSearchedAndValuesOfAnyJsonTypeComeBackAsJson() {
    Actor a = fleet().worker("recall");
    long id = taskWith(a, Map.of("deployTarget", Map.of("region", "frankfurt", "replicas", 3)), null);

    RecallResult byKey = a.client().recall("deploy target");
    RecallResult byNested = a.client().recall("frankfurt");

    assertThat(taskIds(byKey)).containsExactly(id);
    assertThat(byKey.results().get(0).value()).isEqualTo(Map.of("region", "frankfurt", "replicas", 3));
    assertThat(taskIds(byNested)).containsExactly(id);
  }

  @Test
  void onlyTasksTheCallerMaySeeAreSearched() {
    Actor a = fleet().worker("recall");
    Actor b = fleet().worker("recall");
    Actor coordinator = fleet().coordinator("recall");
    String word = "kumquat" + Fleet.unique("w").replaceAll("[^0-9]", "x");
    long mine = taskWith(a, Map.of("fruit", word), null);
    long theirs = taskWith(b, Map.of("fruit", word), null);

    assertThat(taskIds(a.client().recall(word))).containsExactly(mine);
    assertThat(taskIds(b.client().recall(word))).containsExactly(theirs);
    assertThat(taskIds(coordinator.client().recall(word))).containsExactlyInAnyOrder(mine, theirs);
  }

  @Test
  void projectSourceKeyAndLimitFilter() {
    Actor admin = fleet().admin();
    Actor a = fleet().worker("recall");
    long project = expect(admin.send("POST", "/projects", Map.of("name", Fleet.unique("recall project"))), 201).get("id").asLong();
    long inProject = Fleet.task(a, body("content", Fleet.unique("in project"), "project_id", project)).get("id").asLong();
    a.client().tasks().patchContext(inProject, Map.of("runbook", "restart the walrus service"), ContextWrite.none().withSource("imported"));
    long other = taskWith(a, Map.of("runbook", "feed the walrus", "notes", "walrus is hungry"), "human_stated");

    assertThat(taskIds(a.client().recall(RecallQuery.of("walrus").projectId(project)))).containsExactly(inProject);
    assertThat(taskIds(a.client().recall(RecallQuery.of("walrus").source("imported")))).containsExactly(inProject);
    assertThat(a.client().recall(RecallQuery.of("walrus").key("notes")).results())
        .extracting(RecallHit::key).containsExactly("notes");
    assertThat(a.client().recall(RecallQuery.of("walrus")).count()).isEqualTo(3);
    assertThat(a.client().recall(RecallQuery.of("walrus").limit(2)).count()).isEqualTo(2);
    assertThat(taskIds(a.client().recall(RecallQuery.of("walrus").limit(1)))).containsExactly(other);
  }

  @Test
  void supersededValuesOnlyWhenAskedAndDeletionsNever() {
    Actor a = fleet().worker("recall");
    long id = taskWith(a, Map.of("engine", "sqlite"), null);
    a.client().tasks().patchContext(id, Map.of("engine", "postgres"));

    assertThat(a.client().recall("sqlite").count()).isZero();
    assertThat(a.client().recall(RecallQuery.of("sqlite").includeSuperseded(true)).results())
        .extracting(RecallHit::value).containsExactly("sqlite");
    assertThat(a.client().recall("postgres").count()).isEqualTo(1);

    a.client().tasks().patchContext(id, body("engine", null));

    assertThat(a.client().recall("postgres").count()).isZero();
    assertThat(a.client().recall(RecallQuery.of("engine").includeSuperseded(true)).results())
        .extracting(RecallHit::value).containsExactlyInAnyOrder("sqlite", "postgres");
  }

  @Test
  void theQueryLanguageStemsRequiresEveryWordAndKnowsPhrasesExclusionsAndOr() {
    Actor a = fleet().worker("recall");
    long migration = taskWith(a, Map.of("plan", "run the database migration tonight"), null);
    long backup = taskWith(a, Map.of("plan", "database backup before the migration"), null);
    long cache = taskWith(a, Map.of("plan", "warm the cache"), null);

    assertThat(taskIds(a.client().recall("migrations"))).containsExactlyInAnyOrder(migration, backup);
    assertThat(taskIds(a.client().recall("the migration of databases"))).containsExactlyInAnyOrder(migration, backup);
    assertThat(taskIds(a.client().recall("migration tonight"))).containsExactly(migration);
    assertThat(taskIds(a.client().recall("\"database migration\""))).containsExactly(migration);
    assertThat(taskIds(a.client().recall("migration -backup"))).containsExactly(migration);
    assertThat(taskIds(a.client().recall("tonight or cache"))).containsExactlyInAnyOrder(migration, cache);
    assertThat(a.client().recall("the").count()).isZero();
  }

  @Test
  void hostileQueriesAreJustWordsAndBadParametersAre422() {
    Actor a = fleet().worker("recall");
    taskWith(a, Map.of("k", "value"), null);
    for (String q : List.of("\"", "NEAR(a b", "*", "AND OR NOT", "key:value", "'; DROP TABLE tasks; --", "\\", "(((", "-",
        "^value", "value*", "{\"k\":1}")) {
      JsonNode r = expect(a.send("GET", "/context/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8), null), 200);
      assertThat(r.get("results").isArray()).as(q).isTrue();
    }

    assertThat(expect(a.send("GET", "/context/search", null), 422).get("error").asString()).contains("q");
    assertThat(a.send("GET", "/context/search?q=x&source=rumour", null).status()).isEqualTo(422);
    assertThat(a.send("GET", "/context/search?q=x&limit=0", null).status()).isEqualTo(422);
    assertThat(a.send("GET", "/context/search?q=x&limit=101", null).status()).isEqualTo(422);
    assertThat(a.send("GET", "/v1/context/search?q=value".replace("/v1", server().rootUrl() + "/v1"), null).status())
        .isEqualTo(200);
  }
}
