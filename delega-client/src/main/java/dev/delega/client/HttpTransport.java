package dev.delega.client;

import dev.delega.api.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JavaType;

/**
 * Sends requests for a {@link DelegaClient}: builds URIs and headers, encodes bodies, retries what
 * is safe to retry, and turns answers into values or exceptions.
 *
 * <p>Retry rule: only idempotent requests are retried (GET, HEAD, PUT, DELETE, OPTIONS, and any
 * request carrying an {@code Idempotency-Key}), on I/O failures and on 429, 502, 503 and 504. The
 * wait is the server's {@code Retry-After} when it sent one, else exponential backoff with jitter;
 * a {@code Retry-After} longer than the configured maximum ends the retries instead of waiting.
 */
final class HttpTransport {
  private static final Set<String> IDEMPOTENT_METHODS =
      Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS");
  private static final Set<Integer> RETRYABLE_STATUSES = Set.of(429, 502, 503, 504);

  private final ClientConfig config;
  private final HttpClient http;

  HttpTransport(ClientConfig config, HttpClient http) {
    this.config = config;
    this.http = http;
  }

  ClientConfig config() {
    return config;
  }

  HttpClient http() {
    return http;
  }

  /** One attempt, no retries, no automatic idempotency key; never throws on an error status. */
  RawResponse raw(String method, String path, Object body, Map<String, String> headers) {
    return once(request(method, path, encode(body), headers(method, body != null, headers)));
  }

  <T> T call(String method, String path, Object body, Class<T> type, RequestOptions options) {
    JavaType javaType = Json.mapper().getTypeFactory().constructType(type);
    return call(method, path, body, javaType, options.headers());
  }

  <T> T call(
      String method, String path, Object body, TypeReference<T> type, RequestOptions options) {
    JavaType javaType = Json.mapper().getTypeFactory().constructType(type);
    return call(method, path, body, javaType, options.headers());
  }

  <T> T call(String method, String path, Object body, Class<T> type) {
    return call(method, path, body, type, RequestOptions.none());
  }

  <T> T call(String method, String path, Object body, TypeReference<T> type) {
    return call(method, path, body, type, RequestOptions.none());
  }

  /** A call whose answer body is not needed. */
  void run(String method, String path, Object body, RequestOptions options) {
    call(method, path, body, (JavaType) null, options.headers());
  }

  /** The typed call: retries per the rule above, throws on a status of 300 or more. */
  <T> T call(String method, String path, Object body, JavaType type, Map<String, String> headers) {
    RawResponse response = exchange(method, path, body, headers);
    if (response.status() >= 300) {
      throw DelegaApiException.from(response, config.clock());
    }
    if (type == null || type.getRawClass() == Void.class || response.isEmpty()) {
      return null;
    }
    try {
      return Json.mapper().readValue(response.body(), type);
    } catch (JacksonException e) {
      throw new DelegaTransportException(
          "Malformed JSON in the answer to "
              + method
              + " "
              + resolve(path)
              + ": "
              + e.getOriginalMessage(),
          e);
    }
  }

  /** Sends with the retry rule and automatic idempotency keys; never throws on an error status. */
  RawResponse exchange(String method, String path, Object body, Map<String, String> extra) {
    String m = method.toUpperCase(Locale.ROOT);
    Map<String, String> headers = headers(m, body != null, extra);
    if (config.autoIdempotencyKeys()
        && m.equals("POST")
        && !headers.containsKey("Idempotency-Key")) {
      headers.put("Idempotency-Key", UUID.randomUUID().toString());
    }
    boolean retryable = IDEMPOTENT_METHODS.contains(m) || headers.containsKey("Idempotency-Key");
    HttpRequest request = request(m, path, encode(body), headers);
    for (int attempt = 0; ; attempt++) {
      boolean mayRetry = retryable && attempt < config.retries();
      RawResponse response;
      try {
        response = send(request);
      } catch (IOException e) {
        if (mayRetry) {
          pause(backoff(attempt), request);
          continue;
        }
        throw failure(request, e);
      }
      if (mayRetry && RETRYABLE_STATUSES.contains(response.status())) {
        Duration asked =
            response
                .header("Retry-After")
                .map(v -> RetryAfter.parse(v, config.clock()))
                .orElse(null);
        if (asked == null) {
          pause(backoff(attempt), request);
          continue;
        }
        if (asked.compareTo(config.maxRetryWait()) <= 0) {
          pause(asked, request);
          continue;
        }
      }
      return response;
    }
  }

  HttpRequest request(String method, String path, byte[] body, Map<String, String> headers) {
    HttpRequest.BodyPublisher publisher =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body);
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(resolve(path))
            .timeout(config.timeout())
            .method(method.toUpperCase(Locale.ROOT), publisher);
    headers.forEach(builder::header);
    return builder.build();
  }

  /**
   * Default headers, then the client's extra headers, then the call's; later names replace earlier
   * ones.
   */
  Map<String, String> headers(String method, boolean hasBody, Map<String, String> extra) {
    TreeMap<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.put("Accept", "application/json");
    headers.put("User-Agent", config.userAgent());
    String m = method.toUpperCase(Locale.ROOT);
    if (hasBody || m.equals("POST") || m.equals("PUT") || m.equals("PATCH")) {
      headers.put("Content-Type", "application/json");
    }
    if (config.apiKey() != null) {
      switch (config.authScheme()) {
        case AGENT_KEY -> headers.put("X-Agent-Key", config.apiKey());
        case BEARER -> headers.put("Authorization", "Bearer " + config.apiKey());
      }
    }
    headers.putAll(config.defaultHeaders());
    if (extra != null) {
      headers.putAll(extra);
    }
    return headers;
  }

  URI resolve(String path) {
    if (path.startsWith("http://") || path.startsWith("https://")) {
      return URI.create(path);
    }
    return URI.create(config.base() + (path.startsWith("/") ? path : "/" + path));
  }

  static byte[] encode(Object body) {
    return switch (body) {
      case null -> null;
      case byte[] bytes -> bytes;
      case String text -> text.getBytes(StandardCharsets.UTF_8);
      default -> Json.mapper().writeValueAsBytes(body);
    };
  }

  private RawResponse once(HttpRequest request) {
    try {
      return send(request);
    } catch (IOException e) {
      throw failure(request, e);
    }
  }

  private RawResponse send(HttpRequest request) throws IOException {
    try {
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      return new RawResponse(response.statusCode(), response.headers().map(), response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DelegaTransportException(
          request.method() + " " + request.uri() + " was interrupted", e);
    }
  }

  private DelegaTransportException failure(HttpRequest request, IOException e) {
    String what = request.method() + " " + request.uri();
    if (e instanceof HttpTimeoutException) {
      return new DelegaTransportException(what + " timed out after " + config.timeout(), e);
    }
    return new DelegaTransportException(what + " failed: " + e, e);
  }

  private void pause(Duration wait, HttpRequest request) {
    try {
      config.sleeper().sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DelegaTransportException(
          request.method() + " " + request.uri() + " was interrupted while waiting to retry", e);
    }
  }

  /** {@code initial * 2^attempt}, capped, then a uniformly random point in its upper half. */
  Duration backoff(int attempt) {
    long initial = Math.max(1, config.initialBackoff().toMillis());
    long cap = Math.max(initial, config.maxBackoff().toMillis());
    long full = attempt >= 30 ? cap : Math.min(cap, initial << attempt);
    long half = full / 2;
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(full - half + 1));
  }
}
