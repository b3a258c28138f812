package dev.delega.server.claim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.delega.server.internal.DelegaException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The status a task takes when its holder reports a state. */
class SessionStateTest {
  @ParameterizedTest(name = "{0} while {1} -> {2}")
  @CsvSource({
    "working, open, in_progress",
    "working, in_progress, in_progress",
    "working, waiting_input, in_progress",
    "waiting_input, open, waiting_input",
    "waiting_input, in_progress, waiting_input",
    "waiting_input, waiting_input, waiting_input",
    "errored, in_progress, in_progress",
    "errored, waiting_input, in_progress",
    "working, delegated, delegated",
    "waiting_input, delegated, delegated",
    "errored, blocked, blocked",
    "working, completed, completed",
  })
  void theStatusFollowsTheStateOnlyBetweenTheStatusesAClaimDrives(String state, String status, String expected) {
    assertThat(SessionState.parse("state", state).statusFrom(status)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Working", "idle", "blocked", "in_progress"})
  void unknownStatesAreRefusedNamingTheAllowedOnes(String state) {
    assertThatThrownBy(() -> SessionState.parse("state", state))
        .isInstanceOfSatisfying(
            DelegaException.ValidationFailed.class,
            e -> assertThat(e.extra()).containsEntry("allowed", SessionState.NAMES))
        .hasMessage("state must be one of working, waiting_input, errored (got '" + state + "')");
  }
}
