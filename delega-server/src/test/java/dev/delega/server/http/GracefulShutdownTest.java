package dev.delega.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.delega.client.DelegaClient;
import dev.delega.server.testing.DelegaServerExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Stopping the server lets a request already in flight finish with its real answer (and its write
 * committed) while new connections are refused. The in-flight request is a task creation whose
 * body is still arriving when the stop begins.
 */
class GracefulShutdownTest {
  @RegisterExtension final DelegaServerExtension server = new DelegaServerExtension();

  @Test
  void inFlightRequestsFinishWhileNewConnectionsAreRefused() throws Exception {
    String key = server.adminKey();
    int port = server.port();
    HttpServer http = server.wiring().http();
    String body = "{\"content\":\"finished during shutdown\"}";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);

    try (Socket slow = new Socket("127.0.0.1", port);
        Socket idle = new Socket("127.0.0.1", port)) {
      // an idle keep-alive connection must not hold the stop up
      idle.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      assertThat(readResponse(idle)).startsWith("HTTP/1.1 200");

      OutputStream out = slow.getOutputStream();
      out.write(("POST /api/tasks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "X-Agent-Key: " + key + "\r\nContent-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(bytes, 0, 10);
      out.flush();
      await(() -> http.inFlight() == 1, "the slow request is in flight");

      Thread stopper = Thread.ofPlatform().start(server::stop);
      await(() -> refused(port), "new connections are refused");
      assertThat(stopper.isAlive()).as("the stop waits for the request in flight").isTrue();

      out.write(bytes, 10, bytes.length - 10);
      out.flush();
      String response = readResponse(slow);
      assertThat(response).startsWith("HTTP/1.1 201").contains("finished during shutdown");
      stopper.join(30_000);
      assertThat(stopper.isAlive()).as("server still stopping").isFalse();
    }
    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);

    server.start();
    DelegaClient client = DelegaClient.builder().baseUrl(server.baseUrl()).apiKey(key).retries(0).build();
    assertThat(client.send("GET", "/tasks").text()).contains("finished during shutdown");
  }

  private static boolean refused(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(5);
    }
  }

  /** Reads the status line, headers and a Content-Length body. */
  private static String readResponse(Socket s) throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder head = new StringBuilder();
    int length = 0;
    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
      head.append(line).append('\n');
      if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    char[] buf = new char[length];
    int n = 0;
    while (n < length) {
      int r = in.read(buf, n, length - n);
      if (r < 0) {
        break;
      }
      n += r;
    }
    return head + new String(buf, 0, n);
  }
}
