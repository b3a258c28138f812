package dev.delega.cli;

import dev.delega.api.Json;
import dev.delega.client.DelegaApiException;
import dev.delega.client.RequestOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code delega tasks import FILE}: creates many tasks from a JSON array or JSON lines, each item a
 * {@code POST /tasks} body. Every item carries an {@code Idempotency-Key} derived from its position
 * and content, so running the same import again within the server's 24 h window replays instead of
 * duplicating.
 */
@Command(
    name = "import",
    description = "Create tasks from a JSON array or JSON-lines file (each item a POST /tasks body); safe to re-run.",
    footer = {"", "Example: delega tasks import backlog.jsonl    # {\"content\": \"…\", \"priority\": 2, \"labels\": [\"ops\"]} per line"})
final class ImportTasks extends DelegaCommand {
  @Parameters(paramLabel = "<file>", description = "JSON array or JSON lines; - for stdin.")
  String file;

  @Option(names = "--dry-run", description = "Check the file and count the tasks without creating them.")
  boolean dryRun;

  @Option(names = "--keep-going", description = "Carry on after a task is refused (exit 1 at the end if any was).")
  boolean keepGoing;

  @Override
  int run() throws IOException {
    List<JsonNode> items = read();
    ObjectNode out = Json.mapper().createObjectNode();
    out.put("file", file);
    out.put("tasks", items.size());
    if (dryRun) {
      out.put("dry_run", true);
      return answer(out, () -> "Would create " + items.size() + " task(s) from " + file + ".");
    }
    ArrayNode created = out.putArray("created");
    ArrayNode errors = out.putArray("errors");
    try (Api api = api()) {
      for (int i = 0; i < items.size(); i++) {
        progress("Importing " + (i + 1) + "/" + items.size());
        JsonNode item = items.get(i);
        try {
          JsonNode task = api.post("/tasks", item, RequestOptions.idempotent(key(i, item)));
          created.add(task.path("id").asLong());
        } catch (DelegaApiException e) {
          ObjectNode err = errors.addObject();
          err.put("item", i + 1);
          err.put("error", e.getMessage());
          err.put("code", e.code());
          if (!keepGoing) {
            break;
          }
        }
      }
    } finally {
      progressDone();
    }
    if (json) {
      printer().json(out);
    } else {
      printer().line("Created " + created.size() + " of " + items.size() + " task(s)"
          + (created.isEmpty() ? "." : ": #" + created.get(0).asString() + (created.size() > 1 ? " … #" + created.get(created.size() - 1).asString() : "") + "."));
      errors.forEach(e -> session().err().println("Error: item " + e.path("item").asString() + ": " + e.path("error").asString()));
      if (!errors.isEmpty() && !keepGoing) {
        session().err().println("Stopped at the first refusal; fix it and run the same import again (created tasks are not duplicated).");
      }
    }
    return errors.isEmpty() ? 0 : 1;
  }

  private List<JsonNode> read() throws IOException {
    String text;
    if (file.equals("-")) {
      StringBuilder b = new StringBuilder();
      for (String line = session().readLine(); line != null; line = session().readLine()) {
        b.append(line).append('\n');
      }
      text = b.toString();
    } else {
      Path path = session().resolve(file);
      if (!Files.isRegularFile(path)) {
        throw new CliException("No file " + path);
      }
      text = Files.readString(path, StandardCharsets.UTF_8);
    }
    List<JsonNode> items = new ArrayList<>();
    String trimmed = text.strip();
    if (trimmed.startsWith("[")) {
      JsonNode array = parse(trimmed, "the file");
      array.forEach(items::add);
    } else {
      int n = 0;
      for (String line : text.split("\n", -1)) {
        n++;
        if (!line.isBlank()) {
          items.add(parse(line, "line " + n));
        }
      }
    }
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      if (!item.isObject() || !item.path("content").isString() || item.path("content").asString().isBlank()) {
        throw new CliException("Item " + (i + 1) + " must be an object with a non-empty \"content\"");
      }
    }
    if (items.isEmpty()) {
      throw new CliException("No tasks in " + file);
    }
    return items;
  }

  private static JsonNode parse(String text, String where) {
    try {
      return Json.mapper().readTree(text);
    } catch (JacksonException e) {
      throw new CliException(where + " is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static String key(int index, JsonNode item) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((index + ":" + item).getBytes(StandardCharsets.UTF_8));
      return "import-" + HexFormat.of().formatHex(sha.digest()).substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
