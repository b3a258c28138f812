package dev.delega.server.automation;

import dev.delega.api.Json;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills the {@code {{name}}} placeholders of an automation's text (comment, task content,
 * description) from an event context.
 *
 * <p>The context is a {@code Map<String, ?>}; {@code {{task.id}}} is looked up as the key {@code
 * "task.id"} first, then as {@code context.get("task").get("id")} through nested maps. The
 * documented names are {@link #PLACEHOLDERS}; any other name is allowed. Unknown names and {@code
 * null} render as nothing; collections as their items joined by {@code ", "} (so {@code
 * {{task.labels}}} is {@code bug, ui}); maps as JSON; instants in the API's format; everything
 * else as {@link String#valueOf}. Substitution is one pass: a value containing {@code {{…}}} is
 * inserted literally. Only names of letters, digits, {@code _} and {@code .} are placeholders;
 * other brace text ({@code {{ not a name }}}) is left as it is.
 */
public final class AutomationTemplate {
  /** The placeholders the official clients document, plus the actor's name. */
  public static final List<String> PLACEHOLDERS = List.of(
      "event",
      "task.id",
      "task.content",
      "task.description",
      "task.priority",
      "task.project_id",
      "task.labels",
      "task.due_date",
      "task.status",
      "actor.id",
      "actor.name");

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.]+)\\s*}}");

  private AutomationTemplate() {}

  /** Renders {@code template} against {@code context}; {@code null} renders as {@code null}. */
  public static String render(String template, Map<String, ?> context) {
    if (template == null) {
      return null;
    }
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder(template.length());
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(text(lookup(context, m.group(1)))));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static Object lookup(Map<String, ?> context, String name) {
    if (context.containsKey(name)) {
      return context.get(name);
    }
    Object node = context;
    for (String part : name.split("\\.", -1)) {
      if (!(node instanceof Map<?, ?> map)) {
        return null;
      }
      node = map.get(part);
    }
    return node;
  }

  private static String text(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Collection<?> items) {
      StringBuilder sb = new StringBuilder();
      for (Object item : items) {
        if (!sb.isEmpty()) {
          sb.append(", ");
        }
        sb.append(text(item));
      }
      return sb.toString();
    }
    if (value instanceof Map<?, ?> map) {
      return Json.mapper().writeValueAsString(map);
    }
    if (value instanceof Instant instant) {
      return Json.format(instant);
    }
    return String.valueOf(value);
  }
}
