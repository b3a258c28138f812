package dev.delega.mcp;

import static dev.delega.mcp.Schema.anyObject;
import static dev.delega.mcp.Schema.bool;
import static dev.delega.mcp.Schema.id;
import static dev.delega.mcp.Schema.integer;
import static dev.delega.mcp.Schema.object;
import static dev.delega.mcp.Schema.oneOf;
import static dev.delega.mcp.Schema.str;

import dev.delega.api.ContextState;
import dev.delega.client.ConflictException;
import dev.delega.client.ContextWrite;
import dev.delega.client.RecallQuery;
import java.util.List;
import java.util.Map;

/** The memory tools: a task's context (read, guarded merge, history) and recall across tasks. */
final class MemoryTools {
  static final List<String> SOURCES =
      List.of("human_stated", "agent_inferred", "agent_observed", "imported");

  private MemoryTools() {}

  static List<ToolDef> tools() {
    return List.of(getContext(), updateContext(), history(), recall());
  }

  private static ToolDef getContext() {
    return new ToolDef(
        "get_task_context",
        "Read a task's persistent context blob — the shared state, decisions, and notes saved"
            + " across sessions. Call this when resuming a task to recover what was decided and"
            + " done before, so work continues instead of restarting. Pair with"
            + " update_task_context to write state back before a session ends.",
        object()
            .req("task_id", id("The task ID whose context to read"))
            .opt(
                "include_provenance",
                bool("Include per-key author/source/version provenance for the live context entries."))
            .build(),
        c -> {
          long id = c.args().id("task_id");
          ContextState state = c.client().tasks().context(id);
          Long version = state.version();
          String note =
              version == null
                  ? ""
                  : " (context version "
                      + version
                      + " — pass expected_version "
                      + version
                      + " to update_task_context to guard your write)";
          Map<String, Object> ctx = state.context();
          String text =
              ctx != null && !ctx.isEmpty()
                  ? "Context for task #" + id + note + ":\n\n" + Render.json(ctx)
                  : "Task #" + id + " has no saved context yet" + note + ".";
          if (Boolean.TRUE.equals(c.args().optBool("include_provenance"))) {
            text += Render.provenance(state.provenance());
          }
          return text;
        });
  }

  private static ToolDef updateContext() {
    return new ToolDef(
        "update_task_context",
        "Merge keys into a task's persistent context blob. Existing keys are preserved; supplied"
            + " keys are added or overwritten, and a key set to null is removed. Use this to pass"
            + " shared state between delegated agents and to record decisions before a session"
            + " ends. Pass expected_version (from get_task_context) to guard against concurrent"
            + " writers: if the context changed since your read, the write fails with a conflict"
            + " that returns the current version + context to merge with.",
        object()
            .req("task_id", id("The task ID whose context to update"))
            .req("context", anyObject("Object whose keys are merged (not replaced) into existing context"))
            .opt(
                "expected_version",
                integer(
                    "Optimistic concurrency guard: the context version returned by"
                        + " get_task_context. Omit for an unguarded merge.",
                    0,
                    null))
            .opt(
                "source",
                oneOf(
                    "Attribution source for this context write. Defaults to agent_inferred.",
                    SOURCES))
            .build(),
        c -> {
          long id = c.args().id("task_id");
          Integer expected = c.args().optInt("expected_version");
          ContextWrite write =
              new ContextWrite(
                  expected == null ? null : expected.longValue(), c.args().optText("source"), null);
          try {
            ContextState state = c.client().tasks().patchContext(id, c.args().optObject("context"), write);
            String head =
                state.version() != null
                    ? "Context updated for task #" + id + " (now version " + state.version() + ")."
                    : "Context updated for task #" + id + ".";
            return head + "\n\nMerged context:\n" + Render.indent(Render.json(state.context()), "  ");
          } catch (ConflictException e) {
            if (e.version() != null) {
              Map<String, Object> current = e.context() == null ? Map.of() : e.context();
              throw new ToolFailure(
                  "Context version conflict for task #"
                      + id
                      + ": another writer updated the context since your read.\n\nCurrent context"
                      + " (version "
                      + e.version()
                      + "):\n"
                      + Render.json(current)
                      + "\n\nMerge your changes with the above and retry with expected_version "
                      + e.version()
                      + ".");
            }
            throw e;
          }
        });
  }

  private static ToolDef history() {
    return new ToolDef(
        "get_context_history",
        "Read the append-only provenance ledger for a task's context. Use key to narrow history to"
            + " one context key; omitted key returns the newest history across all keys.",
        object()
            .req("task_id", id("The task ID whose context history to read"))
            .opt("key", str("Optional context key to filter history"))
            .opt("cursor", str("Continue from a cursor given by a previous call"))
            .build(),
        c -> {
          long id = c.args().id("task_id");
          return Render.contextHistory(
              c.client()
                  .tasks()
                  .contextHistory(id, c.args().optText("key"), c.args().optText("cursor"), null),
              id);
        });
  }

  private static ToolDef recall() {
    return new ToolDef(
        "recall",
        "Search your decision-memory across ALL tasks — recall a prior decision, fact, or"
            + " constraint without knowing which task recorded it. Returns the best-matching"
            + " context entries (key, value, source, and the task they live on) ranked by"
            + " relevance, with human-stated facts weighted highest. Use at the START of new work"
            + " to avoid re-deciding something already settled. Read-only; scoped to what you can"
            + " read.",
        object()
            .req("q", str("What you're about to do or looking for, e.g. 'auth token expiry policy'"))
            .opt("project_id", id("Restrict to one project"))
            .opt("source", oneOf("Restrict to a provenance source", SOURCES))
            .opt("key", str("Restrict to a specific context key"))
            .opt("limit", integer("Max results (default 20)", 1, 100))
            .opt("include_superseded", bool("Include retracted/overwritten entries (default false)"))
            .build(),
        c -> {
          Args a = c.args();
          RecallQuery q = RecallQuery.of(a.text("q"));
          Long project = a.optId("project_id");
          if (project != null) {
            q.projectId(project);
          }
          if (a.present("source")) {
            q.source(a.optText("source"));
          }
          if (a.present("key")) {
            q.key(a.optText("key"));
          }
          if (a.present("limit")) {
            q.limit(a.optInt("limit"));
          }
          if (Boolean.TRUE.equals(a.optBool("include_superseded"))) {
            q.includeSuperseded(true);
          }
          return Render.recall(c.client().recall(q));
        });
  }
}
