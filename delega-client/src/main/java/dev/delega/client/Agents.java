package dev.delega.client;

import dev.delega.api.Agent;
import dev.delega.api.AgentUpdate;
import dev.delega.api.Me;
import dev.delega.api.NewAgent;
import java.util.List;
import tools.jackson.core.type.TypeReference;

/**
 * The agent endpoints: directory, registration, updates, key rotation. Obtain it from {@link
 * DelegaClient#agents()}.
 */
public final class Agents {
  private static final TypeReference<List<Agent>> AGENTS = new TypeReference<>() {};

  private final HttpTransport transport;

  Agents(HttpTransport transport) {
    this.transport = transport;
  }

  /** {@code GET /agents}. */
  public List<Agent> list() {
    return transport.call("GET", "/agents", null, AGENTS);
  }

  /** {@code POST /agents} with only a name; the answer carries the key, shown this once. */
  public Agent create(String name) {
    return create(NewAgent.of(name));
  }

  /** {@code POST /agents}; the answer carries {@code api_key}, shown this once. */
  public Agent create(NewAgent agent) {
    return transport.call("POST", "/agents", agent, Agent.class);
  }

  /** {@code GET /agents/{id}}. */
  public Agent get(long id) {
    return transport.call("GET", "/agents/" + id, null, Agent.class);
  }

  /** {@code PUT /agents/{id}}: a partial update. */
  public Agent update(long id, AgentUpdate update) {
    return transport.call("PUT", "/agents/" + id, update, Agent.class);
  }

  /** {@code PATCH /agents/{id}}: the same partial update. */
  public Agent patch(long id, AgentUpdate update) {
    return transport.call("PATCH", "/agents/" + id, update, Agent.class);
  }

  /** {@code DELETE /agents/{id}}. */
  public void delete(long id) {
    transport.run("DELETE", "/agents/" + id, null, RequestOptions.none());
  }

  /**
   * {@code POST /agents/{id}/rotate-key}: the old key stops working; the answer carries the new
   * one.
   */
  public Agent rotateKey(long id) {
    return transport.call("POST", "/agents/" + id + "/rotate-key", null, Agent.class);
  }

  /** {@code GET /agent/me}: the calling agent. */
  public Me me() {
    return transport.call("GET", "/agent/me", null, Me.class);
  }
}
