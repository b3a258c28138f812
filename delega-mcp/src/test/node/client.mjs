// Drives a Delega MCP endpoint with the official TypeScript MCP SDK client, an implementation
// independent of the Java SDK the server is built on. It connects over Streamable HTTP, lists the
// tools, calls every tool in a small scenario, and prints one JSON summary on stdout.
//
// Environment:
//   DELEGA_MCP_URL      the endpoint, e.g. http://127.0.0.1:18890/mcp (required)
//   DELEGA_AGENT_KEY    an admin agent key, sent as X-Agent-Key (required)
//   DELEGA_WEBHOOK_URL  a receiver for webhook tools (optional; webhook tools are skipped without it)
//
// Exit status: 0 when the scenario ran (tool results are judged by the caller), 1 when the client
// could not talk MCP to the endpoint at all.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const url = process.env.DELEGA_MCP_URL;
const key = process.env.DELEGA_AGENT_KEY;
const webhookUrl = process.env.DELEGA_WEBHOOK_URL;
if (!url || !key) {
  console.error("set DELEGA_MCP_URL and DELEGA_AGENT_KEY");
  process.exit(2);
}

const summary = { server: null, instructions: false, tools: [], calls: [] };
const vars = {};

function textOf(result) {
  const content = Array.isArray(result?.content) ? result.content : [];
  return content.filter((c) => c.type === "text").map((c) => c.text).join("\n");
}

function capture(text, name, regex) {
  const m = regex.exec(text);
  if (m) vars[name] = m[1];
}

async function call(client, tool, args, captures = {}) {
  let result;
  try {
    result = await client.callTool({ name: tool, arguments: args });
  } catch (e) {
    summary.calls.push({ tool, args, isError: true, protocolError: String(e?.message ?? e), text: "" });
    return "";
  }
  const text = textOf(result);
  summary.calls.push({
    tool,
    args,
    isError: result.isError === true,
    contentItems: Array.isArray(result.content) ? result.content.length : 0,
    text,
  });
  for (const [name, regex] of Object.entries(captures)) capture(text, name, regex);
  return text;
}

const ID = /\[#(\d+)\]/;

async function main() {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { "X-Agent-Key": key } },
  });
  const client = new Client({ name: "delega-ts-check", version: "1.0.0" });
  await client.connect(transport);
  summary.server = client.getServerVersion() ?? null;
  summary.instructions = (client.getInstructions() ?? "").includes("claim_task");

  const listed = await client.listTools();
  summary.tools = listed.tools.map((t) => ({
    name: t.name,
    required: Array.isArray(t.inputSchema?.required) ? t.inputSchema.required : [],
  }));

  const tag = `ts${Date.now() % 100000}`;
  const content = `Renew the ${tag} TLS certificate for host web-${tag}-3`;

  await call(client, "get_stats", {});
  await call(client, "get_usage", {});
  await call(client, "list_projects", {});
  await call(client, "register_agent", { name: `ts-worker-${tag}`, role: "worker" }, { worker: ID });
  await call(client, "list_agents", {});
  await call(client, "set_agent_role", { agent_id: vars.worker, role: "coordinator" });
  await call(client, "create_task", { content, priority: 2, labels: [tag] }, { a: ID });
  await call(client, "find_duplicate_tasks", { content });
  await call(client, "list_tasks", { completed: false, label: tag });
  await call(client, "get_task", { task_id: String(vars.a) });
  await call(client, "update_task", { task_id: Number(vars.a), priority: 3, description: "expires soon" });
  await call(client, "add_comment", { task_id: vars.a, content: "on it" });
  await call(client, "link_task", { task_id: vars.a, kind: "branch", repo: "acme/web", ref: `renew-${tag}` });
  await call(client, "list_task_links", { task_id: vars.a });
  await call(client, "get_task_context", { task_id: vars.a });
  await call(client, "update_task_context", { task_id: vars.a, context: { ca: "internal", days: 90 }, source: "agent_observed" });
  await call(client, "get_task_context", { task_id: vars.a, include_provenance: true });
  await call(client, "get_context_history", { task_id: vars.a });
  await call(client, "recall", { q: "internal", limit: 5 });
  await call(client, "create_task", { content: `Deploy the ${tag} certificate`, labels: [tag] }, { b: ID });
  await call(client, "add_dependency", { task_id: vars.b, blocked_by_task_id: vars.a });
  await call(client, "list_ready_tasks", { label: tag });
  await call(client, "remove_dependency", { task_id: vars.b, blocked_by_task_id: vars.a });
  await call(client, "claim_task", { task_id: vars.a, lease_seconds: 120 });
  await call(client, "heartbeat_task", { task_id: vars.a, state: "working", detail: "requesting cert" });
  await call(client, "set_task_state", { task_id: vars.a, state: "waiting_input", detail: "CA approval" });
  await call(client, "fleet_attention", {});
  await call(client, "release_task", { task_id: vars.a, handoff: "CSR submitted" });
  await call(client, "claim_task", { labels: [tag], lease_seconds: 60 });
  await call(client, "complete_task", { task_id: vars.a, evidence: [{ kind: "artifact_url", ref: "https://example.com/cert.pem" }] });
  await call(client, "get_task_events", { task_id: vars.a });
  await call(client, "assign_task", { task_id: vars.b, agent_id: vars.worker });
  await call(client, "assign_task", { task_id: vars.b, agent_id: null });
  await call(client, "delegate_task", { task_id: vars.b, content: `Verify the ${tag} chain`, assigned_to_agent_id: vars.worker }, { c: ID });
  await call(client, "get_task_chain", { task_id: vars.c });
  await call(client, "delete_task", { task_id: vars.c });
  if (webhookUrl) {
    await call(client, "create_webhook", { url: webhookUrl, events: ["task.created"] }, { w: /ID: (\d+)/ });
    await call(client, "list_webhooks", {});
    await call(client, "test_webhook", { webhook_id: vars.w }, { d: /\[([^\]\s]+)\] webhook\.test/ });
    await call(client, "list_webhook_deliveries", { webhook_id: vars.w });
    await call(client, "redeliver_webhook", { webhook_id: vars.w, delivery_id: vars.d });
    await call(client, "delete_webhook", { webhook_id: vars.w });
  }
  await call(client, "create_automation", {
    name: `ts ${tag}`,
    event: "task.created",
    conditions: [{ field: "priority", op: "gte", value: 4 }],
    actions: [{ type: "add_comment", content: "urgent: {{task.content}}" }],
  }, { r: ID });
  await call(client, "list_automations", {});
  await call(client, "update_automation", { automation_id: vars.r, active: false });
  await call(client, "delete_automation", { automation_id: vars.r });
  await call(client, "create_ingress_source", { name: `ts-${tag}`, template: { content: "Alert: {{payload.title}}" } }, { i: ID });
  await call(client, "list_ingress_sources", {});
  await call(client, "update_ingress_source", { source_id: vars.i, rotate_secret: true });
  await call(client, "delete_ingress_source", { source_id: vars.i });
  await call(client, "create_recurring_task", { content: `Daily ${tag} check`, rule_type: "daily", timezone: "UTC" }, { rec: ID });
  await call(client, "list_recurrences", {});
  await call(client, "update_recurrence", { recurrence_id: vars.rec, skip_if_open: true });
  await call(client, "delete_recurrence", { recurrence_id: vars.rec });
  await call(client, "delete_agent", { agent_id: vars.worker });
  // failures must be tool results with isError, not protocol errors
  await call(client, "claim_task", { lease_seconds: 5 });
  await call(client, "get_task", { task_id: "not-an-id" });

  await client.close();
}

main()
  .then(() => {
    process.stdout.write(JSON.stringify(summary) + "\n");
    process.exit(0);
  })
  .catch((e) => {
    summary.fatal = String(e?.stack ?? e);
    process.stdout.write(JSON.stringify(summary) + "\n");
    process.exit(1);
  });
