package dev.delega.client;

import dev.delega.api.Json;
import dev.delega.api.Problem;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.type.TypeReference;

/**
 * The server answered with an error status; the message is the server's {@code error}, and {@link
 * #status()}, {@link #code()} and the full {@link #problem()} (including fields beyond the standard
 * four) say more. Statuses with a specific meaning have their own subclass; any other status (405,
 * 410…) is reported as this class itself.
 */
public sealed class DelegaApiException extends DelegaException
    permits AuthenticationException,
        ForbiddenException,
        NotFoundException,
        ConflictException,
        ValidationException,
        PreconditionFailedException,
        PayloadTooLargeException,
        RateLimitedException,
        ServerException {

  private final transient RawResponse response;
  private final transient Problem problem;

  DelegaApiException(RawResponse response, Problem problem) {
    super(problem.getError());
    this.response = response;
    this.problem = problem;
  }

  /** Maps an error answer to the exception for its status. */
  static DelegaApiException from(RawResponse response, Clock clock) {
    Problem problem = response.problem();
    int status = response.status();
    return switch (status) {
      case 400, 422 -> new ValidationException(response, problem);
      case 401 -> new AuthenticationException(response, problem);
      case 403 -> new ForbiddenException(response, problem);
      case 404 -> new NotFoundException(response, problem);
      case 409 -> new ConflictException(response, problem);
      case 412 -> new PreconditionFailedException(response, problem);
      case 413 -> new PayloadTooLargeException(response, problem);
      case 429 ->
          new RateLimitedException(
              response,
              problem,
              response.header("Retry-After").map(v -> RetryAfter.parse(v, clock)).orElse(null));
      default ->
          status >= 500
              ? new ServerException(response, problem)
              : new DelegaApiException(response, problem);
    };
  }

  /** The HTTP status. */
  public int status() {
    return response.status();
  }

  /**
   * The stable machine-readable code, for example {@code version_conflict} or {@code
   * claim_required}.
   */
  public String code() {
    return problem.getCode();
  }

  /** The whole error body. */
  public Problem problem() {
    return problem;
  }

  /** The error body's fields beyond {@code error, code, status, detail}. */
  public Map<String, Object> extra() {
    return problem.getExtra();
  }

  /** One extra field converted to a type, or null when absent. */
  public <T> T extra(String field, Class<T> type) {
    Object value = problem.getExtra().get(field);
    return value == null ? null : Json.mapper().convertValue(value, type);
  }

  /** One extra field converted to a generic type, or null when absent. */
  public <T> T extra(String field, TypeReference<T> type) {
    Object value = problem.getExtra().get(field);
    return value == null ? null : Json.mapper().convertValue(value, type);
  }

  /** The first value of a response header, compared case-insensitively. */
  public Optional<String> header(String name) {
    return response.header(name);
  }

  /** The raw answer: status, headers and body bytes. */
  public RawResponse response() {
    return response;
  }
}
