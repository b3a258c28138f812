package dev.delega.server.claim;

import dev.delega.api.Event;
import dev.delega.client.DelegaClient;
import dev.delega.server.testing.DelegaServerExtension;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agents of one test server: the admin, workers that may see every task (so the whole queue
 * is theirs), and plain workers that see only their own tasks. Names are unique, so tests can
 * share one server.
 */
final class Crew {
  private final DelegaServerExtension server;
  private final Map<DelegaClient, Long> ids = new ConcurrentHashMap<>();
  private DelegaClient admin;

  Crew(DelegaServerExtension server) {
    this.server = server;
  }

  synchronized DelegaClient admin() {
    if (admin == null) {
      admin = client(server.adminKey());
      ids.put(admin, server.agentId(server.adminKey()));
    }
    return admin;
  }

  /** A worker with {@code tasks.read_all}: it sees, and may claim, every unassigned task. */
  DelegaClient worker(String name) {
    return agent(name, "worker", Map.of("permissions", List.of("tasks.read_all")));
  }

  /** A worker with no extra permission: it sees only its own and its chains' tasks. */
  DelegaClient plainWorker(String name) {
    return agent(name, "worker", Map.of());
  }

  DelegaClient agent(String name, String role, Map<String, Object> extra) {
    admin();
    String key = server.newAgent(name + "-" + UUID.randomUUID().toString().substring(0, 8), role, extra);
    DelegaClient c = client(key);
    ids.put(c, server.agentId(key));
    return c;
  }

  /** The agent id behind a client made here. */
  long id(DelegaClient client) {
    return ids.get(client);
  }

  /** A fresh project, to keep one test's queue apart from another's. */
  long project() {
    return admin().projects().create("p-" + UUID.randomUUID()).id();
  }

  /** The types of the task's events, oldest first. */
  List<String> eventTypes(long taskId) {
    return admin().tasks().events(taskId).stream().map(Event::type).toList();
  }

  private DelegaClient client(String key) {
    return DelegaClient.builder().baseUrl(server.baseUrl()).apiKey(key).retries(0).build();
  }
}
