package dev.delega.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on 127.0.0.1 and a free port that records every request and answers with
 * scripted replies, in order; when the script runs out it answers 200 {@code {}}.
 */
final class RecordingServer implements AutoCloseable {

  /** One request as the server saw it. */
  record Recorded(String method, String uri, Map<String, List<String>> headers, byte[] body) {
    Optional<String> header(String name) {
      List<String> values = headers.get(name);
      return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** What to do with a request: write a status, headers and body, or run custom code. */
  @FunctionalInterface
  interface Reply {
    void answer(HttpExchange exchange) throws IOException;

    static Reply json(int status, String body) {
      return with(status, Map.of("Content-Type", "application/json"), body);
    }

    static Reply with(int status, Map<String, String> headers, String body) {
      return exchange -> {
        headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0) {
          exchange.sendResponseHeaders(status, -1);
        } else {
          exchange.sendResponseHeaders(status, bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        }
      };
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private final Deque<Reply> script = new ArrayDeque<>();

  private RecordingServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  static RecordingServer start() {
    try {
      return new RecordingServer();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code http://127.0.0.1:<port>}, without a path. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Appends replies to the script. */
  RecordingServer reply(Reply... replies) {
    synchronized (script) {
      script.addAll(List.of(replies));
    }
    return this;
  }

  /** Appends a JSON reply to the script. */
  RecordingServer reply(int status, String body) {
    return reply(Reply.json(status, body));
  }

  List<Recorded> requests() {
    return new ArrayList<>(requests);
  }

  Recorded last() {
    return requests.get(requests.size() - 1);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
      requests.add(
          new Recorded(
              exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers, body));
      Reply reply;
      synchronized (script) {
        reply = script.isEmpty() ? Reply.json(200, "{}") : script.poll();
      }
      reply.answer(exchange);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
