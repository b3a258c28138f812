package dev.delega.server.agent;

import dev.delega.api.Agent;
import dev.delega.api.Json;
import dev.delega.server.internal.DelegaException;
import dev.delega.server.internal.Fields;
import dev.delega.server.store.Database;
import dev.delega.server.store.Sql;
import dev.delega.server.store.Dialect;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;

/**
 * Agent identities: registration (including the keyless bootstrap of the first, admin agent), key
 * rotation, roles and permissions, and turning a presented key into a {@link Caller}.
 */
public final class Agents {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}");
  private static final Pattern PERMISSION = Pattern.compile("[a-z][a-z0-9_.:-]{0,63}");
  private static final long LAST_SEEN_EVERY_MS = 60_000;
  private static final Set<String> SELF_EDITABLE = Set.of("display_name", "description");

  private final Database db;
  private final ApiKeys keys;
  private final Clock clock;
  private final Map<Long, Long> lastSeenWritten = new ConcurrentHashMap<>();
  private final Map<String, CachedAgent> authCache = new ConcurrentHashMap<>();

  /** How long a key's lookup is reused: 2 seconds. */
  static final long AUTH_CACHE_NANOS = 2_000_000_000L;

  public Agents(Database db, ApiKeys keys, Clock clock) {
    this.db = db;
    this.keys = keys;
    this.clock = clock;
  }

  /**
   * The active agent that owns {@code key}, if any. Answers are cached for {@link #AUTH_CACHE_NANOS}
   * so a busy agent costs one hash, not one query, per request; this node drops an agent's entries
   * at once when the agent is changed, rotated or deleted here, and other nodes within the TTL.
   */
  public Optional<AgentRow> authenticate(String key) {
    return entry(key).row();
  }

  /** As {@link #authenticate}, the agent's identity for a request (computed once per cache entry). */
  public Optional<Caller> callerFor(String key) {
    return entry(key).caller();
  }

  private CachedAgent entry(String key) {
    String hash = keys.hash(key);
    long now = System.nanoTime();
    CachedAgent cached = authCache.get(hash);
    if (cached != null && now - cached.loadedAt() < AUTH_CACHE_NANOS) {
      return cached;
    }
    Optional<AgentRow> found = lookup(hash);
    if (authCache.size() > 10_000) {
      authCache.clear();
    }
    CachedAgent fresh = new CachedAgent(found, found.map(AgentRow::caller), now);
    authCache.put(hash, fresh);
    return fresh;
  }

  private void forget(long agentId) {
    authCache.values().removeIf(c -> c.row().map(r -> r.id() == agentId).orElse(false));
  }

  private record CachedAgent(Optional<AgentRow> row, Optional<Caller> caller, long loadedAt) {}

  private Optional<AgentRow> lookup(String hash) {
    Optional<AgentRow> row =
        db.read(
            h ->
                h.createQuery("SELECT " + AgentRow.COLUMNS + ", key_hash FROM agents WHERE key_hash = ?")
                    .bind(0, hash)
                    .map(
                        (rs, ctx) -> {
                          String stored = rs.getString("key_hash");
                          if (!java.security.MessageDigest.isEqual(
                              stored.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                              hash.getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
                            return null;
                          }
                          return AgentRow.map(rs);
                        })
                    .findOne());
    return row.filter(AgentRow::active);
  }

  /** The active agent with this name, compared case-insensitively like names are (trusted-proxy identity). */
  public Optional<AgentRow> findActiveByName(String name) {
    return db.read(
            h ->
                h.createQuery("SELECT " + AgentRow.COLUMNS + " FROM agents WHERE LOWER(name) = LOWER(?) ORDER BY id")
                    .bind(0, name)
                    .map((rs, ctx) -> AgentRow.map(rs))
                    .findFirst())
        .filter(AgentRow::active);
  }

  /** Records that the agent was seen, at most once a minute per agent, without blocking the request. */
  public void touch(long agentId) {
    long now = clock.millis();
    Long last = lastSeenWritten.get(agentId);
    if (last != null && now - last < LAST_SEEN_EVERY_MS) {
      return;
    }
    lastSeenWritten.put(agentId, now);
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                db.write(
                    tx ->
                        tx.handle()
                            .createUpdate("UPDATE agents SET last_seen_at = ? WHERE id = ?")
                            .bind(0, now)
                            .bind(1, agentId)
                            .execute());
              } catch (RuntimeException e) {
                lastSeenWritten.remove(agentId);
              }
            });
  }

  /** True while no agent exists, i.e. the next registration is the bootstrap. */
  public boolean noAgentsYet() {
    return db.read(h -> h.createQuery("SELECT COUNT(*) FROM agents").mapTo(Long.class).one()) == 0;
  }

  /**
   * Registers an agent. The bootstrap caller may only create the first agent, which becomes an
   * admin; afterwards only admins may register agents. Returns the agent with its key, shown once.
   */
  public Agent create(Caller caller, Fields body) {
    String name = requireName(body.requiredText("name", 64));
    String displayName = body.text("display_name", 200);
    String description = body.text("description", 2000);
    List<String> permissions = permissions(body);
    Role role = body.hasValue("role") ? Role.parse(body.text("role", 32)) : null;
    Boolean isAdminFlag = body.bool("is_admin");
    if (caller.isAgent() && !caller.isAdmin()) {
      throw new DelegaException.Forbidden("Only admin agent keys can create agents");
    }
    String key = ApiKeys.newKey();
    String hash = keys.hash(key);
    long now = clock.millis();
    AgentRow row =
        db.write(
            tx -> {
              Handle h = tx.handle();
              if (tx.dialect() == Dialect.POSTGRES) {
                h.execute("SELECT pg_advisory_xact_lock(7223372036854775002)");
              }
              long count = h.createQuery("SELECT COUNT(*) FROM agents").mapTo(Long.class).one();
              boolean bootstrap = count == 0;
              if (!bootstrap && !caller.isAdmin()) {
                if (caller == Caller.BOOTSTRAP) {
                  throw new DelegaException.Unauthorized(
                      "X-Agent-Key required (DELEGA_REQUIRE_AUTH is enabled): the first agent already exists");
                }
                throw new DelegaException.Forbidden("Only admin agent keys can create agents");
              }
              if (bootstrap && caller.isAgent()) {
                throw new DelegaException.Unauthorized("Invalid or inactive agent API key");
              }
              ensureNameFree(h, name, null);
              Role effective = role != null ? role : (Boolean.TRUE.equals(isAdminFlag) ? Role.ADMIN : Role.WORKER);
              if (bootstrap) {
                effective = Role.ADMIN;
              }
              boolean admin = effective == Role.ADMIN;
              long id =
                  h.createQuery(
                          "INSERT INTO agents (name, display_name, description, role, is_admin,"
                              + " permissions, active, key_hash, key_prefix, created_at, updated_at)"
                              + " VALUES (?, ?, ?, ?, ?, ?, TRUE, ?, ?, ?, ?) RETURNING id")
                      .bind(0, name)
                      .bind(1, displayName)
                      .bind(2, description)
                      .bind(3, effective.wire())
                      .bind(4, admin)
                      .bind(5, Json.mapper().writeValueAsString(permissions))
                      .bind(6, hash)
                      .bind(7, ApiKeys.prefixOf(key))
                      .bind(8, now)
                      .bind(9, now)
                      .mapTo(Long.class)
                      .one();
              return load(h, id).orElseThrow();
            });
    return row.toApi(0, key, true);
  }

  private static String requireName(String name) {
    String n = name.trim();
    if (!NAME.matcher(n).matches()) {
      throw new DelegaException.ValidationFailed(
          "name must be 1-64 characters of letters, digits, '_', '-', '.', '@', starting with a letter or digit");
    }
    return n;
  }

  private static List<String> permissions(Fields body) {
    List<String> perms = body.strings("permissions", 50, 64);
    if (perms == null) {
      return List.of();
    }
    for (String p : perms) {
      if (!PERMISSION.matcher(p).matches()) {
        throw new DelegaException.ValidationFailed(
            "permissions must be lowercase names like tasks.read_all (got '" + p + "')");
      }
    }
    return perms;
  }

  private static void ensureNameFree(Handle h, String name, Long exceptId) {
    boolean taken =
        h.createQuery("SELECT COUNT(*) FROM agents WHERE LOWER(name) = LOWER(?) AND id <> ?")
                .bind(0, name)
                .bind(1, exceptId == null ? -1 : exceptId)
                .mapTo(Long.class)
                .one()
            > 0;
    if (taken) {
      throw new DelegaException.Conflict("Agent '" + name + "' already exists");
    }
  }

  static Optional<AgentRow> load(Handle h, long id) {
    return h.createQuery("SELECT " + AgentRow.COLUMNS + " FROM agents WHERE id = ?")
        .bind(0, id)
        .map((rs, ctx) -> AgentRow.map(rs))
        .findOne();
  }

  /** Every agent, for admins and coordinators, ordered by name, with open task counts. */
  public List<Agent> list(Caller caller) {
    if (!caller.isAdmin() && !"coordinator".equals(caller.role())) {
      throw new DelegaException.Forbidden("Only admin or coordinator agent keys can list agents");
    }
    return db.read(
        h -> {
          Map<Long, Integer> open = openCounts(h);
          List<Agent> out = new ArrayList<>();
          for (AgentRow row :
              h.createQuery("SELECT " + AgentRow.COLUMNS + " FROM agents ORDER BY name, id")
                  .map((rs, ctx) -> AgentRow.map(rs))
                  .list()) {
            out.add(row.toApi(open.getOrDefault(row.id(), 0), null, caller.isAdmin()));
          }
          return out;
        });
  }

  private static Map<Long, Integer> openCounts(Handle h) {
    Map<Long, Integer> open = new HashMap<>();
    h.createQuery(
            "SELECT assigned_to_agent_id AS a, COUNT(*) AS n FROM tasks"
                + " WHERE completed = FALSE AND assigned_to_agent_id IS NOT NULL GROUP BY assigned_to_agent_id")
        .map((rs, ctx) -> Map.entry(rs.getLong("a"), rs.getInt("n")))
        .forEach(e -> open.put(e.getKey(), e.getValue()));
    return open;
  }

  private static int openCount(Handle h, long id) {
    return h.createQuery(
            "SELECT COUNT(*) FROM tasks WHERE completed = FALSE AND assigned_to_agent_id = ?")
        .bind(0, id)
        .mapTo(Integer.class)
        .one();
  }

  /** One agent: the caller itself, or any agent for admins and coordinators. */
  public Agent get(Caller caller, long id) {
    if (!caller.is(id) && !caller.isAdmin() && !"coordinator".equals(caller.role())) {
      throw new DelegaException.Forbidden("Only admin agent keys can inspect other agents");
    }
    return db.read(
        h -> {
          AgentRow row = load(h, id).orElseThrow(() -> new DelegaException.NotFound("Agent not found"));
          return row.toApi(openCount(h, id), null, caller.isAdmin() || caller.is(id));
        });
  }

  /** The caller's own agent. */
  public Agent me(Caller caller) {
    if (!caller.isAgent()) {
      throw new DelegaException.NotFound(
          "no agent: this request carries no agent key (open mode)");
    }
    return get(caller, caller.agentId());
  }

  /**
   * A partial update. Agents may change their own display name and description; admins may change
   * anything of anyone, except that the last active admin can be neither demoted nor deactivated.
   */
  public Agent update(Caller caller, long id, Fields body) {
    boolean self = caller.is(id);
    if (!caller.isAdmin()) {
      if (!self) {
        throw new DelegaException.Forbidden("Only admin agent keys can edit other agents");
      }
      for (java.util.Iterator<String> it = body.names(); it.hasNext(); ) {
        String field = it.next();
        if (!SELF_EDITABLE.contains(field) && isAgentField(field)) {
          throw new DelegaException.Forbidden(
              "Non-admin agents cannot change their own slug, roles, or activation state");
        }
      }
    }
    if (body.isNull("name") || body.isNull("active") || body.isNull("is_admin") || body.isNull("role")) {
      throw new DelegaException.ValidationFailed("name, role, is_admin and active cannot be null");
    }
    String name = body.hasValue("name") ? requireName(body.text("name", 64)) : null;
    String displayName = body.text("display_name", 200);
    String description = body.text("description", 2000);
    List<String> permissions = body.has("permissions") ? permissions(body) : null;
    Role role = body.hasValue("role") ? Role.parse(body.text("role", 32)) : null;
    Boolean isAdmin = body.bool("is_admin");
    Boolean active = body.bool("active");
    long now = clock.millis();
    AgentRow row =
        db.write(
            tx -> {
              Handle h = tx.handle();
              AgentRow before = load(h, id).orElseThrow(() -> new DelegaException.NotFound("Agent not found"));
              Role newRole = before.role();
              if (role != null) {
                newRole = role;
              } else if (isAdmin != null) {
                newRole = isAdmin ? Role.ADMIN : (before.role() == Role.ADMIN ? Role.WORKER : before.role());
              }
              boolean newActive = active != null ? active : before.active();
              if (before.role() == Role.ADMIN && before.active() && (newRole != Role.ADMIN || !newActive)) {
                long admins =
                    h.createQuery("SELECT COUNT(*) FROM agents WHERE is_admin = TRUE AND active = TRUE")
                        .mapTo(Long.class)
                        .one();
                if (admins <= 1) {
                  throw new DelegaException.Conflict(
                      "Cannot demote or deactivate the last active admin agent");
                }
              }
              if (name != null && !name.equals(before.name())) {
                ensureNameFree(h, name, id);
              }
              h.createUpdate(
                      "UPDATE agents SET name = ?, display_name = ?, description = ?, role = ?, is_admin = ?,"
                          + " permissions = ?, active = ?, updated_at = ? WHERE id = ?")
                  .bind(0, name != null ? name : before.name())
                  .bind(1, body.has("display_name") ? displayName : before.displayName())
                  .bind(2, body.has("description") ? description : before.description())
                  .bind(3, newRole.wire())
                  .bind(4, newRole == Role.ADMIN)
                  .bind(5, Json.mapper().writeValueAsString(permissions != null ? permissions : before.permissions()))
                  .bind(6, newActive)
                  .bind(7, now)
                  .bind(8, id)
                  .execute();
              return load(h, id).orElseThrow();
            });
    forget(id);
    return db.read(h -> row.toApi(openCount(h, id), null, caller.isAdmin() || self));
  }

  private static boolean isAgentField(String field) {
    return switch (field) {
      case "name", "role", "is_admin", "active", "permissions" -> true;
      default -> false;
    };
  }

  /** Deletes an agent (admins only; never oneself, never the last active admin). */
  public void delete(Caller caller, long id) {
    if (!caller.isAdmin()) {
      throw new DelegaException.Forbidden("Only admin agent keys can delete agents");
    }
    if (caller.is(id)) {
      throw new DelegaException.Conflict("Cannot delete the currently authenticated admin agent");
    }
    db.write(
        tx -> {
          Handle h = tx.handle();
          AgentRow row = load(h, id).orElseThrow(() -> new DelegaException.NotFound("Agent not found"));
          if (row.isAdmin() && row.active()) {
            long admins =
                h.createQuery("SELECT COUNT(*) FROM agents WHERE is_admin = TRUE AND active = TRUE")
                    .mapTo(Long.class)
                    .one();
            if (admins <= 1) {
              throw new DelegaException.Conflict("Cannot delete the last active admin agent");
            }
          }
          h.createUpdate("DELETE FROM agents WHERE id = ?").bind(0, id).execute();
          return null;
        });
    lastSeenWritten.remove(id);
    forget(id);
  }

  /** Replaces an agent's key (itself, or any agent for admins); the old key stops working at once. */
  public Agent rotateKey(Caller caller, long id) {
    if (!caller.is(id) && !caller.isAdmin()) {
      throw new DelegaException.Forbidden("Only admin agent keys can rotate other agents");
    }
    String key = ApiKeys.newKey();
    String hash = keys.hash(key);
    long now = clock.millis();
    AgentRow row =
        db.write(
            tx -> {
              Handle h = tx.handle();
              load(h, id).orElseThrow(() -> new DelegaException.NotFound("Agent not found"));
              h.createUpdate("UPDATE agents SET key_hash = ?, key_prefix = ?, updated_at = ? WHERE id = ?")
                  .bind(0, hash)
                  .bind(1, ApiKeys.prefixOf(key))
                  .bind(2, now)
                  .bind(3, id)
                  .execute();
              return load(h, id).orElseThrow();
            });
    forget(id);
    return db.read(h -> row.toApi(openCount(h, id), key, true));
  }

  /** Names and display names of agents, for nesting inside tasks. */
  public static Map<Long, dev.delega.api.AgentRef> refs(Handle h, java.util.Collection<Long> ids) {
    Map<Long, dev.delega.api.AgentRef> out = new HashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    for (dev.delega.api.AgentRef r :
        Sql.list(
            h,
            "SELECT id, name, display_name FROM agents WHERE id IN (" + Sql.markers(ids.size()) + ")",
            rs -> new dev.delega.api.AgentRef(rs.getLong(1), rs.getString(2), rs.getString(3)),
            Sql.args(ids))) {
      out.put(r.id(), r);
    }
    return out;
  }

  /** Counts for stats and usage: all agents and active ones. */
  public long[] counts() {
    return db.read(
        h ->
            new long[] {
              h.createQuery("SELECT COUNT(*) FROM agents").mapTo(Long.class).one(),
              h.createQuery("SELECT COUNT(*) FROM agents WHERE active = TRUE").mapTo(Long.class).one()
            });
  }
}
