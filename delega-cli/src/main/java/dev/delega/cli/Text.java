package dev.delega.cli;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Reads display text out of API answers, tolerating missing and null fields. */
final class Text {
  private Text() {}

  /** A field as text, or null when missing, null or empty. */
  static String of(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    if (v == null || v.isNull() || v.isMissingNode()) {
      return null;
    }
    String s = v.isValueNode() ? v.asString() : v.toString();
    return s.isEmpty() ? null : s;
  }

  /** An array as {@code a, b, c}; null when empty. */
  static String list(JsonNode array) {
    if (array == null || !array.isArray() || array.isEmpty()) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    array.forEach(v -> parts.add(v.isValueNode() ? v.asString() : v.toString()));
    return String.join(", ", parts);
  }

  /** {@code #1, #2} for an array of ids; null when empty. */
  static String ids(JsonNode array) {
    if (array == null || !array.isArray() || array.isEmpty()) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    array.forEach(v -> parts.add("#" + v.asString()));
    return String.join(", ", parts);
  }

  /**
   * An agent reference of a task ({@code role} = {@code assigned_to}, {@code created_by}…) as
   * {@code name (#id)}, from the nested {@code <role>_agent} or the flat {@code <role>_agent_id}.
   */
  static String agent(JsonNode task, String role) {
    JsonNode nested = task.get(role + "_agent");
    String id = of(task, role + "_agent_id");
    if (nested != null && nested.isObject()) {
      String name = of(nested, "name");
      String nid = of(nested, "id");
      if (name != null) {
        return name + " (#" + (nid != null ? nid : id) + ")";
      }
    }
    return id == null ? null : "#" + id;
  }

  /** The short form of an agent reference: the name, else {@code #id}, else a dash. */
  static String agentName(JsonNode task, String role) {
    JsonNode nested = task.get(role + "_agent");
    if (nested != null && nested.isObject() && of(nested, "name") != null) {
      return of(nested, "name");
    }
    String id = of(task, role + "_agent_id");
    return id == null ? "—" : "#" + id;
  }

  /** {@code 2026-05-01T10:00:00.000Z} → {@code 2026-05-01 10:00}; other text unchanged. */
  static String time(String iso) {
    if (iso == null) {
      return null;
    }
    if (iso.length() >= 16 && iso.charAt(10) == 'T') {
      return iso.substring(0, 10) + " " + iso.substring(11, 16);
    }
    return iso;
  }

  /** {@code 1 task}, {@code 3 tasks}. */
  static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /** The date part of a timestamp. */
  static String date(String iso) {
    return iso == null || iso.length() < 10 ? iso : iso.substring(0, 10);
  }
}
