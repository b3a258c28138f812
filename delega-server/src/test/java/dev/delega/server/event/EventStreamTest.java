package dev.delega.server.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.delega.api.Event;
import dev.delega.api.Json;
import dev.delega.api.NewTask;
import dev.delega.api.Task;
import dev.delega.client.DelegaClient;
import dev.delega.client.EventSubscription;
import dev.delega.client.RawResponse;
import dev.delega.server.testing.DelegaServerExtension;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /events} and the SSE stream against a real server. */
class EventStreamTest {
  @RegisterExtension static final DelegaServerExtension server = new DelegaServerExtension();

  private static final AtomicInteger NAMES = new AtomicInteger();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static DelegaClient client(String key) {
    return DelegaClient.builder().baseUrl(server.baseUrl()).apiKey(key).retries(0).build();
  }

  private static String worker() {
    return server.newAgent("ev-worker-" + NAMES.incrementAndGet());
  }

  /** One SSE frame: its id, event name and data. */
  record Frame(long id, String event, String data) {}

  /** A raw SSE connection read frame by frame. */
  static final class Stream implements AutoCloseable {
    final HttpResponse<InputStream> response;
    final BufferedReader reader;
    final List<String> comments = new ArrayList<>();
    final List<Long> positions = new ArrayList<>();

    Stream(String key, Map<String, String> headers, String query) throws Exception {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(server.baseUrl() + "/events/stream" + query))
              .header("X-Agent-Key", key)
              .header("Accept", "text/event-stream");
      headers.forEach(b::header);
      response = HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
    }

    Frame next() throws Exception {
      Long id = null;
      String event = null;
      String data = null;
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isEmpty()) {
          if (data != null) {
            return new Frame(id, event, data);
          }
          positions.add(id);
          id = null;
          event = null;
          continue;
        }
        if (line.startsWith(":")) {
          comments.add(line);
        } else if (line.startsWith("id: ")) {
          id = Long.parseLong(line.substring(4));
        } else if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = line.substring(6);
        }
      }
      throw new AssertionError("stream ended");
    }

    @Override
    public void close() throws Exception {
      response.body().close();
    }
  }

  @Test
  void catchUpListsWhatTheCallerMaySeeInOrder() {
    String aliceKey = worker();
    String bobKey = worker();
    DelegaClient alice = client(aliceKey);
    DelegaClient bob = client(bobKey);
    DelegaClient admin = client(server.adminKey());
    long start = admin.events().list(0, 500).stream().mapToLong(Event::id).max().orElse(0);
    Task a1 = alice.tasks().create("alice one");
    Task b1 = bob.tasks().create("bob one");
    alice.tasks().complete(a1.id());
    bob.tasks().delete(b1.id());

    List<Event> aliceSees = alice.events().list(start);
    List<Event> adminSees = admin.events().list(start);

    assertThat(aliceSees).extracting(Event::type).containsExactly("task.created", "task.completed");
    assertThat(aliceSees).extracting(Event::taskId).containsOnly(a1.id());
    assertThat(adminSees)
        .extracting(Event::type)
        .containsExactly("task.created", "task.created", "task.completed", "task.deleted");
    assertThat(client(bobKey).events().list(start))
        .extracting(Event::type)
        .as("the deleted task's events stay visible to its creator")
        .containsExactly("task.created", "task.deleted");
    assertThat(adminSees).extracting(Event::id).isSorted();
    List<Event> firstTwo = admin.events().list(start, 2);
    assertThat(firstTwo).hasSize(2);
    assertThat(admin.events().list(firstTwo.getLast().id())).hasSize(2);
    RawResponse typed = admin.send("GET", "/events?after=" + start + "&type=task.completed");
    assertThat(typed.json()).hasSize(1);
    assertThat(admin.send("GET", "/events?after=-1").status()).isEqualTo(422);
    assertThat(admin.send("GET", "/events?type=DROP%20TABLE").status()).isEqualTo(422);
  }

  @Test
  void theStreamIsServerSentEventsWithAHelloComment() throws Exception {
    String key = worker();
    try (Stream s = new Stream(key, Map.of(), "")) {
      assertThat(s.response.statusCode()).isEqualTo(200);
      assertThat(s.response.headers().firstValue("Content-Type"))
          .hasValueSatisfying(v -> v.startsWith("text/event-stream"));
      assertThat(s.response.headers().firstValue("Cache-Control")).contains("no-cache");
      Task t = client(key).tasks().create("streamed");
      Frame f = s.next();
      assertThat(f.event()).isEqualTo("task.created");
      Event e = Json.mapper().readValue(f.data(), Event.class);
      assertThat(e.id()).isEqualTo(f.id());
      assertThat(e.taskId()).isEqualTo(t.id());
      assertThat(e.task()).containsEntry("content", "streamed");
      assertThat(s.comments).contains(": connected");
      assertThat(s.positions.getFirst()).as("the opening id: line").isNotNull().isLessThan(f.id());
    }
    RawResponse bad =
        client(key).send("GET", "/events/stream", null, Map.of("Last-Event-ID", "yesterday"));
    assertThat(bad.status()).isEqualTo(422);
  }

  @Test
  void resumingWithLastEventIdLosesNothingAndRepeatsNothing() throws Exception {
    String key = worker();
    DelegaClient me = client(key);
    DelegaClient other = client(worker());
    long start =
        client(server.adminKey()).events().list(0, 500).stream()
            .mapToLong(Event::id)
            .max()
            .orElse(0);
    AtomicBoolean writing = new AtomicBoolean(true);
    List<Long> created = new CopyOnWriteArrayList<>();
    Thread writer =
        Thread.ofVirtual()
            .start(
                () -> {
                  for (int i = 0; writing.get() && i < 150; i++) {
                    created.add(me.tasks().create("flow " + i).id());
                    other.tasks().create("noise " + i);
                  }
                });

    List<Frame> seen = new ArrayList<>();
    for (int connection = 0; connection < 4; connection++) {
      Map<String, String> resume =
          seen.isEmpty() ? Map.of() : Map.of("Last-Event-ID", Long.toString(seen.getLast().id()));
      try (Stream s = new Stream(key, resume, seen.isEmpty() ? "?after=" + start : "")) {
        for (int i = 0; i < 15; i++) {
          seen.add(s.next());
        }
      } // disconnect while events keep flowing
    }
    writing.set(false);
    writer.join();
    List<Event> expected = me.events().list(start, 500);
    try (Stream s =
        new Stream(key, Map.of("Last-Event-ID", Long.toString(seen.getLast().id())), "")) {
      while (seen.getLast().id() < expected.getLast().id()) {
        seen.add(s.next());
      }
    }

    assertThat(seen).extracting(Frame::id).doesNotHaveDuplicates().isSorted();
    assertThat(seen)
        .extracting(Frame::id)
        .containsExactlyElementsOf(expected.stream().map(Event::id).toList());
    Set<Long> tasks = new HashSet<>();
    for (Frame f : seen) {
      tasks.add(Json.mapper().readValue(f.data(), Event.class).taskId());
    }
    assertThat(tasks).containsExactlyInAnyOrderElementsOf(created);
  }

  @Test
  void theSdkSubscriptionResumesAcrossResubscribing() throws Exception {
    String key = worker();
    DelegaClient me = client(key);
    List<Event> got = new CopyOnWriteArrayList<>();
    EventSubscription first = me.events().subscribe(0, got::add);
    assertThat(first.awaitConnected(Duration.ofSeconds(10))).isTrue();
    for (int i = 0; i < 5; i++) {
      me.tasks().create(NewTask.builder("sdk " + i).build());
    }
    await(() -> got.size() >= 5);
    first.close();
    long last = first.lastEventId();
    for (int i = 5; i < 10; i++) {
      me.tasks().create("sdk " + i);
    }
    try (EventSubscription second = me.events().subscribe(last, got::add)) {
      await(() -> got.size() >= 10);
    }
    assertThat(got).extracting(Event::id).doesNotHaveDuplicates().isSorted().hasSize(10);
    assertThat(got)
        .extracting(e -> e.task().get("content"))
        .containsExactly(
            "sdk 0", "sdk 1", "sdk 2", "sdk 3", "sdk 4", "sdk 5", "sdk 6", "sdk 7", "sdk 8",
            "sdk 9");
  }

  private static void await(java.util.function.BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out");
      }
      Thread.sleep(10);
    }
  }
}
