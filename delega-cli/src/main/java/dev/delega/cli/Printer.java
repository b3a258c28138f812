package dev.delega.cli;

import dev.delega.api.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes human output (labelled fields, aligned tables, colour only on a terminal without {@code
 * NO_COLOR}) and {@code --json} output (pretty-printed, with agent keys and webhook secrets masked
 * unless the command is the one that created them).
 */
final class Printer {
  private static final String RESET = "\u001b[0m";

  private final PrintWriter out;
  private final boolean colour;

  Printer(PrintWriter out, boolean colour) {
    this.out = out;
    this.colour = colour;
  }

  void line(String text) {
    out.println(text);
  }

  void blank() {
    out.println();
  }

  /** Pretty JSON; any {@code api_key} or {@code secret} string is masked. */
  void json(JsonNode node) {
    out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(redact(node)));
  }

  /** Pretty JSON as given, for the one answer that shows a new key or secret. */
  void jsonWithSecrets(JsonNode node) {
    out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node));
  }

  /** {@code "  Label:   value"} lines; labels are padded to {@code width}. */
  void field(String label, Object value, int width) {
    if (value == null) {
      return;
    }
    String text = String.valueOf(value);
    if (text.isEmpty()) {
      return;
    }
    out.println("  " + dim(pad(label + ":", width + 1)) + " " + text);
  }

  /** An aligned table with a bold header; the last column is never padded. */
  void table(List<String> headers, List<List<String>> rows) {
    int n = headers.size();
    int[] widths = new int[n];
    for (int i = 0; i < n; i++) {
      widths[i] = headers.get(i).length();
    }
    for (List<String> row : rows) {
      for (int i = 0; i < n; i++) {
        widths[i] = Math.max(widths[i], visible(cell(row, i)).length());
      }
    }
    boolean[] numeric = new boolean[n];
    for (int i = 0; i < n; i++) {
      numeric[i] = !rows.isEmpty();
      for (List<String> row : rows) {
        String c = visible(cell(row, i));
        numeric[i] &= c.isEmpty() || c.matches("[-+]?[0-9][0-9.,]*%?");
      }
    }
    StringBuilder head = new StringBuilder();
    for (int i = 0; i < n; i++) {
      head.append(align(headers.get(i), widths[i], numeric[i], i == n - 1));
    }
    out.println(bold(head.toString().stripTrailing()));
    for (List<String> row : rows) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < n; i++) {
        b.append(align(cell(row, i), widths[i], numeric[i], i == n - 1));
      }
      out.println(b.toString().stripTrailing());
    }
  }

  /** A cell padded to its column: numbers to the right, text to the left; two spaces between. */
  private static String align(String c, int width, boolean right, boolean last) {
    String fill = " ".repeat(Math.max(0, width - visible(c).length()));
    if (right) {
      return fill + c + (last ? "" : "  ");
    }
    return last ? c : c + fill + "  ";
  }

  String bold(String s) {
    return paint("1", s);
  }

  String dim(String s) {
    return paint("2", s);
  }

  String red(String s) {
    return paint("31", s);
  }

  String green(String s) {
    return paint("32", s);
  }

  String yellow(String s) {
    return paint("33", s);
  }

  String cyan(String s) {
    return paint("36", s);
  }

  String magenta(String s) {
    return paint("35", s);
  }

  /** A task status, coloured by meaning. */
  String status(String status) {
    if (status == null) {
      return "";
    }
    return switch (status) {
      case "completed" -> green(status);
      case "blocked", "errored" -> red(status);
      case "waiting_input" -> yellow(status);
      case "in_progress" -> cyan(status);
      case "delegated" -> magenta(status);
      default -> status;
    };
  }

  /** {@code P1}…{@code P4}; 4 is urgent. */
  String priority(int priority) {
    String p = "P" + priority;
    return switch (priority) {
      case 4 -> red(bold(p));
      case 3 -> yellow(p);
      case 1 -> dim(p);
      default -> p;
    };
  }

  private String paint(String code, String s) {
    return colour && !s.isEmpty() ? "\u001b[" + code + "m" + s + RESET : s;
  }

  /** {@code dlg_abcd…wxyz}: enough to recognise a key, never enough to use it. */
  static String mask(String key) {
    if (key == null) {
      return null;
    }
    if (key.length() <= 12) {
      return key.substring(0, Math.min(4, key.length())) + "…";
    }
    return key.substring(0, 8) + "…" + key.substring(key.length() - 4);
  }

  /** Shortens text to {@code max} characters with an ellipsis. */
  static String clip(String s, int max) {
    if (s == null) {
      return "";
    }
    String flat = s.replace('\n', ' ').replace('\r', ' ');
    return flat.length() <= max ? flat : flat.substring(0, max - 1) + "…";
  }

  static String pad(String s, int width) {
    int len = visible(s).length();
    return len >= width ? s : s + " ".repeat(width - len);
  }

  /** The text without ANSI colour codes, for width computations. */
  static String visible(String s) {
    return s.replaceAll("\u001b\\[[0-9;]*m", "");
  }

  private static String cell(List<String> row, int i) {
    return i < row.size() && row.get(i) != null ? row.get(i) : "";
  }

  static JsonNode redact(JsonNode node) {
    if (node == null) {
      return null;
    }
    if (node.isObject()) {
      ObjectNode copy = ((ObjectNode) node).deepCopy();
      List<String> names = new ArrayList<>(copy.propertyNames());
      for (String name : names) {
        JsonNode v = copy.get(name);
        String lower = name.toLowerCase(Locale.ROOT);
        if ((lower.equals("api_key") || lower.equals("secret")) && v.isString()) {
          copy.put(name, mask(v.asString()));
        } else if (v.isContainer()) {
          copy.set(name, redact(v));
        }
      }
      return copy;
    }
    if (node.isArray()) {
      var copy = Json.mapper().createArrayNode();
      node.forEach(v -> copy.add(redact(v)));
      return copy;
    }
    return node;
  }
}
