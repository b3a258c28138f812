package dev.delega.server.claim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.delega.api.ClaimRequest;
import dev.delega.api.Event;
import dev.delega.api.NewTask;
import dev.delega.api.Page;
import dev.delega.api.Task;
import dev.delega.api.TaskUpdate;
import dev.delega.client.ConflictException;
import dev.delega.client.DelegaClient;
import dev.delega.client.NotFoundException;
import dev.delega.client.RawResponse;
import dev.delega.client.TaskQuery;
import dev.delega.client.ValidationException;
import dev.delega.server.testing.DelegaServerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.core.type.TypeReference;

/** blocked_by, cycles, readiness, task.unblocked, the dependency routes and status transitions. */
class DependencyTest {
  @RegisterExtension static final DelegaServerExtension SERVER = new DelegaServerExtension();

  final Crew crew = new Crew(SERVER);

  private Task task(long project, String content, Long... blockers) {
    return crew.admin().tasks()
        .create(NewTask.builder(content).projectId(project).blockedBy(List.of(blockers)).build());
  }

  private Page<Task> readyPage(DelegaClient c, long project) {
    return c.call("GET", "/tasks/ready?include=pagination&project_id=" + project, null, new TypeReference<Page<Task>>() {});
  }

  @Test
  void aBlockedTaskIsNeitherReadyNorClaimableUntilItsLastBlockerCompletes() {
    long p = crew.project();
    Task schema = task(p, "migrate the schema");
    Task data = task(p, "copy the data");
    Task cutover = task(p, "cut over", schema.id(), data.id());
    DelegaClient w = crew.worker("w");

    assertThat(cutover.status()).isEqualTo("blocked");
    assertThat(cutover.blockedBy()).containsExactly(schema.id(), data.id());
    assertThat(w.tasks().ready(TaskQuery.create().projectId(p))).extracting(Task::id).containsExactly(schema.id(), data.id());

    crew.admin().tasks().complete(schema.id());
    Task half = crew.admin().tasks().get(cutover.id());
    assertThat(half.status()).isEqualTo("blocked");
    assertThat(half.blockedBy()).containsExactly(data.id());
    assertThat(crew.eventTypes(cutover.id())).doesNotContain("task.unblocked");

    crew.admin().tasks().complete(data.id());
    Task ready = crew.admin().tasks().get(cutover.id());
    assertThat(ready.status()).isEqualTo("open");
    assertThat(ready.blockedBy()).isEmpty();
    List<Event> events = crew.admin().tasks().events(cutover.id());
    assertThat(events).extracting(Event::type).containsOnlyOnce("task.unblocked");
    assertThat(events.stream().filter(e -> e.type().equals("task.unblocked")).findFirst().orElseThrow().changes())
        .containsEntry("unblocked_by_task_id", (int) data.id());
    assertThat(w.tasks().ready(TaskQuery.create().projectId(p))).extracting(Task::id).containsExactly(cutover.id());
    assertThat(w.tasks().claimNext(ClaimRequest.defaults().withProjectId(p)).task().id()).isEqualTo(cutover.id());
  }

  @Test
  void theQueueSkipsBlockedTasksEvenAtAHigherPriority() {
    long p = crew.project();
    Task blocker = crew.admin().tasks().create(NewTask.builder("low blocker").projectId(p).priority(1).build());
    crew.admin().tasks()
        .create(NewTask.builder("urgent but blocked").projectId(p).priority(4).blockedBy(List.of(blocker.id())).build());
    DelegaClient w = crew.worker("w");

    assertThat(w.tasks().claimNext(ClaimRequest.defaults().withProjectId(p)).task().id()).isEqualTo(blocker.id());
    assertThat(w.tasks().claimNext(ClaimRequest.defaults().withProjectId(p)).claimed()).isFalse();
  }

  @Test
  void aDependencyCycleIsRefusedNamingTheCycle() {
    long p = crew.project();
    Task a = task(p, "a");
    Task b = task(p, "b", a.id());
    Task c = task(p, "c", b.id());

    assertThatThrownBy(() -> crew.admin().tasks().update(a.id(), TaskUpdate.create().blockedBy(List.of(c.id()))))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> {
              assertThat(e.status()).isEqualTo(422);
              assertThat(e.code()).isEqualTo("dependency_cycle");
              assertThat(e.getMessage()).contains(a.id() + " → " + c.id() + " → " + b.id() + " → " + a.id());
            });
    assertThatThrownBy(() -> crew.admin().tasks().update(a.id(), TaskUpdate.create().blockedBy(List.of(a.id()))))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.code()).isEqualTo("dependency_cycle"));
    RawResponse viaRoute = crew.admin().send("POST", "/tasks/" + a.id() + "/dependencies", Map.of("blocked_by", c.id()));
    assertThat(viaRoute.status()).isEqualTo(422);
    assertThat(viaRoute.json().get("code").asString()).isEqualTo("dependency_cycle");
    assertThat(crew.admin().tasks().get(a.id()).blockedBy()).isEmpty();
  }

  @Test
  void dependenciesAreAddedOneOrManyAtATimeAndRemovedOneAtATime() {
    long p = crew.project();
    Task a = task(p, "a");
    Task b = task(p, "b");
    Task c = task(p, "c");
    Task t = task(p, "t");
    DelegaClient admin = crew.admin();

    RawResponse one = admin.send("POST", "/tasks/" + t.id() + "/dependencies", Map.of("blocked_by", String.valueOf(a.id())));
    assertThat(one.status()).isEqualTo(200);
    RawResponse many = admin.send("POST", "/tasks/" + t.id() + "/dependencies", Map.of("blocked_by", List.of(b.id(), c.id(), a.id())));
    assertThat(many.as(Task.class).blockedBy()).containsExactly(a.id(), b.id(), c.id());
    assertThat(many.as(Task.class).status()).isEqualTo("blocked");

    admin.send("DELETE", "/tasks/" + t.id() + "/dependencies/" + a.id());
    admin.send("DELETE", "/tasks/" + t.id() + "/dependencies/" + b.id());
    assertThat(crew.eventTypes(t.id())).doesNotContain("task.unblocked");
    RawResponse last = admin.send("DELETE", "/tasks/" + t.id() + "/dependencies/" + c.id());
    assertThat(last.as(Task.class).status()).isEqualTo("open");
    assertThat(last.as(Task.class).blockedBy()).isEmpty();
    assertThat(crew.eventTypes(t.id())).endsWith("task.unblocked");

    RawResponse missing = admin.send("DELETE", "/tasks/" + t.id() + "/dependencies/" + c.id());
    assertThat(missing.status()).isEqualTo(404);
    assertThat(admin.send("POST", "/tasks/" + t.id() + "/dependencies", Map.of()).status()).isEqualTo(422);
    assertThat(admin.send("POST", "/tasks/" + t.id() + "/dependencies", Map.of("blocked_by", 999_999)).status())
        .isEqualTo(422);
  }

  @Test
  void onlySomeoneWhoMayChangeTheTaskMayChangeItsDependencies() {
    long p = crew.project();
    Task a = task(p, "a");
    Task t = task(p, "t");
    DelegaClient w = crew.worker("w");
    DelegaClient plain = crew.plainWorker("plain");

    RawResponse forbidden = w.send("POST", "/tasks/" + t.id() + "/dependencies", Map.of("blocked_by", a.id()));
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.json().get("code").asString()).isEqualTo("claim_required");
    assertThat(plain.send("POST", "/tasks/" + t.id() + "/dependencies", Map.of("blocked_by", a.id())).status())
        .isEqualTo(404);
  }

  @Test
  void readyIsTheCallersQueueInClaimOrderWithPagination() {
    long p = crew.project();
    DelegaClient w = crew.worker("w");
    DelegaClient other = crew.worker("other");
    Task low = crew.admin().tasks().create(NewTask.builder("low").projectId(p).priority(1).build());
    Task high = crew.admin().tasks().create(NewTask.builder("high").projectId(p).priority(3).labels("x").build());
    Task mine = crew.admin().tasks().create(NewTask.builder("mine").projectId(p).priority(2).assignedToAgentId(crew.id(w)).build());
    crew.admin().tasks().create(NewTask.builder("theirs").projectId(p).priority(4).assignedToAgentId(crew.id(other)).build());
    Task held = crew.admin().tasks().create(NewTask.builder("held").projectId(p).priority(4).build());
    other.tasks().claim(held.id());

    assertThat(w.tasks().ready(TaskQuery.create().projectId(p))).extracting(Task::id).containsExactly(high.id(), mine.id(), low.id());
    assertThat(w.tasks().ready(TaskQuery.create().projectId(p).label("x"))).extracting(Task::id).containsExactly(high.id());
    Page<Task> page = readyPage(w, p);
    assertThat(page.total()).isEqualTo(3);
    assertThat(w.tasks().ready(TaskQuery.create().projectId(p).limit(1).offset(1))).extracting(Task::id).containsExactly(mine.id());
  }

  @Test
  void illegalStatusTransitionsAreRefusedNamingTheAllowedOnes() {
    Task t = crew.admin().tasks().create(NewTask.of("transitions"));
    crew.admin().tasks().complete(t.id());

    assertThatThrownBy(() -> crew.admin().tasks().update(t.id(), TaskUpdate.create().status("in_progress")))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> {
              assertThat(e.status()).isEqualTo(422);
              assertThat(e.code()).isEqualTo("invalid_transition");
              assertThat(e.extra().get("allowed")).isEqualTo(List.of("open"));
              assertThat(e.getMessage()).contains("allowed: open");
            });
    assertThat(crew.admin().tasks().update(t.id(), TaskUpdate.create().status("open")).status()).isEqualTo("open");
  }

  @Test
  void aClaimedTaskThatGetsANewBlockerGoesBackAsBlockedWhenReleased() {
    long p = crew.project();
    Task t = task(p, "t");
    Task blocker = task(p, "late blocker");
    DelegaClient w = crew.worker("w");
    long token = w.tasks().claim(t.id()).task().leaseToken();
    w.send("POST", "/tasks/" + t.id() + "/dependencies", Map.of("blocked_by", blocker.id()));

    Task released = w.tasks().release(t.id(), token, "waiting on the blocker");

    assertThat(released.status()).isEqualTo("blocked");
    assertThatThrownBy(() -> w.tasks().claim(t.id()))
        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.code()).isEqualTo("task_blocked"));
    assertThatThrownBy(() -> w.tasks().claim(999_999)).isInstanceOf(NotFoundException.class);
  }
}
