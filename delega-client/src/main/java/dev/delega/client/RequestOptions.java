package dev.delega.client;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Extra headers for one call: the lease token of a claimed task, an {@code If-Match} version, an
 * explicit {@code Idempotency-Key} (which also makes a POST safe to retry), or anything else.
 * Immutable; every {@code with…} returns a copy.
 */
public final class RequestOptions {
  private static final RequestOptions NONE = new RequestOptions(Map.of());

  private final Map<String, String> headers;

  private RequestOptions(Map<String, String> headers) {
    TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    copy.putAll(headers);
    this.headers = Collections.unmodifiableMap(copy);
  }

  /** No extra headers. */
  public static RequestOptions none() {
    return NONE;
  }

  /** Options carrying the lease token of a claim the caller holds. */
  public static RequestOptions lease(long leaseToken) {
    return NONE.withLeaseToken(leaseToken);
  }

  /** Options with an explicit idempotency key. */
  public static RequestOptions idempotent(String key) {
    return NONE.withIdempotencyKey(key);
  }

  /** Adds (or replaces) a header. */
  public RequestOptions withHeader(String name, String value) {
    TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    copy.putAll(headers);
    copy.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return new RequestOptions(copy);
  }

  /** Sends {@code X-Lease-Token}. */
  public RequestOptions withLeaseToken(long leaseToken) {
    return withHeader("X-Lease-Token", Long.toString(leaseToken));
  }

  /** Sends {@code If-Match: "<version>"} (the task's version is its ETag). */
  public RequestOptions withIfMatch(long version) {
    return withHeader("If-Match", "\"" + version + "\"");
  }

  /** Sends {@code If-Match} with a raw value, for example an ETag as it came back. */
  public RequestOptions withIfMatch(String etag) {
    return withHeader("If-Match", etag);
  }

  /** Sends {@code Idempotency-Key}, which also lets the SDK retry the POST safely. */
  public RequestOptions withIdempotencyKey(String key) {
    return withHeader("Idempotency-Key", key);
  }

  /** Sends {@code X-Dedup-Check: true} on a task create. */
  public RequestOptions withDedupCheck() {
    return withHeader("X-Dedup-Check", "true");
  }

  /** The headers, keyed case-insensitively. */
  public Map<String, String> headers() {
    return headers;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RequestOptions r && r.headers.equals(headers);
  }

  @Override
  public int hashCode() {
    return headers.hashCode();
  }

  @Override
  public String toString() {
    return "RequestOptions" + headers;
  }
}
