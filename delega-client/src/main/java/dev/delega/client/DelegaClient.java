package dev.delega.client;

import dev.delega.api.FleetAttention;
import dev.delega.api.Health;
import dev.delega.api.Me;
import dev.delega.api.RecallResult;
import dev.delega.api.Stats;
import dev.delega.api.Usage;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import tools.jackson.core.type.TypeReference;

/**
 * The Delega Java SDK: a thread-safe client for the Delega REST API on {@code java.net.http}.
 *
 * <pre>{@code
 * try (DelegaClient delega = DelegaClient.builder()
 *     .baseUrl("http://127.0.0.1:18890")       // loopback without a path: /api
 *     .apiKey(System.getenv("DELEGA_AGENT_KEY"))
 *     .build()) {
 *   Task task = delega.tasks().create(NewTask.builder("Ship the release").priority(3).build());
 *   delega.tasks().complete(task.id());
 * }
 * }</pre>
 *
 * <p>Typed calls are grouped by resource ({@link #tasks()}, {@link #agents()}, …) and throw a
 * {@link DelegaApiException} subclass for an error status. {@link #send} is the raw escape hatch:
 * it returns any answer as a {@link RawResponse} without throwing on 4xx or 5xx.
 */
public final class DelegaClient implements AutoCloseable {
  /** The SDK version, sent in {@code User-Agent: delega-java/<version>}. */
  public static final String VERSION = "0.1.0";

  private final HttpTransport transport;
  private final boolean ownsHttpClient;
  private final Tasks tasks;
  private final Agents agents;
  private final Projects projects;
  private final Webhooks webhooks;
  private final Events events;
  private final Automations automations;
  private final IngressSources ingressSources;
  private final Recurrences recurrences;

  private DelegaClient(HttpTransport transport, boolean ownsHttpClient) {
    this.transport = transport;
    this.ownsHttpClient = ownsHttpClient;
    this.tasks = new Tasks(transport);
    this.agents = new Agents(transport);
    this.projects = new Projects(transport);
    this.webhooks = new Webhooks(transport);
    this.events = new Events(transport);
    this.automations = new Automations(transport);
    this.ingressSources = new IngressSources(transport);
    this.recurrences = new Recurrences(transport);
  }

  /** A builder; {@link Builder#baseUrl} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** A client with default settings for a base URL and key (the key may be null). */
  public static DelegaClient create(String baseUrl, String apiKey) {
    return builder().baseUrl(baseUrl).apiKey(apiKey).build();
  }

  /**
   * A client with the same settings and connection pool but another key (null for none), for acting
   * as another agent. It does not own the pool: close this client, not the copy, last.
   */
  public DelegaClient withApiKey(String apiKey) {
    return new DelegaClient(
        new HttpTransport(transport.config().withApiKey(apiKey), transport.http()), false);
  }

  /** The resolved API base, for example {@code http://127.0.0.1:18890/api}. */
  public URI baseUri() {
    return transport.config().base();
  }

  /** Tasks, delegation, claims, context, comments, subtasks, links. */
  public Tasks tasks() {
    return tasks;
  }

  /** Agents and keys. */
  public Agents agents() {
    return agents;
  }

  /** Projects. */
  public Projects projects() {
    return projects;
  }

  /** Webhooks and their deliveries. */
  public Webhooks webhooks() {
    return webhooks;
  }

  /** The event log and its live stream. */
  public Events events() {
    return events;
  }

  /** When-then automations. */
  public Automations automations() {
    return automations;
  }

  /** Signed inbound ingress sources. */
  public IngressSources ingressSources() {
    return ingressSources;
  }

  /** Recurring task templates. */
  public Recurrences recurrences() {
    return recurrences;
  }

  /** {@code GET /health} under the base; needs no key. */
  public Health health() {
    return transport.call("GET", "/health", null, Health.class);
  }

  /** {@code GET /stats}: counters over the tasks the caller may see. */
  public Stats stats() {
    return transport.call("GET", "/stats", null, Stats.class);
  }

  /** {@code GET /usage}: plan and counts. */
  public Usage usage() {
    return transport.call("GET", "/usage", null, Usage.class);
  }

  /** {@code GET /agent/me}: the calling agent. */
  public Me me() {
    return transport.call("GET", "/agent/me", null, Me.class);
  }

  /** {@code GET /context/search?q=…}: context values across tasks that match a query. */
  public RecallResult recall(String q) {
    return recall(RecallQuery.of(q));
  }

  /** {@code GET /context/search} with filters. */
  public RecallResult recall(RecallQuery query) {
    return transport.call("GET", query.appendTo("/context/search"), null, RecallResult.class);
  }

  /**
   * {@code GET /fleet/attention}: abandoned, silent, errored, waiting, overdue and looping work.
   */
  public FleetAttention fleetAttention() {
    return transport.call("GET", "/fleet/attention", null, FleetAttention.class);
  }

  /**
   * Sends one request and returns the answer whatever its status, with no retries and no automatic
   * idempotency key. {@code path} is relative to the base ({@code /tasks/5}, query string allowed)
   * or an absolute {@code http(s)://} URL. A {@code String} or {@code byte[]} body is sent
   * verbatim; any other non-null body is written as JSON with the shared mapper; null sends no
   * body. The client's default headers ({@code Accept}, {@code User-Agent}, the key, {@code
   * Content-Type} on bodies and on POST/PUT/PATCH) are sent unless {@code headers} names them with
   * another value.
   *
   * @throws DelegaTransportException when no answer came back
   */
  public RawResponse send(String method, String path, Object body, Map<String, String> headers) {
    return transport.raw(method, path, body, headers == null ? Map.of() : headers);
  }

  /** {@link #send(String, String, Object, Map)} with raw body bytes (null for none). */
  public RawResponse send(String method, String path, byte[] body, Map<String, String> headers) {
    return transport.raw(method, path, body, headers == null ? Map.of() : headers);
  }

  /** {@link #send(String, String, Object, Map)} without extra headers. */
  public RawResponse send(String method, String path, Object body) {
    return transport.raw(method, path, body, Map.of());
  }

  /** {@link #send(String, String, Object, Map)} without a body or extra headers. */
  public RawResponse send(String method, String path) {
    return transport.raw(method, path, null, Map.of());
  }

  /**
   * A typed call to any route, with the client's retry rule and automatic idempotency keys; null
   * when the answer has no body.
   *
   * @throws DelegaApiException for a status of 300 or more
   * @throws DelegaTransportException when no answer came back or its JSON does not fit {@code type}
   */
  public <T> T call(String method, String path, Object body, Class<T> type) {
    return transport.call(method, path, body, type);
  }

  /** {@link #call(String, String, Object, Class)} with per-call options. */
  public <T> T call(
      String method, String path, Object body, Class<T> type, RequestOptions options) {
    return transport.call(method, path, body, type, options);
  }

  /** {@link #call(String, String, Object, Class)} for a generic type such as {@code List<Task>}. */
  public <T> T call(String method, String path, Object body, TypeReference<T> type) {
    return transport.call(method, path, body, type);
  }

  /** {@link #call(String, String, Object, TypeReference)} with per-call options. */
  public <T> T call(
      String method, String path, Object body, TypeReference<T> type, RequestOptions options) {
    return transport.call(method, path, body, type, options);
  }

  /** Stops open event subscriptions and, when this client built its own, the HTTP client. */
  @Override
  public void close() {
    events.closeAll();
    if (ownsHttpClient) {
      transport.http().close();
    }
  }

  /** Configures a {@link DelegaClient}. */
  public static final class Builder {
    private String baseUrl;
    private String apiKey;
    private AuthScheme authScheme = AuthScheme.AGENT_KEY;
    private Duration timeout = Duration.ofSeconds(30);
    private int retries = 2;
    private Duration initialBackoff = Duration.ofMillis(250);
    private Duration maxBackoff = Duration.ofSeconds(8);
    private Duration maxRetryWait = Duration.ofSeconds(30);
    private boolean autoIdempotencyKeys;
    private String userAgent = "delega-java/" + VERSION;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private HttpClient httpClient;
    private boolean allowInsecureHttp;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.REAL;

    private Builder() {}

    /**
     * The server URL. With a path ({@code http://host:18890/api}, {@code https://host/v1}) it is
     * the base as given; without one, localhost, 127.0.0.1 and ::1 get {@code /api} and any other
     * host {@code /v1}. Plain http is refused for non-loopback hosts unless {@link
     * #allowInsecureHttp(boolean)}.
     */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = baseUrl;
      return this;
    }

    /** The agent key ({@code dlg_…}); null sends no key. */
    public Builder apiKey(String apiKey) {
      this.apiKey = apiKey;
      return this;
    }

    /** How the key is sent; {@link AuthScheme#AGENT_KEY} by default. */
    public Builder authScheme(AuthScheme authScheme) {
      this.authScheme = Objects.requireNonNull(authScheme, "authScheme");
      return this;
    }

    /**
     * Per-attempt timeout (response headers must arrive within it) and connect timeout; 30 s by
     * default.
     */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * How many times an idempotent request is retried after the first attempt; 2 by default, 0
     * turns retries off.
     */
    public Builder retries(int retries) {
      if (retries < 0) {
        throw new IllegalArgumentException("retries must be >= 0: " + retries);
      }
      this.retries = retries;
      return this;
    }

    /** Exponential backoff bounds between retries; 250 ms doubling up to 8 s by default. */
    public Builder retryBackoff(Duration initial, Duration max) {
      if (initial.isNegative() || max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("need 0 <= initial <= max: " + initial + ", " + max);
      }
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /**
     * The longest {@code Retry-After} the client waits out before retrying; longer ones fail at
     * once. 30 s by default.
     */
    public Builder maxRetryWait(Duration maxRetryWait) {
      if (maxRetryWait.isNegative()) {
        throw new IllegalArgumentException("maxRetryWait must not be negative: " + maxRetryWait);
      }
      this.maxRetryWait = maxRetryWait;
      return this;
    }

    /**
     * When true, every POST carries a random {@code Idempotency-Key} (the same one across its
     * retries), which also makes POSTs retryable. Off by default.
     */
    public Builder autoIdempotencyKeys(boolean autoIdempotencyKeys) {
      this.autoIdempotencyKeys = autoIdempotencyKeys;
      return this;
    }

    /** Replaces the {@code User-Agent}; {@code delega-java/<version>} by default. */
    public Builder userAgent(String userAgent) {
      this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
      return this;
    }

    /** A header sent on every request (a call's own headers still win). */
    public Builder header(String name, String value) {
      headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Uses this HTTP client instead of building one; the Delega client then never closes it. */
    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = httpClient;
      return this;
    }

    /** Allows plain http to non-loopback hosts. Off by default. */
    public Builder allowInsecureHttp(boolean allowInsecureHttp) {
      this.allowInsecureHttp = allowInsecureHttp;
      return this;
    }

    /** The clock used to read {@code Retry-After} dates. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * The client.
     *
     * @throws IllegalArgumentException when the base URL is missing or unusable
     */
    public DelegaClient build() {
      URI base = BaseUrl.resolve(baseUrl, allowInsecureHttp);
      ClientConfig config =
          new ClientConfig(
              base,
              apiKey,
              authScheme,
              timeout,
              retries,
              initialBackoff,
              maxBackoff,
              maxRetryWait,
              autoIdempotencyKeys,
              userAgent,
              Map.copyOf(headers),
              clock,
              sleeper);
      boolean owns = httpClient == null;
      HttpClient http =
          owns
              ? HttpClient.newBuilder()
                  .version(HttpClient.Version.HTTP_1_1)
                  .connectTimeout(timeout)
                  .followRedirects(HttpClient.Redirect.NEVER)
                  .build()
              : httpClient;
      return new DelegaClient(new HttpTransport(config, http), owns);
    }
  }
}
