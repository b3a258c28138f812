package dev.delega.server.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one unchecked root of every expected failure; the HTTP layer maps each subclass to a status
 * and a stable machine-readable {@code code} in exactly one place.
 */
public abstract sealed class DelegaException extends RuntimeException
    permits DelegaException.BadRequest,
        DelegaException.InvalidJson,
        DelegaException.ValidationFailed,
        DelegaException.Unauthorized,
        DelegaException.Forbidden,
        DelegaException.NotFound,
        DelegaException.Conflict,
        DelegaException.PreconditionFailed,
        DelegaException.PayloadTooLarge,
        DelegaException.RateLimited,
        DelegaException.Unavailable {

  private final String code;
  private final Map<String, Object> extra = new LinkedHashMap<>();

  DelegaException(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  /** The stable snake_case code written into the error body. */
  public String code() {
    return code;
  }

  /** Fields written into the error body beside error, code, status and detail. */
  public Map<String, Object> extra() {
    return extra;
  }

  /** Adds a field to the error body. */
  public DelegaException with(String key, Object value) {
    extra.put(key, value);
    return this;
  }

  /** 400: the request is wrong in a way that is not a field validation. */
  public static final class BadRequest extends DelegaException {
    public BadRequest(String message) {
      super("bad_request", message);
    }

    public BadRequest(String code, String message) {
      super(code, message);
    }
  }

  /** 400: the body is not JSON, or not the JSON shape the route takes. */
  public static final class InvalidJson extends DelegaException {
    public InvalidJson(String message) {
      super("invalid_json", message);
    }
  }

  /** 422: a field has the wrong type, is missing, out of range, or the transition is not allowed. */
  public static final class ValidationFailed extends DelegaException {
    public ValidationFailed(String message) {
      super("validation_failed", message);
    }

    public ValidationFailed(String code, String message) {
      super(code, message);
    }
  }

  /** 401: no credentials, or credentials that do not identify an active agent. */
  public static final class Unauthorized extends DelegaException {
    public Unauthorized(String message) {
      super("unauthorized", message);
    }
  }

  /** 403: the caller is known but may not do this. */
  public static final class Forbidden extends DelegaException {
    public Forbidden(String message) {
      super("forbidden", message);
    }

    public Forbidden(String code, String message) {
      super(code, message);
    }
  }

  /** 404: no such resource, or one the caller may not see. */
  public static final class NotFound extends DelegaException {
    public NotFound(String message) {
      super("not_found", message);
    }
  }

  /** 409: the request conflicts with the current state. */
  public static final class Conflict extends DelegaException {
    public Conflict(String message) {
      super("conflict", message);
    }

    public Conflict(String code, String message) {
      super(code, message);
    }
  }

  /** 412: an {@code If-Match} precondition did not hold. */
  public static final class PreconditionFailed extends DelegaException {
    public PreconditionFailed(String message) {
      super("precondition_failed", message);
    }
  }

  /** 413: the body or a field is larger than allowed. */
  public static final class PayloadTooLarge extends DelegaException {
    public PayloadTooLarge(String message) {
      super("payload_too_large", message);
    }
  }

  /** 429: too many requests; {@code retryAfterSeconds} goes into {@code Retry-After}. */
  public static final class RateLimited extends DelegaException {
    private final long retryAfterSeconds;

    public RateLimited(String message, long retryAfterSeconds) {
      super("rate_limited", message);
      this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
      return retryAfterSeconds;
    }
  }

  /** 503: a part the request needs is not available (shutting down, store unreachable). */
  public static final class Unavailable extends DelegaException {
    public Unavailable(String message) {
      super("unavailable", message);
    }
  }
}
