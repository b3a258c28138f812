package dev.delega.server.recurrence;

import java.time.Instant;
import java.util.Optional;

/**
 * What a scheduler does with occurrences it missed while no server was running.
 *
 * <p>The only policy is {@link #LATEST_ONLY}: after an outage one task is spawned, for the most
 * recent missed occurrence, never one per missed occurrence (a daily rule down for ten days yields
 * one task, not ten), and {@code next_due_at} moves to {@link RecurrenceRule#nextAfter} {@code now}.
 * Exactly-once across nodes is the store's job: it should advance {@code next_due_at} with a
 * compare-and-set on the value it read ({@code … WHERE id = ? AND next_due_at = ?}) in the same
 * transaction that inserts the spawned task, so only the node whose update counted spawns.
 */
public enum CatchUp {
  /** Spawn once, for the latest due occurrence; skip the older ones. */
  LATEST_ONLY;

  /** Missed occurrences are counted up to this many; {@link Spawn#skipped()} saturates here. */
  public static final int MAX_COUNTED_SKIPS = 10_000;

  /**
   * What to spawn now.
   *
   * @param rule the recurrence
   * @param nextDueAt the stored {@code next_due_at} (due even when it is off the rule's grid)
   * @param now the current time
   * @return empty when nothing is due yet ({@code nextDueAt} after {@code now}); otherwise the one
   *     occurrence to spawn a task for, how many older due occurrences are skipped, and the new
   *     {@code next_due_at} (strictly after {@code now})
   */
  public Optional<Spawn> plan(RecurrenceRule rule, Instant nextDueAt, Instant now) {
    if (nextDueAt.isAfter(now)) {
      return Optional.empty();
    }
    Instant latest = rule.latestAtOrBefore(now).filter(t -> t.isAfter(nextDueAt)).orElse(nextDueAt);
    int skipped = 0;
    if (latest.isAfter(nextDueAt)) {
      // nextDueAt itself is missed, plus every rule occurrence strictly between it and latest
      skipped = 1;
      Instant cursor = nextDueAt;
      while (skipped < MAX_COUNTED_SKIPS) {
        Instant next = rule.nextAfter(cursor);
        if (!next.isBefore(latest)) {
          break;
        }
        skipped++;
        cursor = next;
      }
    }
    return Optional.of(new Spawn(latest, skipped, rule.nextAfter(now)));
  }

  /**
   * One spawn decided by a catch-up policy.
   *
   * @param occurrence the occurrence the spawned task is for (its due time)
   * @param skipped older due occurrences that get no task (0 when nothing was missed)
   * @param nextDueAt the next occurrence, strictly after the time the plan was made
   */
  public record Spawn(Instant occurrence, int skipped, Instant nextDueAt) {}
}
