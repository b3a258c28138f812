package dev.delega.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The body of {@code POST /automations}; null fields are not sent. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NewAutomation(
    String name,
    String event,
    List<AutomationCondition> conditions,
    List<AutomationAction> actions,
    Boolean active) {

  /** An active automation without conditions. */
  public static NewAutomation of(String name, String event, List<AutomationAction> actions) {
    return new NewAutomation(name, event, null, actions, null);
  }
}
