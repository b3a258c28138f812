package dev.delega.server.ingress;

import dev.delega.server.internal.JsonFields;
import dev.delega.server.internal.FieldErrors;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * How an ingress source turns a payload into a task: text fields with {@code {{payload.path}}}
 * placeholders (see {@link PayloadTemplate} rules: missing → empty, values inserted as plain text,
 * never re-expanded).
 *
 * <p>Rendering trims every field and cuts it to the task limits ({@value #MAX_CONTENT_LENGTH} for
 * content, {@value #MAX_DESCRIPTION_LENGTH} for the description, {@value #MAX_LABEL_LENGTH} per
 * label, {@value #MAX_DEDUPE_KEY_LENGTH} for the dedupe key), drops blank and repeated labels and
 * adds {@value #INGRESS_LABEL}. A blank description or dedupe key becomes {@code null}; content that
 * renders blank is {@link Rendering.BlankContent}, which the caller answers with a 422.
 *
 * @param content the task content template, required, at most {@value #MAX_CONTENT_LENGTH}
 * @param description the description template, or {@code null}
 * @param priority 1–4, or {@code null} for the server default
 * @param labels label templates, at most {@value #MAX_LABELS}; {@code null} means none
 * @param dedupeKey a template whose rendering identifies retries of one event, or {@code null}
 */
public record TaskTemplate(
    String content, String description, Integer priority, List<String> labels, String dedupeKey) {

  public static final int MAX_CONTENT_LENGTH = 2000;
  public static final int MAX_DESCRIPTION_LENGTH = 50_000;
  public static final int MAX_LABELS = 10;
  public static final int MAX_LABEL_LENGTH = 100;
  public static final int MAX_DEDUPE_KEY_LENGTH = 200;

  /** The label every ingress task carries, so agents and automations can tell it is external. */
  public static final String INGRESS_LABEL = "ingress";

  /** Validates every limit; messages name the field ({@code content}, {@code labels[2]}, …). */
  public TaskTemplate {
    if (content == null || content.isBlank()) {
      throw FieldErrors.field("content", "content is required, e.g. \"CI failed: {{payload.workflow.name}}\"");
    }
    checkTemplate("content", content, MAX_CONTENT_LENGTH);
    if (description != null) {
      checkTemplate("description", description, MAX_DESCRIPTION_LENGTH);
    }
    if (priority != null && (priority < 1 || priority > 4)) {
      throw FieldErrors.field("priority", "priority must be between 1 and 4, got " + priority);
    }
    labels = labels == null ? List.of() : labels;
    if (labels.size() > MAX_LABELS) {
      throw FieldErrors.field(
          "labels", "labels must have at most " + MAX_LABELS + " entries, got " + labels.size());
    }
    for (int i = 0; i < labels.size(); i++) {
      String label = labels.get(i);
      String field = "labels[" + i + "]";
      if (label == null || label.isBlank()) {
        throw FieldErrors.field(field, field + " must not be blank");
      }
      checkTemplate(field, label, MAX_LABEL_LENGTH);
    }
    labels = List.copyOf(labels);
    if (dedupeKey != null) {
      checkTemplate("dedupe_key", dedupeKey, MAX_DEDUPE_KEY_LENGTH);
    }
  }

  /** Reads {@code {content, description?, priority?, labels?, dedupe_key?}}; a bad field throws a 422 naming it. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static TaskTemplate fromJson(JsonNode node) {
    JsonFields.requireObject(node, "template");
    return new TaskTemplate(
        JsonFields.string(node, "content"),
        JsonFields.string(node, "description"),
        JsonFields.integer(node, "priority"),
        JsonFields.strings(node, "labels"),
        JsonFields.string(node, "dedupe_key"));
  }

  /** Renders the task for one payload. */
  public Rendering render(JsonNode payload) {
    String renderedContent = JsonFields.truncate(
        PayloadTemplate.parse(content).render(payload).strip(), MAX_CONTENT_LENGTH).strip();
    if (renderedContent.isEmpty()) {
      return new Rendering.BlankContent(
          "the template's content rendered empty for this payload: check the paths in "
              + "template.content against the payload");
    }
    Set<String> renderedLabels = new LinkedHashSet<>();
    for (String label : labels) {
      String r = JsonFields.truncate(PayloadTemplate.parse(label).render(payload).strip(),
          MAX_LABEL_LENGTH).strip();
      if (!r.isEmpty()) {
        renderedLabels.add(r);
      }
    }
    renderedLabels.add(INGRESS_LABEL);
    return new Rendering.Ready(new RenderedTask(
        renderedContent,
        optional(description, payload, MAX_DESCRIPTION_LENGTH),
        priority,
        List.copyOf(renderedLabels),
        optional(dedupeKey, payload, MAX_DEDUPE_KEY_LENGTH)));
  }

  private static String optional(String template, JsonNode payload, int max) {
    if (template == null) {
      return null;
    }
    String r = JsonFields.truncate(PayloadTemplate.parse(template).render(payload).strip(), max).strip();
    return r.isEmpty() ? null : r;
  }

  private static void checkTemplate(String field, String template, int max) {
    if (template.length() > max) {
      throw FieldErrors.field(
          field, field + " must be at most " + max + " characters, got " + template.length());
    }
    try {
      PayloadTemplate.parse(template);
    } catch (IllegalArgumentException e) {
      throw FieldErrors.field(field, field + ": " + e.getMessage());
    }
  }

  /** A task's fields rendered from one payload; routing (project, assignee) comes from the source. */
  public record RenderedTask(
      String content, String description, Integer priority, List<String> labels, String dedupeKey) {}

  /** The outcome of {@link #render}: {@link Ready} or {@link BlankContent}. */
  public sealed interface Rendering permits Rendering.Ready, Rendering.BlankContent {
    /** The task to create. */
    record Ready(RenderedTask task) implements Rendering {}

    /**
     * Nothing to create: the content rendered blank; answer 422 {@code validation_failed}.
     *
     * @param message what the sender or the source's owner should change
     */
    record BlankContent(String message) implements Rendering {}
  }
}
