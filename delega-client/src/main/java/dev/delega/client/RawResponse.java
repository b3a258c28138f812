package dev.delega.client;

import dev.delega.api.Json;
import dev.delega.api.Problem;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

/**
 * An HTTP answer as it came back: status, headers (looked up case-insensitively) and body bytes.
 * Raw calls return it for every status, error or not.
 *
 * @param status the HTTP status
 * @param headers every header with all its values, keyed case-insensitively
 * @param body the body bytes, empty when there was none
 */
public record RawResponse(int status, Map<String, List<String>> headers, byte[] body) {

  /** Copies the headers into a case-insensitive, unmodifiable map. */
  public RawResponse {
    TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    headers = Collections.unmodifiableMap(copy);
    body = body == null ? new byte[0] : body;
  }

  /** Whether the status is 2xx. */
  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }

  /** The first value of a header. */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** Every value of a header, empty when absent. */
  public List<String> headerValues(String name) {
    return headers.getOrDefault(name, List.of());
  }

  /** The body decoded as UTF-8. */
  public String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** Whether there is no body or only whitespace. */
  public boolean isEmpty() {
    for (byte b : body) {
      if (!Character.isWhitespace(b)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The body as a JSON tree.
   *
   * @throws DelegaTransportException when the body is not JSON
   */
  public JsonNode json() {
    try {
      return Json.mapper().readTree(body);
    } catch (JacksonException e) {
      throw new DelegaTransportException("Response body is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * The body read as a type with the shared mapper; null when the body is empty.
   *
   * @throws DelegaTransportException when the body is not JSON of that shape
   */
  public <T> T as(Class<T> type) {
    if (isEmpty()) {
      return null;
    }
    try {
      return Json.mapper().readValue(body, type);
    } catch (JacksonException e) {
      throw new DelegaTransportException(
          "Response body is not a " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  /**
   * The body read as a generic type, for example {@code new TypeReference<List<Task>>() {}}; null
   * when the body is empty.
   *
   * @throws DelegaTransportException when the body is not JSON of that shape
   */
  public <T> T as(TypeReference<T> type) {
    if (isEmpty()) {
      return null;
    }
    try {
      return Json.mapper().readValue(body, type);
    } catch (JacksonException e) {
      throw new DelegaTransportException(
          "Response body is not a " + type.getType().getTypeName() + ": " + e.getOriginalMessage(),
          e);
    }
  }

  /**
   * The body read as an error body. Never fails: a body that is not a JSON object becomes the
   * {@code error} text; a missing code is derived from the status; the message falls back from
   * {@code error} to {@code message}, a string {@code detail}, the raw text, then {@code HTTP
   * <status>}.
   */
  public Problem problem() {
    Problem problem = new Problem();
    problem.setStatus(status);
    JsonNode node = null;
    if (!isEmpty()) {
      try {
        node = Json.mapper().readTree(body);
      } catch (JacksonException notJson) {
        node = null;
      }
    }
    String message = null;
    if (node != null && node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        String key = field.getKey();
        JsonNode value = field.getValue();
        switch (key) {
          case "error" -> {
            if (value.isString()) {
              problem.setError(value.asString());
            } else {
              problem.putExtra(key, Json.mapper().treeToValue(value, Object.class));
            }
          }
          case "code" -> problem.setCode(value.isNull() ? null : value.asString());
          case "status" -> {
            if (value.canConvertToInt()) {
              problem.setStatus(value.asInt());
            }
          }
          case "detail" -> {
            if (value.isString()) {
              problem.setDetail(value.asString());
            } else {
              problem.putExtra(key, Json.mapper().treeToValue(value, Object.class));
            }
          }
          default -> problem.putExtra(key, Json.mapper().treeToValue(value, Object.class));
        }
      }
      if (problem.getError() == null && problem.getExtra().get("message") instanceof String m) {
        message = m;
      }
    }
    if (problem.getError() == null) {
      if (message == null) {
        message = problem.getDetail();
      }
      if (message == null && node == null && !isEmpty()) {
        message = text().strip();
      }
      problem.setError(message == null || message.isEmpty() ? "HTTP " + status : message);
    }
    if (problem.getCode() == null) {
      problem.setCode(defaultCode(status));
    }
    if (problem.getDetail() == null) {
      problem.setDetail(problem.getError());
    }
    return problem;
  }

  static String defaultCode(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 409 -> "conflict";
      case 412 -> "precondition_failed";
      case 413 -> "payload_too_large";
      case 422 -> "validation_failed";
      case 429 -> "rate_limited";
      default -> status >= 500 ? "internal" : "http_" + status;
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RawResponse r
        && r.status == status
        && r.headers.equals(headers)
        && Arrays.equals(r.body, body);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * status + headers.hashCode()) + Arrays.hashCode(body);
  }

  @Override
  public String toString() {
    String text = text();
    return "RawResponse["
        + status
        + ", "
        + (text.length() > 500 ? text.substring(0, 500) + "…" : text)
        + "]";
  }
}
