package dev.delega.cli;

/**
 * A failure the user can fix (bad flag value, missing key, refused confirmation): its message is
 * printed on stderr and the command exits with 1.
 */
final class CliException extends RuntimeException {
  CliException(String message) {
    super(message);
  }

  CliException(String message, Throwable cause) {
    super(message, cause);
  }
}
