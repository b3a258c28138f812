package dev.delega.server.agent;

import java.util.Set;

/**
 * Who is making a request: an authenticated agent, or nobody (only in open mode, or on the one
 * bootstrap request). Nobody in open mode has every right, like the admin of a single-user box.
 */
public record Caller(Long agentId, String name, String role, boolean admin, Set<String> permissions) {
  /** Full read permission on every task. */
  public static final String READ_ALL = "tasks.read_all";

  /** May comment on every task it can see. */
  public static final String COMMENT_ALL = "tasks.comment_all";

  /** May assign and delegate tasks to any agent. */
  public static final String ASSIGN_ANY = "tasks.assign_any";

  /** The keyless caller of open mode. */
  public static final Caller NOBODY = new Caller(null, null, "admin", true, Set.of());

  /** The keyless caller of the bootstrap request in auth mode: may only create the first agent. */
  public static final Caller BOOTSTRAP = new Caller(null, null, "bootstrap", false, Set.of());

  public boolean isAgent() {
    return agentId != null;
  }

  public boolean isNobody() {
    return agentId == null && admin;
  }

  /** Admin, or nobody in open mode. */
  public boolean isAdmin() {
    return admin;
  }

  public boolean has(String permission) {
    return admin || permissions.contains(permission);
  }

  public boolean readsAll() {
    return has(READ_ALL);
  }

  public boolean assignsAny() {
    return has(ASSIGN_ANY);
  }

  public boolean commentsAll() {
    return has(COMMENT_ALL);
  }

  /** True when this caller is the given agent. */
  public boolean is(Long otherAgentId) {
    return agentId != null && agentId.equals(otherAgentId);
  }
}
