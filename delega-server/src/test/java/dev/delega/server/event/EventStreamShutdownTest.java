package dev.delega.server.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.server.testing.DelegaServerExtension;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An open event stream does not keep the server from stopping, and it ends when the server does.
 */
class EventStreamShutdownTest {
  @RegisterExtension final DelegaServerExtension server = new DelegaServerExtension();

  @Test
  void stoppingTheServerEndsOpenStreams() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<InputStream> stream =
        http.send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + "/events/stream"))
                .header("X-Agent-Key", server.adminKey())
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(stream.statusCode()).isEqualTo(200);
    InputStream body = stream.body();
    assertThat(new String(body.readNBytes(11))).isEqualTo("retry: 2000");

    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    body.readAllBytes();
                  } catch (java.io.IOException reset) {
                    // ended by a reset rather than a clean end: ended all the same
                  }
                });
    long t0 = System.nanoTime();
    Thread stopper = Thread.ofVirtual().start(server::stop);
    stopper.join(20_000);
    reader.join(10_000);

    assertThat(stopper.isAlive()).as("server still stopping").isFalse();
    assertThat(reader.isAlive()).as("stream still open").isFalse();
    System.out.printf(
        "stopped with an open stream in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
  }
}
