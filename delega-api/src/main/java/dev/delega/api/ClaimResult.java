package dev.delega.api;

/**
 * The answer of a claim: the claimed task with its lease, or a null {@code task} when the queue is
 * empty.
 */
public record ClaimResult(Task task) {
  /** Whether a task was claimed. */
  public boolean claimed() {
    return task != null;
  }
}
