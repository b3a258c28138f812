package dev.delega.client;

import dev.delega.api.DedupMatch;
import dev.delega.api.Problem;
import java.util.List;
import java.util.Map;
import tools.jackson.core.type.TypeReference;

/**
 * 409: the request conflicts with the current state. The code says which conflict: {@code
 * version_conflict} (the current {@link #context()} and {@link #version()} are attached), {@code
 * lease_superseded}, {@code lease_held}, {@code duplicate_task} (with the {@link #matches()}),
 * {@code idempotency_answer_lost} (a request with this {@code Idempotency-Key} did its work but its
 * answer was lost; the body's {@code resource} and {@code id} name the result when known), or plain
 * {@code conflict}.
 */
public final class ConflictException extends DelegaApiException {
  private static final TypeReference<Map<String, Object>> CONTEXT = new TypeReference<>() {};
  private static final TypeReference<List<DedupMatch>> MATCHES = new TypeReference<>() {};

  ConflictException(RawResponse response, Problem problem) {
    super(response, problem);
  }

  /** The current version sent with a version conflict, or null. */
  public Long version() {
    return extra("version", Long.class);
  }

  /** The current context sent with a version conflict, or null. */
  public Map<String, Object> context() {
    return extra("context", CONTEXT);
  }

  /**
   * The similar open tasks sent with a {@code duplicate_task} refusal; empty when none were sent.
   */
  public List<DedupMatch> matches() {
    List<DedupMatch> matches = extra("matches", MATCHES);
    return matches == null ? List.of() : matches;
  }
}
