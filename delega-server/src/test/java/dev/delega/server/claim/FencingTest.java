package dev.delega.server.claim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.delega.api.ClaimRequest;
import dev.delega.api.NewTask;
import dev.delega.api.Task;
import dev.delega.client.ConflictException;
import dev.delega.client.DelegaApiException;
import dev.delega.client.DelegaClient;
import dev.delega.client.RequestOptions;
import dev.delega.server.testing.DelegaServerExtension;
import dev.delega.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A holder whose lease was taken over can no longer write: its token is older than the current one. */
class FencingTest {
  static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));

  @RegisterExtension static final DelegaServerExtension SERVER = new DelegaServerExtension().clock(CLOCK);

  final Crew crew = new Crew(SERVER);

  @Test
  void aStaleHolderCannotCompleteATaskTakenOverAfterItsLeaseRanOut() {
    Task t = crew.admin().tasks().create(NewTask.of("deploy the release"));
    DelegaClient a = crew.worker("a");
    DelegaClient b = crew.worker("b");
    long stale = a.tasks().claim(t.id(), ClaimRequest.lease(30)).task().leaseToken();
    CLOCK.advance(Duration.ofSeconds(45));
    long current = b.tasks().claim(t.id()).task().leaseToken();
    assertThat(current).isGreaterThan(stale);

    assertThatThrownBy(() -> a.tasks().complete(t.id(), List.of(), RequestOptions.lease(stale)))
        .isInstanceOfSatisfying(
            ConflictException.class,
            e -> {
              assertThat(e.code()).isEqualTo("lease_superseded");
              assertThat(e.extra()).containsEntry("lease_token", (int) current);
            });
    assertThatThrownBy(() -> a.tasks().heartbeat(t.id(), stale))
        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.code()).isEqualTo("lease_superseded"));
    assertThatThrownBy(() -> a.tasks().setState(t.id(), stale, "errored", "lost it"))
        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.code()).isEqualTo("lease_superseded"));
    assertThatThrownBy(() -> a.tasks().release(t.id(), stale, "take it"))
        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.code()).isEqualTo("lease_superseded"));
    assertThatThrownBy(() -> a.tasks().complete(t.id()))
        .isInstanceOf(DelegaApiException.class)
        .satisfies(e -> assertThat(((DelegaApiException) e).status()).isIn(403, 409));

    Task after = crew.admin().tasks().get(t.id());
    assertThat(after.completed()).isFalse();
    assertThat(after.claimedByAgentId()).isEqualTo(crew.id(b));
    assertThat(after.leaseToken()).isEqualTo(current);
    assertThat(b.tasks().complete(t.id(), List.of(), RequestOptions.lease(current)).completed()).isTrue();
  }

  @Test
  void aStaleTokenCannotWriteContextEither() {
    Task t = crew.admin().tasks().create(NewTask.of("write notes"));
    DelegaClient a = crew.worker("a");
    DelegaClient b = crew.worker("b");
    long stale = a.tasks().claim(t.id(), ClaimRequest.lease(30)).task().leaseToken();
    CLOCK.advance(Duration.ofSeconds(31));
    long current = b.tasks().claim(t.id()).task().leaseToken();

    assertThat(a.send("PATCH", "/tasks/" + t.id() + "/context?lease_token=" + stale, Map.of("step", "stale")).status())
        .isIn(403, 409);
    assertThat(b.send("PATCH", "/tasks/" + t.id() + "/context?lease_token=" + current, Map.of("step", "fresh")).status())
        .isEqualTo(200);
    assertThat(crew.admin().tasks().get(t.id()).context()).containsEntry("step", "fresh");
  }

  @Test
  void aTokenFromTheBodyIsCheckedLikeTheHeader() {
    Task t = crew.admin().tasks().create(NewTask.of("body token"));
    DelegaClient a = crew.worker("a");
    DelegaClient b = crew.worker("b");
    long stale = a.tasks().claim(t.id(), ClaimRequest.lease(30)).task().leaseToken();
    CLOCK.advance(Duration.ofSeconds(31));
    b.tasks().claim(t.id());

    var raw = a.send("POST", "/tasks/" + t.id() + "/heartbeat", Map.of("lease_token", stale));
    assertThat(raw.status()).isEqualTo(409);
    assertThat(raw.json().get("code").asString()).isEqualTo("lease_superseded");
  }
}
