package dev.delega.client;

/**
 * No usable answer came back: the connection failed, the request timed out or was interrupted, or a
 * successful answer's body was not the JSON that was expected.
 */
public final class DelegaTransportException extends DelegaException {
  /** A transport failure with its cause. */
  public DelegaTransportException(String message, Throwable cause) {
    super(message, cause);
  }
}
