package dev.delega.client;

import dev.delega.api.Automation;
import dev.delega.api.AutomationUpdate;
import dev.delega.api.NewAutomation;
import java.util.List;
import tools.jackson.core.type.TypeReference;

/**
 * When-then automations (admin): list, create, get, update, delete. Obtain it from {@link
 * DelegaClient#automations()}.
 */
public final class Automations {
  private static final TypeReference<List<Automation>> LIST = new TypeReference<>() {};

  private final HttpTransport transport;

  Automations(HttpTransport transport) {
    this.transport = transport;
  }

  /** {@code GET /automations}. */
  public List<Automation> list() {
    return transport.call("GET", "/automations", null, LIST);
  }

  /** {@code POST /automations}. */
  public Automation create(NewAutomation body) {
    return transport.call("POST", "/automations", body, Automation.class);
  }

  /** {@code GET /automations/{id}}. */
  public Automation get(long id) {
    return transport.call("GET", "/automations/" + id, null, Automation.class);
  }

  /** {@code PUT /automations/{id}}: a partial update. */
  public Automation update(long id, AutomationUpdate update) {
    return transport.call("PUT", "/automations/" + id, update, Automation.class);
  }

  /** {@code DELETE /automations/{id}}. */
  public void delete(long id) {
    transport.run("DELETE", "/automations/" + id, null, RequestOptions.none());
  }
}
