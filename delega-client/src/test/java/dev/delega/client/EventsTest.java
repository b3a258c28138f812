package dev.delega.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.api.Event;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventsTest {
  private final RecordingServer server = RecordingServer.start();
  private final CountDownLatch endOfTest = new CountDownLatch(1);

  @AfterEach
  void stop() {
    endOfTest.countDown();
    server.close();
  }

  private RecordingServer.Reply stream(String text, boolean holdOpen) {
    return exchange -> {
      exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.flush();
      if (holdOpen) {
        try {
          endOfTest.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      out.close();
    };
  }

  @Test
  void deliversStreamedEventsAndResumesWithLastEventId() throws Exception {
    server.reply(
        stream(
            ": keepalive\n\n"
                + "id: 41\n"
                + "event: task.created\n"
                + "data: {\"id\":41,\"type\":\"task.created\",\"task_id\":5}\n\n"
                + ": keepalive\n\n"
                + "id: 42\n"
                + "event: task.updated\n"
                + "data: {\"id\":42,\n"
                + "data:"
                + " \"type\":\"task.updated\",\"task_id\":5,\"changes\":{\"content\":{\"before\":\"a\",\"after\":\"b\"}}}\n\n",
            false),
        stream("id: 43\ndata: {\"id\":43,\"type\":\"task.deleted\",\"task_id\":5}\n\n", true));
    BlockingQueue<Event> received = new LinkedBlockingQueue<>();
    BlockingQueue<DelegaException> errors = new LinkedBlockingQueue<>();
    try (DelegaClient client =
        DelegaClient.builder().baseUrl(server.url()).apiKey("dlg_key").sleeper(d -> {}).build()) {
      EventSubscription subscription = client.events().subscribe(40, received::add, errors::add);
      assertThat(subscription.awaitConnected(Duration.ofSeconds(5))).isTrue();

      Event first = received.poll(5, TimeUnit.SECONDS);
      Event second = received.poll(5, TimeUnit.SECONDS);
      Event third = received.poll(5, TimeUnit.SECONDS);
      assertThat(first).extracting(Event::id, Event::type).containsExactly(41L, "task.created");
      assertThat(second.type()).isEqualTo("task.updated");
      assertThat(second.changes()).containsKey("content");
      assertThat(third).extracting(Event::id).isEqualTo(43L);
      assertThat(subscription.lastEventId()).isEqualTo(43);
      assertThat(errors).isEmpty();

      RecordingServer.Recorded firstRequest = server.requests().get(0);
      assertThat(firstRequest.uri()).isEqualTo("/api/events/stream");
      assertThat(firstRequest.header("Accept")).contains("text/event-stream");
      assertThat(firstRequest.header("Last-Event-ID")).contains("40");
      assertThat(firstRequest.header("X-Agent-Key")).contains("dlg_key");
      assertThat(server.requests().get(1).header("Last-Event-ID"))
          .as("the reconnect resumes after the last event seen")
          .contains("42");

      subscription.close();
      assertThat(subscription.isOpen()).isFalse();
      assertThat(subscription.awaitTermination(Duration.ofSeconds(5))).isTrue();
    }
  }

  @Test
  void anIdWithoutDataMovesTheResumePoint() throws Exception {
    // The server sends "id: N" on keep-alives after events this caller may not see.
    server.reply(
        stream("id: 41\ndata: {\"id\":41,\"type\":\"task.created\",\"task_id\":5}\n\n"
            + ": keepalive\nid: 57\n\n", false),
        stream(": keepalive\nid: 57\n\n", true));
    BlockingQueue<Event> received = new LinkedBlockingQueue<>();
    try (DelegaClient client =
        DelegaClient.builder().baseUrl(server.url()).apiKey("dlg_key").sleeper(d -> {}).build()) {
      EventSubscription subscription = client.events().subscribe(40, received::add, e -> {});
      assertThat(received.poll(5, TimeUnit.SECONDS)).extracting(Event::id).isEqualTo(41L);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (server.requests().size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(server.requests().get(1).header("Last-Event-ID"))
          .as("the reconnect resumes after the id-only block, not after the last event with data")
          .contains("57");
      assertThat(subscription.lastEventId()).isEqualTo(57);
      assertThat(received).isEmpty();
      subscription.close();
    }
  }

  @Test
  void anAuthenticationFailureEndsTheSubscription() throws Exception {
    server.reply(401, "{\"error\":\"bad key\",\"code\":\"unauthorized\",\"status\":401}");
    BlockingQueue<DelegaException> errors = new LinkedBlockingQueue<>();
    try (DelegaClient client =
        DelegaClient.builder().baseUrl(server.url()).apiKey("dlg_bad").sleeper(d -> {}).build()) {
      EventSubscription subscription = client.events().subscribe(0, e -> {}, errors::add);
      DelegaException error = errors.poll(5, TimeUnit.SECONDS);
      assertThat(error).isInstanceOf(AuthenticationException.class).hasMessage("bad key");
      assertThat(server.requests().get(0).header("Last-Event-ID")).isEmpty();
      assertThat(subscription.awaitTermination(Duration.ofSeconds(5)))
          .as("the reader thread ends by itself")
          .isTrue();
      assertThat(subscription.isOpen()).isFalse();
    }
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void closingTheClientEndsItsSubscriptions() throws Exception {
    server.reply(stream(": hello\n\n", true));
    DelegaClient client =
        DelegaClient.builder().baseUrl(server.url()).apiKey("dlg_key").sleeper(d -> {}).build();
    EventSubscription subscription = client.events().subscribe(0, e -> {});
    assertThat(subscription.awaitConnected(Duration.ofSeconds(5))).isTrue();
    assertThat(subscription.isOpen()).isTrue();
    client.close();
    assertThat(subscription.awaitTermination(Duration.ofSeconds(5))).isTrue();
    assertThat(subscription.isOpen()).isFalse();
  }
}
