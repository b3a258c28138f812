package dev.delega.server.agent;

import dev.delega.server.internal.DelegaException;
import java.util.Locale;
import java.util.Set;

/** The preset an agent is given: what a worker, a coordinator and an admin may do. */
public enum Role {
  WORKER(Set.of()),
  COORDINATOR(Set.of(Caller.READ_ALL, Caller.COMMENT_ALL, Caller.ASSIGN_ANY)),
  ADMIN(Set.of(Caller.READ_ALL, Caller.COMMENT_ALL, Caller.ASSIGN_ANY));

  private final Set<String> grants;

  Role(Set<String> grants) {
    this.grants = grants;
  }

  /** The permissions this role grants in addition to the agent's explicit list. */
  public Set<String> grants() {
    return grants;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code worker | coordinator | admin}; anything else is a 422 naming the choices. */
  public static Role parse(String value) {
    if (value != null) {
      for (Role r : values()) {
        if (r.wire().equals(value.trim().toLowerCase(Locale.ROOT))) {
          return r;
        }
      }
    }
    throw new DelegaException.ValidationFailed(
        "role must be one of worker, coordinator, admin (got '" + value + "')");
  }
}
