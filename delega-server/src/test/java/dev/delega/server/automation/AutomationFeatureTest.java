package dev.delega.server.automation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AutomationFeatureTest {
  @Test
  void theSchedulerPollsEverySecondByDefault() {
    assertThat(AutomationFeature.schedulerInterval(null)).isEqualTo(Duration.ofSeconds(1));
    assertThat(AutomationFeature.schedulerInterval(" ")).isEqualTo(Duration.ofSeconds(1));
  }

  @ParameterizedTest
  @CsvSource({"50, 50", " 250 , 250", "10, 10", "3600000, 3600000"})
  void anIntervalInMillisecondsIsAccepted(String raw, long millis) {
    assertThat(AutomationFeature.schedulerInterval(raw)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(strings = {"9", "0", "-5", "3600001", "1s", "fast", "1.5"})
  void anythingElseRefusesToStartNamingTheVariable(String raw) {
    assertThatThrownBy(() -> AutomationFeature.schedulerInterval(raw))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DELEGA_SCHEDULER_INTERVAL_MS")
        .hasMessageContaining(raw.strip());
  }

  @Test
  void aTaskSourceIsItsFirstOrigin() {
    assertThat(TaskSources.sourceOf(null, null, null)).isNull();
    assertThat(TaskSources.sourceOf(3L, null, null)).isEqualTo("ingress");
    assertThat(TaskSources.sourceOf(null, 4L, null)).isEqualTo("recurrence");
    assertThat(TaskSources.sourceOf(null, null, 5L)).isEqualTo("automation");
    assertThat(TaskSources.sourceOf(3L, 4L, 5L)).isEqualTo("ingress");
  }
}
