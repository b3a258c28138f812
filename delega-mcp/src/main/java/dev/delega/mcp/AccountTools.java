package dev.delega.mcp;

import static dev.delega.mcp.Schema.array;
import static dev.delega.mcp.Schema.id;
import static dev.delega.mcp.Schema.integer;
import static dev.delega.mcp.Schema.object;
import static dev.delega.mcp.Schema.oneOf;
import static dev.delega.mcp.Schema.str;
import static dev.delega.mcp.Schema.strings;
import static dev.delega.mcp.Schema.uri;

import dev.delega.api.Agent;
import dev.delega.api.AgentUpdate;
import dev.delega.api.NewAgent;
import dev.delega.api.NewWebhook;
import dev.delega.api.Webhook;
import dev.delega.api.WebhookDelivery;
import java.util.ArrayList;
import java.util.List;

/**
 * The account tools: usage, the fleet triage board, stats, projects, agents and webhooks (with
 * ours for the delivery log, redelivery and test deliveries).
 */
final class AccountTools {
  static final List<String> ROLES = List.of("worker", "coordinator", "admin");

  /** The webhook and automation events the official client offers. */
  static final List<String> EVENTS =
      List.of(
          "task.created",
          "task.updated",
          "task.completed",
          "task.deleted",
          "task.assigned",
          "task.delegated",
          "task.commented",
          "task.claimed",
          "task.released",
          "task.state_changed",
          "task.linked");

  private AccountTools() {}

  static List<ToolDef> tools() {
    return List.of(
        getUsage(),
        fleetAttention(),
        getStats(),
        listProjects(),
        listAgents(),
        registerAgent(),
        setAgentRole(),
        deleteAgent(),
        listWebhooks(),
        createWebhook(),
        deleteWebhook(),
        listDeliveries(),
        redeliver(),
        testWebhook());
  }

  private static ToolDef getUsage() {
    return new ToolDef(
        "get_usage",
        "Get quota and rate-limit information. A self-hosted Delega has no plan limits; this shows"
            + " the counts and the configured rate limit.",
        object().build(),
        c -> Render.usage(c.client().usage()));
  }

  private static ToolDef fleetAttention() {
    return new ToolDef(
        "fleet_attention",
        "Triage board: one call returning everything that needs a human or coordinator —"
            + " abandoned claims (an expired lease of a crashed or silent agent), silent holders,"
            + " errored and input-blocked tasks, overdue, and looping (repeatedly released or"
            + " re-claimed) tasks. Coordinators and admins see all tasks, workers their own"
            + " involvement. Read-only.",
        object().build(),
        c -> Render.fleet(c.client().fleetAttention()));
  }

  private static ToolDef getStats() {
    return new ToolDef(
        "get_stats",
        "Get task statistics from Delega (totals, completed today, due today, overdue, by project)",
        object().build(),
        c -> Render.stats(c.client().stats()));
  }

  private static ToolDef listProjects() {
    return new ToolDef(
        "list_projects",
        "List all projects in Delega",
        object().build(),
        c -> Render.projects(c.client().projects().list()));
  }

  private static ToolDef listAgents() {
    return new ToolDef(
        "list_agents",
        "List all registered agents in Delega. Admin keys get the full view; coordinators get a"
            + " read-only directory (name, role, activity) for resolving agent IDs on tasks.",
        object().build(),
        c -> {
          List<Agent> agents = c.client().agents().list();
          if (agents.isEmpty()) {
            return "No agents registered.";
          }
          List<String> out = new ArrayList<>();
          for (Agent a : agents) {
            out.add(Render.agent(a, c.options().revealAgentKeys()));
          }
          return String.join("\n\n", out);
        });
  }

  private static ToolDef registerAgent() {
    return new ToolDef(
        "register_agent",
        "Register a new agent in Delega. Returns the API key (shown only at creation — save it!)",
        object()
            .req("name", str("Unique agent name (e.g. 'coordinator', 'researcher')"))
            .opt("display_name", str("Human-readable name (e.g. 'Research Bot')"))
            .opt("description", str("What this agent does"))
            .opt(
                "role",
                oneOf(
                    "Role preset: worker (own-task scope), coordinator (sees + can comment on and"
                        + " assign all tasks), admin (full account management).",
                    ROLES))
            .opt(
                "permissions",
                strings(
                    "Fine-grained permission scopes ('tasks.read_all', 'tasks.comment_all',"
                        + " 'tasks.assign_any'). Prefer role presets."))
            .build(),
        c -> {
          Args a = c.args();
          NewAgent body =
              new NewAgent(
                  a.text("name"),
                  a.optText("display_name"),
                  a.optText("description"),
                  a.optText("role"),
                  a.optStrings("permissions"),
                  null);
          Agent agent = c.client().agents().create(body);
          boolean reveal = c.options().revealAgentKeys();
          String warning =
              reveal
                  ? "\n\n⚠️ Save the API key — it won't be shown again."
                  : "\n\nAPI keys are redacted by default in MCP output. Set"
                      + " DELEGA_REVEAL_AGENT_KEYS=1 to reveal them.";
          return "Agent registered:\n\n" + Render.agent(agent, reveal) + warning;
        });
  }

  private static ToolDef setAgentRole() {
    return new ToolDef(
        "set_agent_role",
        "Set an agent's role (admin key required): worker (own-task scope), coordinator (sees +"
            + " can comment on and assign all tasks), or admin (full account management).",
        object()
            .req("agent_id", id("Agent ID to change"))
            .req("role", oneOf("Role preset to apply", ROLES))
            .build(),
        c -> {
          Agent agent =
              c.client()
                  .agents()
                  .update(c.args().id("agent_id"), AgentUpdate.create().role(c.args().text("role")));
          return "Role updated:\n\n" + Render.agent(agent, false);
        });
  }

  private static ToolDef deleteAgent() {
    return new ToolDef(
        "delete_agent",
        "Delete an agent. The API refuses to delete the caller itself or the last active admin.",
        object().req("agent_id", id("Agent ID to delete")).build(),
        c -> {
          long id = c.args().id("agent_id");
          c.client().agents().delete(id);
          return "Agent #" + id + " deleted.";
        });
  }

  private static ToolDef listWebhooks() {
    return new ToolDef(
        "list_webhooks",
        "List the webhooks you may manage (admins: all)",
        object().build(),
        c -> Render.webhooks(c.client().webhooks().list()));
  }

  private static ToolDef createWebhook() {
    return new ToolDef(
        "create_webhook",
        "Create a webhook to receive event notifications. Events: "
            + String.join(", ", EVENTS)
            + ". Deliveries are signed (X-Delega-Signature over X-Delega-Timestamp + '.' + body,"
            + " and Standard Webhooks headers) with a secret shown once.",
        object()
            .req("url", uri("HTTPS URL to receive webhook POST requests"))
            .req("events", array("Events to subscribe to", oneOf(null, EVENTS), 1, null))
            .build(),
        c -> {
          Webhook w =
              c.client()
                  .webhooks()
                  .create(NewWebhook.of(c.args().text("url"), c.args().optStrings("events")));
          return Render.webhookCreated(w, c.options().revealWebhookSecrets());
        });
  }

  private static ToolDef deleteWebhook() {
    return new ToolDef(
        "delete_webhook",
        "Delete a webhook by ID",
        object().req("webhook_id", id("Webhook ID to delete")).build(),
        c -> {
          long id = c.args().id("webhook_id");
          c.client().webhooks().delete(id);
          return "Webhook #" + id + " deleted.";
        });
  }

  private static ToolDef listDeliveries() {
    return new ToolDef(
        "list_webhook_deliveries",
        "List a webhook's recent deliveries (newest first) with their status, HTTP code, attempts,"
            + " next retry and last error. Use it to see why a receiver is not getting events.",
        object()
            .req("webhook_id", id("Webhook ID"))
            .opt("limit", integer("Max deliveries (1-500, default 50)", 1, 500))
            .build(),
        c -> {
          long id = c.args().id("webhook_id");
          Integer limit = c.args().optInt("limit");
          List<WebhookDelivery> deliveries =
              c.client().webhooks().deliveries(id, limit == null ? 50 : limit);
          return Render.deliveries(deliveries, id);
        });
  }

  private static ToolDef redeliver() {
    return new ToolDef(
        "redeliver_webhook",
        "Send one delivery of a webhook again, with the same delivery id (receivers deduplicate on"
            + " it). Get delivery ids from list_webhook_deliveries.",
        object()
            .req("webhook_id", id("Webhook ID"))
            .req("delivery_id", str("The delivery id to send again"))
            .build(),
        c -> {
          long id = c.args().id("webhook_id");
          WebhookDelivery d = c.client().webhooks().redeliver(id, c.args().text("delivery_id"));
          return "Redelivery queued for webhook #" + id + ":\n  " + Render.delivery(d);
        });
  }

  private static ToolDef testWebhook() {
    return new ToolDef(
        "test_webhook",
        "Send a signed webhook.test event to a webhook, to check the receiver and its signature"
            + " verification.",
        object().req("webhook_id", id("Webhook ID")).build(),
        c -> {
          long id = c.args().id("webhook_id");
          WebhookDelivery d = c.client().webhooks().test(id);
          return "Test delivery queued for webhook #" + id + ":\n  " + Render.delivery(d);
        });
  }
}
