package dev.delega.server.webhook;

import dev.delega.server.webhook.WebhookUrlPolicy.Allowed;
import dev.delega.server.webhook.WebhookUrlPolicy.Refused;
import dev.delega.server.webhook.WebhookUrlPolicy.Verdict;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * Posts one webhook payload and reports what happened as an {@link Attempt}; never throws for a
 * failed delivery.
 *
 * <p>Design note. The URL is checked with {@link WebhookUrlPolicy} before anything is sent (a
 * refused URL gives an attempt with the refusal and no connection). Jetty then resolves the host
 * through a {@link SocketAddressResolver} that runs the same policy and hands Jetty only the
 * addresses it checked, so the socket goes to a checked address whatever DNS answers in between (no
 * DNS-rebinding window); TLS still sends SNI and verifies the certificate for the host name.
 * Redirects are not followed (a 3xx is a failure), at most {@value #MAX_RESPONSE_BYTES} bytes of
 * the response body are read, and the exchange, connection included, is bounded by {@link
 * Options#totalTimeout()}. {@link #send} blocks, which suits a virtual thread; {@link #sendAsync}
 * does not wait for the response.
 */
public final class WebhookSender implements AutoCloseable {

  /** Most response-body bytes read. */
  public static final int MAX_RESPONSE_BYTES = 4096;

  /** Most characters kept of a response body or error message. */
  public static final int MAX_EXCERPT_CHARS = 500;

  /** Timeouts and the version sent in {@code User-Agent: Delega-Webhooks/<version>}. */
  public record Options(Duration connectTimeout, Duration totalTimeout, String version) {
    public Options {
      requirePositive(connectTimeout, "connectTimeout");
      requirePositive(totalTimeout, "totalTimeout");
      if (version == null || version.isBlank()) {
        throw new IllegalArgumentException("version must not be blank");
      }
    }

    /**
     * Connect timeout 5 s, total timeout 10 s, the jar's implementation version (or {@code dev}).
     */
    public static Options defaults() {
      String version = WebhookSender.class.getPackage().getImplementationVersion();
      return new Options(
          Duration.ofSeconds(5), Duration.ofSeconds(10), version == null ? "dev" : version);
    }

    /** These options with other timeouts. */
    public Options withTimeouts(Duration connectTimeout, Duration totalTimeout) {
      return new Options(connectTimeout, totalTimeout, version);
    }

    private static void requirePositive(Duration d, String name) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
    }
  }

  /**
   * One delivery attempt. {@code statusCode} is {@code null} when no response arrived (refused URL,
   * connection failure, timeout); {@code responseExcerpt} is the start of the response body (at
   * most {@value #MAX_EXCERPT_CHARS} characters) or {@code null}; {@code error} is {@code null}
   * exactly when the attempt succeeded, else a message fit for the delivery log; {@code retryAfter}
   * is the receiver's {@code Retry-After}, or {@code null}.
   */
  public record Attempt(
      Integer statusCode,
      long latencyMillis,
      String responseExcerpt,
      String error,
      Duration retryAfter) {

    /** A 2xx response, read without error. */
    public boolean success() {
      return error == null && statusCode != null && statusCode >= 200 && statusCode < 300;
    }

    static Attempt failed(String reason) {
      return new Attempt(null, 0, null, reason, null);
    }
  }

  private final WebhookUrlPolicy policy;
  private final Clock clock;
  private final Options options;
  private final HttpClient client;

  /** A started sender; {@link #close()} stops its HTTP client. */
  public WebhookSender(WebhookUrlPolicy policy, Clock clock, Options options) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.options = Objects.requireNonNull(options, "options");
    HttpClient http = new HttpClient();
    http.setName("delega-webhooks");
    http.setSocketAddressResolver(new CheckedAddressResolver(policy));
    http.setFollowRedirects(false);
    http.setConnectTimeout(options.connectTimeout().toMillis());
    http.setIdleTimeout(options.totalTimeout().toMillis());
    http.setUserAgentField(
        new HttpField(HttpHeader.USER_AGENT, "Delega-Webhooks/" + options.version()));
    try {
      http.start();
    } catch (Exception e) {
      throw new IllegalStateException("could not start the webhook HTTP client", e);
    }
    this.client = http;
  }

  /** A started sender with {@link Options#defaults()}. */
  public WebhookSender(WebhookUrlPolicy policy, Clock clock) {
    this(policy, clock, Options.defaults());
  }

  /**
   * POSTs {@code body} to {@code url} with {@code headers} (typically {@link
   * PayloadSigner#headers}) plus {@code Content-Type: application/json} and the {@code User-Agent};
   * blocks until the attempt is over, at most about the total timeout.
   */
  public Attempt send(String url, Map<String, String> headers, byte[] body) {
    CompletableFuture<Attempt> pending = sendAsync(url, headers, body);
    try {
      return pending.get(options.totalTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      return Attempt.failed("Delivery interrupted");
    } catch (ExecutionException | TimeoutException e) {
      pending.cancel(true);
      return Attempt.failed(describe(e));
    }
  }

  /**
   * Like {@link #send} but returns at once; the URL check (which may resolve DNS) still runs on the
   * calling thread. The future always completes normally.
   */
  public CompletableFuture<Attempt> sendAsync(
      String url, Map<String, String> headers, byte[] body) {
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(body, "body");
    Verdict verdict = policy.check(url);
    Allowed allowed;
    switch (verdict) {
      case Refused refused -> {
        return CompletableFuture.completedFuture(Attempt.failed(refused.reason()));
      }
      case Allowed ok -> allowed = ok;
    }
    CompletableFuture<Attempt> result = new CompletableFuture<>();
    Exchange exchange = new Exchange(result);
    Request request =
        client
            .newRequest(allowed.uri())
            .method(HttpMethod.POST)
            .followRedirects(false)
            .timeout(options.totalTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .headers(
                fields -> {
                  headers.forEach(fields::put);
                  fields.put(HttpHeader.CONTENT_TYPE, "application/json");
                })
            .body(new BytesRequestContent("application/json", body));
    result.whenComplete(
        (attempt, failure) -> {
          if (result.isCancelled()) {
            request.abort(new IllegalStateException("delivery cancelled"));
          }
        });
    request.send(exchange);
    return result;
  }

  /** Stops the HTTP client; pending attempts fail. */
  @Override
  public void close() {
    try {
      client.stop();
    } catch (Exception e) {
      throw new IllegalStateException("could not stop the webhook HTTP client", e);
    }
  }

  /** Collects status, {@code Retry-After} and the start of the body of one exchange. */
  private final class Exchange implements Response.Listener {
    private final CompletableFuture<Attempt> result;
    private final long startedNanos = System.nanoTime();
    private final ByteArrayOutputStream bodyStart = new ByteArrayOutputStream();

    Exchange(CompletableFuture<Attempt> result) {
      this.result = result;
    }

    @Override
    public void onContent(Response response, ByteBuffer content) {
      int room = MAX_RESPONSE_BYTES - bodyStart.size();
      if (room > 0) {
        byte[] chunk = new byte[Math.min(room, content.remaining())];
        content.get(chunk);
        bodyStart.writeBytes(chunk);
      }
      if (bodyStart.size() >= MAX_RESPONSE_BYTES) {
        response.abort(new ExcerptComplete());
      }
    }

    @Override
    public void onComplete(Result outcome) {
      try {
        result.complete(attempt(outcome));
      } catch (RuntimeException e) {
        result.complete(Attempt.failed(describe(e)));
      }
    }

    private Attempt attempt(Result outcome) {
      long latency = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
      Throwable failure = outcome.getFailure();
      if (failure != null && causedBy(failure, ExcerptComplete.class) != null) {
        failure = null;
      }
      Response response = outcome.getResponse();
      int status = response == null ? 0 : response.getStatus();
      if (status <= 0) {
        return new Attempt(null, latency, null, describe(failure), null);
      }
      String excerpt = truncate(new String(bodyStart.toByteArray(), StandardCharsets.UTF_8));
      Duration retryAfter =
          RetrySchedule.parseRetryAfter(
                  response.getHeaders().get(HttpHeader.RETRY_AFTER), clock.instant())
              .orElse(null);
      String error;
      if (failure != null) {
        error = describe(failure);
      } else if (status >= 200 && status < 300) {
        error = null;
      } else if (status >= 300 && status < 400) {
        String location = response.getHeaders().get(HttpHeader.LOCATION);
        error =
            truncate(
                "HTTP "
                    + status
                    + ": redirect not followed"
                    + (location == null ? "" : " (Location: " + location + ")"));
      } else {
        error = truncate("HTTP " + status + (excerpt.isEmpty() ? "" : ": " + excerpt));
      }
      return new Attempt(status, latency, excerpt, error, retryAfter);
    }
  }

  /** Resolves through the policy and gives Jetty only the checked addresses. */
  private static final class CheckedAddressResolver implements SocketAddressResolver {
    private final WebhookUrlPolicy policy;

    CheckedAddressResolver(WebhookUrlPolicy policy) {
      this.policy = policy;
    }

    @Override
    public void resolve(
        String host,
        int port,
        Map<String, Object> context,
        Promise<List<InetSocketAddress>> promise) {
      Thread.ofVirtual()
          .name("delega-webhook-resolve")
          .start(
              () -> {
                try {
                  String authority =
                      host.startsWith("[") || host.indexOf(':') < 0 ? host : "[" + host + "]";
                  switch (policy.check("http://" + authority + ":" + port + "/")) {
                    case Allowed ok ->
                        promise.succeeded(
                            ok.addresses().stream()
                                .map(address -> new InetSocketAddress(address, port))
                                .toList());
                    case Refused refused -> promise.failed(new AddressRefused(refused.reason()));
                  }
                } catch (Throwable t) {
                  promise.failed(t);
                }
              });
    }
  }

  /** The connect-time check refused the host; the message is the policy's reason. */
  private static final class AddressRefused extends Exception {
    AddressRefused(String reason) {
      super(reason, null, false, false);
    }
  }

  /** Enough of the body has been read; aborts the exchange without counting as a failure. */
  private static final class ExcerptComplete extends RuntimeException {
    ExcerptComplete() {
      super("response excerpt complete", null, false, false);
    }
  }

  static String describe(Throwable failure) {
    if (failure == null) {
      return "Delivery failed";
    }
    Throwable refused = causedBy(failure, AddressRefused.class);
    if (refused != null) {
      return refused.getMessage();
    }
    Throwable root = failure;
    while ((root instanceof ExecutionException || root instanceof CompletionException)
        && root.getCause() != null) {
      root = root.getCause();
    }
    String message = root.getMessage();
    String name = root.getClass().getSimpleName();
    return truncate(message == null || message.isBlank() ? name : name + ": " + message);
  }

  private static Throwable causedBy(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return t;
      }
      for (Throwable suppressed : t.getSuppressed()) {
        if (type.isInstance(suppressed)) {
          return suppressed;
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  static String truncate(String text) {
    if (text.length() <= MAX_EXCERPT_CHARS) {
      return text;
    }
    int end = MAX_EXCERPT_CHARS;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end);
  }
}
