package dev.delega.cli;

import dev.delega.api.Json;
import dev.delega.client.RequestOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code delega webhooks …}: manage webhooks and inspect their deliveries. */
@Command(
    name = "webhooks",
    description = "Manage webhooks and inspect or replay their deliveries.",
    subcommands = {
      WebhookCommands.ListWebhooks.class,
      WebhookCommands.Create.class,
      WebhookCommands.Delete.class,
      WebhookCommands.Test.class,
      WebhookCommands.Deliveries.class,
      WebhookCommands.Redeliver.class
    })
final class WebhookCommands extends GroupCommand {
  static final List<String> EVENTS = List.of(
      "task.created", "task.updated", "task.completed", "task.deleted", "task.assigned", "task.delegated",
      "task.commented", "task.claimed", "task.released", "task.state_changed", "task.linked",
      "task.unblocked", "task.children_completed", "task.lease_expired");

  /** {@code webhooks list}. */
  @Command(name = "list", description = "List webhooks.")
  static final class ListWebhooks extends DelegaCommand {
    @Override
    int run() {
      try (Api api = api()) {
        JsonNode hooks = api.get("/webhooks");
        if (json) {
          printer().json(Printer.redact(hooks));
          return 0;
        }
        if (!hooks.isArray() || hooks.isEmpty()) {
          printer().line("No webhooks configured.");
          return 0;
        }
        Printer p = printer();
        List<List<String>> rows = new ArrayList<>();
        hooks.forEach(h -> rows.add(List.of(
            "#" + h.path("id").asString(),
            h.path("active").asBoolean(true) ? p.green("yes") : p.red("no"),
            h.path("failure_count").asString("0"),
            Printer.clip(h.path("url").asString(""), 60),
            Text.list(h.path("events")) == null ? "" : Text.list(h.path("events")))));
        p.table(List.of("ID", "ACTIVE", "FAILURES", "URL", "EVENTS"), rows);
        return 0;
      }
    }
  }

  /** {@code webhooks create}. */
  @Command(name = "create", description = "Create a webhook; its signing secret is shown this once.")
  static final class Create extends DelegaCommand {
    @Parameters(paramLabel = "<url>")
    String url;

    @Option(names = {"-e", "--events"}, split = ",", paramLabel = "<event>",
        description = "Events to send (default: the server's default set). Any of: ${COMPLETION-CANDIDATES}.",
        completionCandidates = EventNames.class)
    List<String> events;

    @Option(names = "--secret", description = "Your own signing secret (one is generated otherwise).")
    String secret;

    @Override
    int run() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("url", url);
      TaskCommands.put(body, "events", events);
      TaskCommands.put(body, "secret", secret);
      try (Api api = api()) {
        JsonNode hook = api.post("/webhooks", body, RequestOptions.none());
        if (json) {
          printer().jsonWithSecrets(hook);
          return 0;
        }
        Printer p = printer();
        p.line("Webhook #" + hook.path("id").asString() + " created for " + hook.path("url").asString());
        p.field("Events", Text.list(hook.path("events")), 7);
        String s = Text.of(hook, "secret");
        if (s != null) {
          p.field("Secret", p.bold(s) + " (shown this once; verify X-Delega-Signature with it)", 7);
        }
        return 0;
      }
    }
  }

  /** The event names, for help and shell completion. */
  static final class EventNames extends ArrayList<String> {
    EventNames() {
      super(EVENTS);
    }
  }

  /** {@code webhooks delete}. */
  @Command(name = "delete", description = "Delete a webhook.")
  static final class Delete extends DelegaCommand {
    @Parameters(paramLabel = "<webhook-id>")
    long id;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
    boolean yes;

    @Option(names = "--dry-run", description = "Show the webhook that would be deleted.")
    boolean dryRun;

    @Override
    int run() {
      try (Api api = api()) {
        if (dryRun) {
          JsonNode hook = api.get("/webhooks/" + id);
          return dryRun("would_delete", Printer.redact(hook), "Would delete webhook #" + id + " (" + hook.path("url").asString() + ").");
        }
        confirm(yes, "Delete webhook #" + id + "?");
        api.delete("/webhooks/" + id);
        if (json) {
          ObjectNode out = Json.mapper().createObjectNode();
          out.put("id", id);
          out.put("deleted", true);
          printer().json(out);
        } else {
          printer().line("Webhook #" + id + " deleted.");
        }
        return 0;
      }
    }
  }

  /** {@code webhooks test}. */
  @Command(name = "test", description = "Send a signed webhook.test ping now and show how it went.")
  static final class Test extends DelegaCommand {
    @Parameters(paramLabel = "<webhook-id>")
    long id;

    @Override
    int run() {
      try (Api api = api()) {
        JsonNode delivery = api.post("/webhooks/" + id + "/test", null, RequestOptions.none());
        if (json) {
          printer().json(delivery);
          return delivery.path("success").asBoolean(false) ? 0 : 1;
        }
        boolean ok = delivery.path("success").asBoolean(false);
        printer().line((ok ? printer().green("Delivered") : printer().red("Failed")) + " webhook.test to webhook #" + id
            + (Text.of(delivery, "status_code") == null ? "" : " (HTTP " + Text.of(delivery, "status_code") + ")")
            + (Text.of(delivery, "error") == null ? "" : ": " + Text.of(delivery, "error")) + " — delivery " + delivery.path("id").asString());
        return ok ? 0 : 1;
      }
    }
  }

  /** {@code webhooks deliveries}. */
  @Command(name = "deliveries", description = "Show a webhook's recent deliveries, newest first.")
  static final class Deliveries extends DelegaCommand {
    @Parameters(paramLabel = "<webhook-id>")
    long id;

    @Option(names = "--limit", description = "At most this many (default 20).")
    Integer limit;

    @Option(names = "--status", description = "pending, delivered or failed.")
    String status;

    @Override
    int run() {
      try (Api api = api()) {
        JsonNode deliveries = api.get(new Api.Query("/webhooks/" + id + "/deliveries").add("limit", limit).add("status", status).toString());
        if (json) {
          printer().json(deliveries);
          return 0;
        }
        if (!deliveries.isArray() || deliveries.isEmpty()) {
          printer().line("No deliveries yet.");
          return 0;
        }
        Printer p = printer();
        List<List<String>> rows = new ArrayList<>();
        deliveries.forEach(d -> {
          String status = d.path("status").asString(d.path("success").asBoolean(false) ? "delivered" : "pending");
          rows.add(List.of(
              d.path("id").asString(),
              d.path("event").asString(""),
              d.path("success").asBoolean(false) ? p.green(status) : "failed".equals(status) ? p.red(status) : p.yellow(status),
              Text.of(d, "status_code") == null ? "—" : Text.of(d, "status_code"),
              d.path("attempts").asString("0"),
              Text.time(Text.of(d, "created_at")) == null ? "" : Text.time(Text.of(d, "created_at")),
              Printer.clip(Text.of(d, "error"), 50)));
        });
        p.table(List.of("DELIVERY", "EVENT", "STATUS", "HTTP", "ATTEMPTS", "CREATED", "ERROR"), rows);
        return 0;
      }
    }
  }

  /** {@code webhooks redeliver}. */
  @Command(name = "redeliver", description = "Send a past delivery again (same payload, same delivery id).")
  static final class Redeliver extends DelegaCommand {
    @Parameters(index = "0", paramLabel = "<webhook-id>")
    long id;

    @Parameters(index = "1", paramLabel = "<delivery-id>")
    String deliveryId;

    @Override
    int run() {
      try (Api api = api()) {
        JsonNode delivery = api.post("/webhooks/" + id + "/deliveries/" + URLEncoder.encode(deliveryId, StandardCharsets.UTF_8) + "/redeliver",
            null, RequestOptions.none());
        return answer(delivery, () -> "Delivery " + deliveryId + " of webhook #" + id + " queued again"
              + (Text.of(delivery, "status") == null ? "." : " (" + Text.of(delivery, "status") + ")."));
      }
    }
  }
}
