package dev.delega.server.context;

import static dev.delega.server.conformance.Fleet.body;
import static dev.delega.server.conformance.Fleet.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.api.Evidence;
import dev.delega.api.NewLink;
import dev.delega.api.Task;
import dev.delega.api.TaskLink;
import dev.delega.server.conformance.Fleet;
import dev.delega.server.conformance.Fleet.Actor;
import dev.delega.server.testing.DelegaServerExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Links to code with their {@code task.linked} event, and evidence-required completion; run on
 * SQLite and PostgreSQL by the subclasses.
 */
abstract class LinksAndEvidenceContract {
  abstract DelegaServerExtension server();

  Fleet fleet() {
    return new Fleet(server());
  }

  @Test
  void linksAreAddedListedVersionedAndAnnouncedAsTaskLinked() {
    Actor a = fleet().worker("links");
    long id = Fleet.task(a, Fleet.unique("linked task"));
    long before = a.client().tasks().get(id).version();

    TaskLink pr = a.client().tasks().addLink(id, new NewLink("pr", "delega-dev/delega", "42", "https://github.com/delega-dev/delega/pull/42"));
    JsonNode branch = expect(a.send("POST", "/tasks/" + id + "/links", body("kind", "branch", "repo", null, "ref", "feat/memory", "url", null)), 200);
    TaskLink again = a.client().tasks().addLink(id, new NewLink("pr", "delega-dev/delega", "42", "https://github.com/delega-dev/delega/pull/42"));
    TaskLink url = a.client().tasks().addLink(id, new NewLink("url", null, null, "https://example.com/design"));

    assertThat(pr.kind()).isEqualTo("pr");
    assertThat(pr.repo()).isEqualTo("delega-dev/delega");
    assertThat(pr.ref()).isEqualTo("42");
    assertThat(pr.taskId()).isEqualTo(id);
    assertThat(branch.get("repo").isNull()).isTrue();
    assertThat(branch.get("url").isNull()).isTrue();
    assertThat(again.id()).isEqualTo(pr.id());
    assertThat(url.ref()).isEqualTo("https://example.com/design");
    assertThat(a.client().tasks().links(id)).extracting(TaskLink::kind).containsExactly("pr", "branch", "url");
    assertThat(a.client().tasks().get(id).version()).isEqualTo(before + 3);
    JsonNode events = expect(a.send("GET", "/tasks/" + id + "/events", null), 200);
    List<JsonNode> linked = new java.util.ArrayList<>();
    events.forEach(e -> {
      if (e.get("type").asString().equals("task.linked")) {
        linked.add(e);
      }
    });
    assertThat(linked).hasSize(3);
    assertThat(linked.get(0).get("changes").get("link").get("after").get("ref").asString()).isEqualTo("42");
    assertThat(linked.get(0).get("actor_agent_id").asLong()).isEqualTo(a.id());
  }

  @Test
  void badLinksAre422AndOnlyThoseWhoMayChangeTheTaskAddThem() {
    Actor owner = fleet().worker("links");
    Actor stranger = fleet().worker("links");
    Actor reader = fleet().reader("links");
    long id = Fleet.task(owner, Fleet.unique("linked task"));
    String path = "/tasks/" + id + "/links";

    assertThat(expect(owner.send("POST", path, body("kind", "ticket", "ref", "X-1")), 422).get("error").asString())
        .contains("branch, commit, pr, url");
    assertThat(owner.send("POST", path, body("kind", "commit")).status()).isEqualTo(422);
    assertThat(owner.send("POST", path, body("kind", "url", "url", "ftp://example.com/x")).status()).isEqualTo(422);
    assertThat(owner.send("POST", path, body("kind", "commit", "ref", "x".repeat(501))).status()).isEqualTo(422);
    assertThat(stranger.send("POST", path, body("kind", "commit", "ref", "abc")).status()).isEqualTo(404);
    assertThat(stranger.send("GET", path, null).status()).isEqualTo(404);
    assertThat(reader.send("POST", path, body("kind", "commit", "ref", "abc")).status()).isEqualTo(403);
    assertThat(expect(reader.send("GET", path, null), 200).isEmpty()).isTrue();
  }

  @Test
  void requiredEvidenceNeedsOneStrongKindAndIsReturnedAsCompletionEvidence() {
    Actor a = fleet().worker("evidence");
    long id = Fleet.task(a, body("content", Fleet.unique("needs proof"), "evidence_policy", "required")).get("id").asLong();
    String complete = "/tasks/" + id + "/complete";

    JsonNode none = expect(a.send("POST", complete, null), 422);
    JsonNode weak = expect(a.send("POST", complete, body("evidence", List.of(body("kind", "command_output", "ref", "make test", "summary", "ok")))), 422);
    JsonNode badKind = expect(a.send("POST", complete, body("evidence", List.of(body("kind", "vibes", "ref", "x")))), 422);
    JsonNode viaPut = expect(a.send("PUT", "/tasks/" + id, body("status", "completed")), 422);
    assertThat(a.client().tasks().get(id).completed()).isFalse();

    Task done = a.client().tasks().complete(id, List.of(
        new Evidence("command_output", "make test", "412 passed"),
        new Evidence("commit", "abc1234", "the fix")));

    assertThat(none.get("code").asString()).isEqualTo("evidence_required");
    assertThat(none.get("error").asString()).contains("evidence_policy=required");
    assertThat(weak.get("code").asString()).isEqualTo("evidence_required");
    assertThat(weak.get("error").asString()).contains("command_output alone is not enough");
    assertThat(badKind.get("error").asString()).contains("evidence kind must be one of");
    assertThat(viaPut.get("code").asString()).isEqualTo("evidence_required");
    assertThat(done.completed()).isTrue();
    assertThat(done.evidencePolicy()).isEqualTo("required");
    assertThat(done.completionEvidence()).containsExactly(
        new Evidence("command_output", "make test", "412 passed"), new Evidence("commit", "abc1234", "the fix"));
    assertThat(a.client().tasks().get(id).completionEvidence()).hasSize(2);
    JsonNode raw = expect(a.send("GET", "/tasks/" + id, null), 200);
    assertThat(raw.get("completion_evidence").get(1).get("kind").asString()).isEqualTo("commit");
  }

  @Test
  void withoutThePolicyEvidenceIsOptionalButKeptWhenGiven() {
    Actor a = fleet().worker("evidence");
    long plain = Fleet.task(a, Fleet.unique("no policy"));
    long proved = Fleet.task(a, Fleet.unique("no policy, proof anyway"));

    Task p = a.client().tasks().complete(plain);
    Task q = a.client().tasks().complete(proved, List.of(new Evidence("ci_check", "build #7", null)));

    assertThat(p.completed()).isTrue();
    assertThat(p.completionEvidence() == null || p.completionEvidence().isEmpty()).isTrue();
    assertThat(q.completionEvidence()).containsExactly(new Evidence("ci_check", "build #7", null));
    assertThat(expect(a.send("PUT", "/tasks/" + Fleet.task(a, Fleet.unique("set policy")), body("evidence_policy", "always")), 422))
        .isNotNull();
  }
}
