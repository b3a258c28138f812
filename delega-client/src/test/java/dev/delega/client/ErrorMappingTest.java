package dev.delega.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.delega.api.DedupMatch;
import dev.delega.api.NewTask;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ErrorMappingTest {
  private static final Instant NOW = Instant.parse("2026-09-01T12:00:00Z");

  private final RecordingServer server = RecordingServer.start();
  private final DelegaClient client =
      DelegaClient.builder()
          .baseUrl(server.url())
          .apiKey("dlg_key")
          .retries(0)
          .clock(Clock.fixed(NOW, ZoneOffset.UTC))
          .build();

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  static Stream<Arguments> statuses() {
    return Stream.of(
        Arguments.of(400, "invalid_json", ValidationException.class),
        Arguments.of(401, "unauthorized", AuthenticationException.class),
        Arguments.of(403, "forbidden", ForbiddenException.class),
        Arguments.of(403, "claim_required", ForbiddenException.class),
        Arguments.of(404, "not_found", NotFoundException.class),
        Arguments.of(405, "method_not_allowed", DelegaApiException.class),
        Arguments.of(409, "lease_superseded", ConflictException.class),
        Arguments.of(412, "precondition_failed", PreconditionFailedException.class),
        Arguments.of(413, "payload_too_large", PayloadTooLargeException.class),
        Arguments.of(422, "idempotency_mismatch", ValidationException.class),
        Arguments.of(429, "rate_limited", RateLimitedException.class),
        Arguments.of(500, "internal", ServerException.class),
        Arguments.of(503, "unavailable", ServerException.class));
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @MethodSource("statuses")
  void eachStatusMapsToItsException(int status, String code, Class<?> type) {
    server.reply(
        status,
        "{\"error\":\"went wrong\",\"code\":\""
            + code
            + "\",\"status\":"
            + status
            + ",\"detail\":\"went wrong\"}");
    DelegaApiException e =
        catchThrowableOfType(DelegaApiException.class, () -> client.tasks().get(1));
    assertThat(e).isExactlyInstanceOf(type).hasMessage("went wrong");
    assertThat(e).isInstanceOf(DelegaException.class).isInstanceOf(RuntimeException.class);
    assertThat(e.status()).isEqualTo(status);
    assertThat(e.code()).isEqualTo(code);
    assertThat(e.problem().getDetail()).isEqualTo("went wrong");
  }

  @Test
  void claimRequiredIsRecognisable() {
    server.reply(
        403,
        "{\"error\":\"Claim it first: POST"
            + " /tasks/5/claim\",\"code\":\"claim_required\",\"status\":403}");
    ForbiddenException e =
        catchThrowableOfType(ForbiddenException.class, () -> client.tasks().complete(5));
    assertThat(e.claimRequired()).isTrue();
    assertThat(e.getMessage()).contains("/tasks/5/claim");
  }

  @Test
  void aVersionConflictCarriesTheCurrentContextAndVersion() {
    server.reply(
        409,
        "{\"error\":\"context is at version"
            + " 4\",\"code\":\"version_conflict\",\"status\":409,\"detail\":\"context is at version"
            + " 4\",\"version\":4,\"context\":{\"step\":\"b\",\"n\":2}}");
    ConflictException e =
        catchThrowableOfType(
            ConflictException.class,
            () -> client.tasks().patchContext(5, Map.of("step", "c"), ContextWrite.expecting(3)));
    assertThat(e.code()).isEqualTo("version_conflict");
    assertThat(e.version()).isEqualTo(4L);
    assertThat(e.context()).containsEntry("step", "b").containsEntry("n", 2);
    assertThat(e.extra()).containsKeys("version", "context");
    assertThat(e.extra("version", Integer.class)).isEqualTo(4);
    assertThat(e.matches()).isEmpty();
  }

  @Test
  void aDuplicateRefusalCarriesTheMatches() {
    server.reply(
        409,
        "{\"error\":\"looks like task 3\",\"code\":\"duplicate_task\",\"status\":409,"
            + "\"matches\":[{\"task_id\":3,\"content\":\"Deploy v2\",\"score\":0.91}]}");
    ConflictException e =
        catchThrowableOfType(
            ConflictException.class,
            () -> client.tasks().create(NewTask.builder("Deploy v2").dedupCheck(true).build()));
    assertThat(e.matches()).containsExactly(new DedupMatch(3, "Deploy v2", 0.91));
    assertThat(e.version()).isNull();
    assertThat(e.context()).isNull();
  }

  @Test
  void rateLimitedReadsRetryAfterSeconds() {
    server.reply(
        RecordingServer.Reply.with(
            429,
            Map.of("Retry-After", "7", "Content-Type", "application/json"),
            "{\"error\":\"slow down\",\"code\":\"rate_limited\",\"status\":429}"));
    RateLimitedException e =
        catchThrowableOfType(RateLimitedException.class, () -> client.tasks().list());
    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    assertThat(e.header("retry-after")).contains("7");
  }

  @Test
  void rateLimitedReadsRetryAfterAsAnHttpDate() {
    server.reply(
        RecordingServer.Reply.with(
            429, Map.of("Retry-After", "Tue, 01 Sep 2026 12:00:30 GMT"), "slow down"));
    RateLimitedException e =
        catchThrowableOfType(RateLimitedException.class, () -> client.tasks().list());
    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(e).hasMessage("slow down");
  }

  @Test
  void rateLimitedWithoutRetryAfterHasNoWait() {
    server.reply(429, "{\"error\":\"slow down\"}");
    RateLimitedException e =
        catchThrowableOfType(RateLimitedException.class, () -> client.tasks().list());
    assertThat(e.retryAfter()).isNull();
    assertThat(e.code()).as("derived from the status").isEqualTo("rate_limited");
  }

  @Test
  void bodiesThatAreNotProblemsStillGiveAMessage() {
    server.reply(RecordingServer.Reply.with(500, Map.of(), "Internal Server Error"));
    assertThatThrownBy(() -> client.tasks().get(1))
        .isExactlyInstanceOf(ServerException.class)
        .hasMessage("Internal Server Error");

    server.reply(404, "{\"detail\":\"Task not found\"}");
    NotFoundException notFound =
        catchThrowableOfType(NotFoundException.class, () -> client.tasks().get(1));
    assertThat(notFound).hasMessage("Task not found");
    assertThat(notFound.code()).isEqualTo("not_found");

    server.reply(422, "{\"detail\":[{\"loc\":[\"body\",\"content\"],\"msg\":\"blank\"}]}");
    ValidationException invalid =
        catchThrowableOfType(ValidationException.class, () -> client.tasks().get(1));
    assertThat(invalid).hasMessage("HTTP 422");
    assertThat(invalid.extra()).containsKey("detail");

    server.reply(400, "{\"message\":\"bad\"}");
    assertThatThrownBy(() -> client.tasks().get(1)).hasMessage("bad");

    server.reply(RecordingServer.Reply.with(502, Map.of(), ""));
    assertThatThrownBy(() -> client.tasks().get(1))
        .isExactlyInstanceOf(ServerException.class)
        .hasMessage("HTTP 502");
  }
}
