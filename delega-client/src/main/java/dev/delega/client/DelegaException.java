package dev.delega.client;

/**
 * The unchecked root of every failure the Delega SDK reports: {@link DelegaApiException} when the
 * server answered with an error status, {@link DelegaTransportException} when no usable answer came
 * back.
 */
public class DelegaException extends RuntimeException {
  /** A failure with a message. */
  public DelegaException(String message) {
    super(message);
  }

  /** A failure with a message and its cause. */
  public DelegaException(String message, Throwable cause) {
    super(message, cause);
  }
}
