package dev.delega.server.conformance;

import dev.delega.api.Json;
import dev.delega.client.DelegaClient;
import dev.delega.client.RawResponse;
import dev.delega.server.testing.DelegaServerExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/**
 * The agents of one test server and an SDK client for each: the bootstrap admin, and workers,
 * coordinators and readers made on demand with unique names, so tests sharing a server never see
 * each other's agents. Clients never retry, so every status reaches the test as the server sent it.
 */
public final class Fleet {
  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  private final DelegaServerExtension server;

  public Fleet(DelegaServerExtension server) {
    this.server = server;
  }

  /** One agent of the fleet: its name, id, key and a client acting as it. */
  public record Actor(String name, long id, String key, DelegaClient client) {
    /** A raw request as this agent, relative to {@code /api} (or an absolute URL). */
    public RawResponse send(String method, String path, Object body) {
      return client.send(method, path, body);
    }

    /** A raw request as this agent with extra headers. */
    public RawResponse send(String method, String path, Object body, Map<String, String> headers) {
      return client.send(method, path, body, headers);
    }
  }

  /** A client for {@code key} (null: no key) against the server's current port. */
  public DelegaClient client(String key) {
    return DelegaClient.builder()
        .baseUrl(server.baseUrl())
        .apiKey(key)
        .retries(0)
        .timeout(Duration.ofSeconds(30))
        .httpClient(HTTP)
        .build();
  }

  /** A client for {@code key} against any base URL, plain http allowed (for non-loopback addresses). */
  public static DelegaClient clientAt(String baseUrl, String key) {
    return DelegaClient.builder()
        .baseUrl(baseUrl)
        .apiKey(key)
        .retries(0)
        .allowInsecureHttp(true)
        .timeout(Duration.ofSeconds(30))
        .httpClient(HTTP)
        .build();
  }

  /** An IPv4 address of this machine that is not loopback, if it has one. */
  public static Optional<String> nonLoopbackAddress() {
    try {
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nif.isUp() || nif.isLoopback()) {
          continue;
        }
        for (InetAddress a : Collections.list(nif.getInetAddresses())) {
          if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
            return Optional.of(a.getHostAddress());
          }
        }
      }
    } catch (SocketException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** A client that sends no key. */
  public DelegaClient anonymous() {
    return client(null);
  }

  /** The bootstrap admin. */
  public Actor admin() {
    String key = server.adminKey();
    return new Actor("admin", server.agentId(key), key, client(key));
  }

  /** A unique name starting with {@code prefix}. */
  public static String unique(String prefix) {
    return prefix + "-" + SEQUENCE.incrementAndGet();
  }

  /** A new agent with a unique name, the given role and extra fields (permissions…). */
  public Actor agent(String prefix, String role, Map<String, Object> extra) {
    String name = unique(prefix);
    String key = server.newAgent(name, role, extra);
    return new Actor(name, server.agentId(key), key, client(key));
  }

  public Actor worker(String prefix) {
    return agent(prefix, "worker", Map.of());
  }

  public Actor coordinator(String prefix) {
    return agent(prefix, "coordinator", Map.of());
  }

  /** A worker with the explicit permission {@code tasks.read_all}. */
  public Actor reader(String prefix) {
    return agent(prefix, "worker", Map.of("permissions", List.of("tasks.read_all")));
  }

  /** A second admin (not the bootstrap one). */
  public Actor otherAdmin(String prefix) {
    return agent(prefix, "admin", Map.of());
  }

  /** A worker the admin has deactivated; its key no longer works. */
  public Actor deactivated(String prefix) {
    Actor a = worker(prefix);
    RawResponse r = admin().send("PUT", "/agents/" + a.id(), Map.of("active", false));
    if (r.status() != 200) {
      throw new IllegalStateException("cannot deactivate " + a.name() + ": " + r);
    }
    return a;
  }

  /** A syntactically valid key that belongs to nobody. */
  public static String wrongKey() {
    return "dlg_" + "x".repeat(43);
  }

  /** Creates a task as {@code actor} from a JSON-like body and returns its wire JSON. */
  public static JsonNode task(Actor actor, Map<String, Object> body) {
    return expect(actor.send("POST", "/tasks", body), 201);
  }

  /** Creates a task with only content as {@code actor}; returns its id. */
  public static long task(Actor actor, String content) {
    return task(actor, Map.of("content", content)).get("id").asLong();
  }

  /** The body of {@code r} as JSON after checking its status; fails with the whole answer otherwise. */
  public static JsonNode expect(RawResponse r, int status) {
    if (r.status() != status) {
      throw new AssertionError("expected " + status + " but got " + r.status() + ": " + r.text());
    }
    return r.isEmpty() ? Json.mapper().nullNode() : r.json();
  }

  /** The {@code id} of each element of a JSON array (top level only, never nested objects' ids). */
  public static List<Long> ids(JsonNode array) {
    List<Long> out = new ArrayList<>();
    array.forEach(n -> out.add(n.get("id").asLong()));
    return out;
  }

  /** A map literal that keeps its order and allows null values. */
  public static Map<String, Object> body(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /**
   * One request that never hangs on a stream: the body is read only when the answer is not an
   * event stream ({@code text/event-stream} bodies never end), so any route can be probed.
   */
  public static RawResponse probe(String method, String url, String key, String body) {
    try {
      return probeOnce(method, url, key, body);
    } catch (UncheckedIOException e) {
      // Jetty closes the connection after a request it cannot parse (such as %00 in the path);
      // the client may already have picked that pooled connection for the next request.
      return probeOnce(method, url, key, body);
    }
  }

  private static RawResponse probeOnce(String method, String url, String key, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(30))
        .header("Accept", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (key != null) {
      b.header("X-Agent-Key", key);
    }
    try {
      HttpResponse<InputStream> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      byte[] bytes = new byte[0];
      try (InputStream in = r.body()) {
        if (!r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
          bytes = in.readAllBytes();
        }
      }
      return new RawResponse(r.statusCode(), r.headers().map(), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Sends a body the server will refuse for its size the way careful clients do, with {@code
   * Expect: 100-continue}: the server answers 413 from the headers alone and the body is never
   * sent, so the answer cannot be lost to a connection closed in mid-upload.
   */
  public static RawResponse sendOversized(String method, String url, String key, byte[] body, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(30))
        .expectContinue(true)
        .header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    if (key != null) {
      b.header("X-Agent-Key", key);
    }
    headers.forEach(b::header);
    try {
      HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new RawResponse(r.statusCode(), r.headers().map(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The shared HTTP client, for requests the SDK cannot express (chunked bodies). */
  public static HttpClient http() {
    return HTTP;
  }
}
