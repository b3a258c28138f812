package dev.delega.server.automation;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Stops automations from feeding each other forever: caps how deep a chain of automation-caused
 * changes may go and how often one automation may run.
 *
 * <p><b>Depth.</b> Every event carries a chain depth: 0 when an agent or a person made the change,
 * otherwise the depth of the automation run that made it. A run triggered by an event of depth
 * {@code d} has depth {@code d + 1} and stamps that on the changes it makes; runs deeper than
 * {@link #MAX_CHAIN_DEPTH} are refused. So a person's change can set off at most three hops: rule A
 * (depth 1) → rule B (2) → rule C (3); a fourth rule reacting to C's change is refused.
 *
 * <p><b>Rate.</b> At most {@link #MAX_RUNS_PER_MINUTE} admitted runs per automation in any sliding
 * 60-second window (the instant of a run counts for exactly 60 s). Refused runs use no budget.
 *
 * <p>Thread-safe; per node (each node enforces its own window). Idle automations are forgotten.
 */
public final class LoopGuard {
  /** The deepest automation run allowed. */
  public static final int MAX_CHAIN_DEPTH = 3;

  /** Admitted runs per automation per window. */
  public static final int MAX_RUNS_PER_MINUTE = 60;

  private static final Duration WINDOW = Duration.ofMinutes(1);
  private static final int SWEEP_EVERY = 1024;

  private final Clock clock;
  private final int maxDepth;
  private final int maxRuns;
  private final long windowMillis;
  private final Map<Long, Window> windows = new HashMap<>();
  private int sinceSweep;

  /** A guard with the spec's limits: depth 3, 60 runs per minute. */
  public LoopGuard(Clock clock) {
    this(clock, MAX_CHAIN_DEPTH, MAX_RUNS_PER_MINUTE, WINDOW);
  }

  /** A guard with other limits (for tests and configuration). */
  public LoopGuard(Clock clock, int maxDepth, int maxRunsPerWindow, Duration window) {
    if (maxDepth < 1 || maxRunsPerWindow < 1 || window.toMillis() < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
    this.clock = clock;
    this.maxDepth = maxDepth;
    this.maxRuns = maxRunsPerWindow;
    this.windowMillis = window.toMillis();
  }

  /**
   * Decides whether an automation may run now for an event.
   *
   * @param automationId the rule
   * @param eventDepth the chain depth the triggering event carries (0 for a non-automation change)
   * @return {@link Admitted} with the depth the run's changes must carry, or {@link Refused}
   */
  public synchronized Decision admit(long automationId, int eventDepth) {
    if (eventDepth < 0) {
      throw new IllegalArgumentException("eventDepth must not be negative: " + eventDepth);
    }
    int runDepth = eventDepth + 1;
    if (runDepth > maxDepth) {
      return new Refused(Reason.CHAIN_TOO_DEEP, "automation " + automationId + " not run: the "
          + "change that triggered it is already " + eventDepth + " automation hops deep (at most "
          + maxDepth + ")");
    }
    long now = clock.millis();
    if (++sinceSweep >= SWEEP_EVERY) {
      sweep(now);
    }
    Window w = windows.computeIfAbsent(automationId, id -> new Window(maxRuns));
    long oldest = w.oldest();
    if (oldest != Long.MIN_VALUE && oldest > now - windowMillis) {
      long retryMillis = oldest + windowMillis - now;
      return new Refused(Reason.RATE_LIMITED, "automation " + automationId + " not run: it ran "
          + maxRuns + " times in the last " + (windowMillis / 1000) + " s; next run possible in "
          + Math.max(1, (retryMillis + 999) / 1000) + " s");
    }
    w.add(now);
    return new Admitted(runDepth);
  }

  /** Drops what is remembered about an automation (call when it is deleted). */
  public synchronized void forget(long automationId) {
    windows.remove(automationId);
  }

  /** How many automations have runs in their current window (for tests and metrics). */
  public synchronized int tracked() {
    sweep(clock.millis());
    return windows.size();
  }

  private void sweep(long now) {
    sinceSweep = 0;
    windows.values().removeIf(w -> w.newest() <= now - windowMillis);
  }

  /** The last {@code maxRuns} admission times of one automation, oldest at {@code head}. */
  private static final class Window {
    private final long[] times;
    private int head;

    Window(int size) {
      times = new long[size];
      Arrays.fill(times, Long.MIN_VALUE);
    }

    long oldest() {
      return times[head];
    }

    long newest() {
      return times[(head - 1 + times.length) % times.length];
    }

    void add(long time) {
      times[head] = time;
      head = (head + 1) % times.length;
    }
  }

  /** The outcome of {@link #admit}. */
  public sealed interface Decision permits Admitted, Refused {}

  /**
   * Run it.
   *
   * @param runDepth the chain depth to stamp on the events this run causes
   */
  public record Admitted(int runDepth) implements Decision {}

  /**
   * Do not run it; record {@code reason} in the run log.
   *
   * @param reason which cap
   * @param message for the run log
   */
  public record Refused(Reason reason, String message) implements Decision {}

  /** Which cap refused a run. */
  public enum Reason {
    /** The triggering change is already {@link #MAX_CHAIN_DEPTH} automation hops deep. */
    CHAIN_TOO_DEEP,
    /** The automation already ran {@link #MAX_RUNS_PER_MINUTE} times in the last minute. */
    RATE_LIMITED
  }
}
