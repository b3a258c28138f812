package dev.delega.server.claim;

import dev.delega.server.internal.DelegaException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * What the holder of a claim says it is doing, and the task status that goes with it. Any state may
 * follow any other while the claim lasts; the task status follows only between the statuses a claim
 * drives ({@code open}, {@code in_progress}, {@code waiting_input}), so a claimed task that is
 * {@code delegated} or {@code blocked} keeps that status.
 */
enum SessionState {
  WORKING("working", "in_progress"),
  WAITING_INPUT("waiting_input", "waiting_input"),
  ERRORED("errored", "in_progress");

  /** The statuses a claim moves a task between. */
  static final Set<String> CLAIM_STATUSES = Set.of("open", "in_progress", "waiting_input");

  /** The wire names, in order. */
  static final List<String> NAMES = Arrays.stream(values()).map(SessionState::wire).toList();

  private final String wire;
  private final String status;

  SessionState(String wire, String status) {
    this.wire = wire;
    this.status = status;
  }

  String wire() {
    return wire;
  }

  /** The status a task in {@code currentStatus} takes when its holder reports this state. */
  String statusFrom(String currentStatus) {
    return CLAIM_STATUSES.contains(currentStatus) ? status : currentStatus;
  }

  /** Parses a wire name; 422 naming the allowed states otherwise. */
  static SessionState parse(String field, String value) {
    for (SessionState s : values()) {
      if (s.wire.equals(value)) {
        return s;
      }
    }
    throw new DelegaException.ValidationFailed(
            field + " must be one of " + String.join(", ", NAMES) + " (got '" + value + "')")
        .with("allowed", NAMES);
  }
}
