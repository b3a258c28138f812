package dev.delega.server.webhook;

import java.time.Instant;

/** What became of one delivery attempt, as recorded in the outbox. */
sealed interface Outcome {
  /** The receiver answered 2xx; the delivery is done. */
  record Delivered(int attempt) implements Outcome {}

  /** The attempt failed; the delivery will be tried again at {@code at}. */
  record Retry(int attempt, Instant at) implements Outcome {}

  /**
   * The attempt failed and no retry is left (schedule exhausted, test ping, manual attempt past the
   * schedule); {@code disabledWebhook} when this failure switched the webhook off.
   */
  record GaveUp(int attempt, String reason, boolean disabledWebhook) implements Outcome {}

  /**
   * Nothing was sent: the delivery is gone, finished, or leased to another server process, or its
   * webhook is inactive.
   */
  record Skipped(String why) implements Outcome {}
}
