package dev.delega.mcp;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny stand-in for the Delega REST API on a loopback port: each {@code METHOD path} answers a
 * canned status and JSON body, and every request is recorded.
 */
final class FakeDelegaApi implements AutoCloseable {
  record Answer(int status, String json) {}

  record Request(String method, String path, String body) {}

  private final HttpServer server;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  final List<Request> requests = new CopyOnWriteArrayList<>();

  FakeDelegaApi() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getRawPath();
          String query = exchange.getRequestURI().getRawQuery();
          String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          requests.add(new Request(exchange.getRequestMethod(), path + (query == null ? "" : "?" + query), body));
          Answer a = answers.get(exchange.getRequestMethod() + " " + path);
          if (a == null) {
            a = new Answer(404, "{\"error\":\"Not found\",\"code\":\"not_found\",\"status\":404}");
          }
          byte[] bytes = a.json().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
  }

  /** Answers {@code method path} (path under {@code /api}) with this status and body. */
  FakeDelegaApi on(String method, String path, int status, String json) {
    answers.put(method + " /api" + path, new Answer(status, json));
    return this;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
