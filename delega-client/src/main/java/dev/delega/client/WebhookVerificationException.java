package dev.delega.client;

import java.util.Objects;

/** A webhook delivery failed signature verification; {@link #reason()} says which check failed. */
public final class WebhookVerificationException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Which check failed. */
  public enum Reason {
    /** A required header is absent or empty. */
    MISSING_HEADER,
    /** The signature header is not in the expected form. */
    BAD_SIGNATURE_FORMAT,
    /** The timestamp header cannot be read. */
    INVALID_TIMESTAMP,
    /** The timestamp is further from now than the tolerance, in the past or the future. */
    STALE_TIMESTAMP,
    /** No signature matches the body, timestamp and secret. */
    SIGNATURE_MISMATCH
  }

  private final Reason reason;

  /** An exception for {@code reason} with a short human message. */
  public WebhookVerificationException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** Which check failed. */
  public Reason reason() {
    return reason;
  }
}
