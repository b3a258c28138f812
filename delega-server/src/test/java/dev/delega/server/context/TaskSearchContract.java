package dev.delega.server.context;

import static dev.delega.server.conformance.Fleet.body;
import static dev.delega.server.conformance.Fleet.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.api.Task;
import dev.delega.client.TaskQuery;
import dev.delega.server.conformance.Fleet;
import dev.delega.server.conformance.Fleet.Actor;
import dev.delega.server.testing.DelegaServerExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The full-text {@code search} filter of {@code GET /tasks}: the same matching and ranking contract
 * on SQLite FTS5 and PostgreSQL text search (run by the subclasses). Each test uses a fresh worker,
 * who sees only its own tasks.
 */
abstract class TaskSearchContract {
  abstract DelegaServerExtension server();

  Fleet fleet() {
    return new Fleet(server());
  }

  private static long task(Actor a, String content, String description) {
    return Fleet.task(a, body("content", content, "description", description)).get("id").asLong();
  }

  private static List<Long> search(Actor a, String q) {
    JsonNode list = expect(a.send("GET", "/tasks?include_completed=true&search=" + URLEncoder.encode(q, StandardCharsets.UTF_8), null), 200);
    List<Long> ids = new java.util.ArrayList<>();
    list.forEach(t -> ids.add(t.get("id").asLong()));
    return ids;
  }

  @Test
  void matchesContentAndDescriptionWithStemmingAndEveryWordRequired() {
    Actor a = fleet().worker("search");
    long deploy = task(a, "Deploy the billing service", "after the database migrations ran");
    long migrate = task(a, "Migrate invoices", "billing data moves to the new cluster");
    long unrelated = task(a, "Water the plants", null);

    assertThat(search(a, "billing")).containsExactlyInAnyOrder(deploy, migrate);
    assertThat(search(a, "migration")).containsExactlyInAnyOrder(deploy, migrate);
    assertThat(search(a, "deploying services")).containsExactly(deploy);
    assertThat(search(a, "billing cluster")).containsExactly(migrate);
    assertThat(search(a, "BILLING")).hasSize(2);
    assertThat(search(a, "plants")).containsExactly(unrelated);
    assertThat(search(a, "nothing-like-this")).isEmpty();
  }

  @Test
  void phrasesExclusionsAndOrFollowWebsearchSyntax() {
    Actor a = fleet().worker("search");
    long red = task(a, "paint the red door", null);
    long blue = task(a, "paint the door red and blue", null);
    long green = task(a, "green fence", null);

    assertThat(search(a, "\"red door\"")).containsExactly(red);
    assertThat(search(a, "paint -blue")).containsExactly(red);
    assertThat(search(a, "blue or fence")).containsExactlyInAnyOrder(blue, green);
    assertThat(search(a, "the")).isEmpty();
  }

  @Test
  void contentMatchesRankAboveDescriptionMatches() {
    Actor a = fleet().worker("search");
    long inDescription = task(a, "Quarterly chores", "renew the certificate for the api gateway");
    long inContent = task(a, "Renew the certificate", "yearly chore");
    long both = task(a, "Certificate renewal for the gateway", "the certificate expires soon");

    List<Long> ranked = search(a, "certificate");

    assertThat(ranked).hasSize(3);
    assertThat(ranked.indexOf(inDescription)).isEqualTo(2);
    assertThat(ranked.subList(0, 2)).containsExactlyInAnyOrder(inContent, both);
    List<Task> viaSdk = a.client().tasks().list(TaskQuery.create().search("certificate"));
    assertThat(viaSdk.get(viaSdk.size() - 1).id()).isEqualTo(inDescription);
  }

  @Test
  void theIndexFollowsUpdatesAndDeletes() {
    Actor a = fleet().worker("search");
    long id = task(a, "feed the cat", null);
    expect(a.send("PUT", "/tasks/" + id, body("content", "feed the dog", "description", "kibble")), 200);

    assertThat(search(a, "cat")).isEmpty();
    assertThat(search(a, "dog kibble")).containsExactly(id);

    expect(a.send("DELETE", "/tasks/" + id, null), 200);
    assertThat(search(a, "dog")).isEmpty();
  }

  @Test
  void searchCombinesWithOtherFiltersAndPagination() {
    Actor a = fleet().worker("search");
    long urgent = Fleet.task(a, body("content", "fix the login outage", "priority", 4)).get("id").asLong();
    task(a, "document the login flow", null);

    JsonNode page = expect(a.send("GET", "/tasks?search=login&include=pagination&limit=1", null), 200);

    assertThat(search(a, "login")).hasSize(2);
    assertThat(expect(a.send("GET", "/tasks?search=login&priority=4", null), 200).get(0).get("id").asLong()).isEqualTo(urgent);
    assertThat(page.get("total").asLong()).isEqualTo(2);
    assertThat(page.get("items").size()).isEqualTo(1);
    assertThat(page.get("has_more").asBoolean()).isTrue();
  }

  @Test
  void anyInputIsSafe() {
    Actor a = fleet().worker("search");
    task(a, "plain task", null);
    for (String q : List.of("\"", "NEAR(a b", "*", "AND OR NOT", "content:plain", "'; DROP TABLE tasks; --", "\\", "(((", "-",
        "^plain", "plain*", "a:b:c", "!!", "&|")) {
      assertThat(a.send("GET", "/tasks?search=" + URLEncoder.encode(q, StandardCharsets.UTF_8), null).status()).as(q).isEqualTo(200);
    }
    assertThat(search(a, "plain*")).hasSize(1);
  }
}
