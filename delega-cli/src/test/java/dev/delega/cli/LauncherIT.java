package dev.delega.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.delega.api.Json;
import dev.delega.server.testing.DelegaServerExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Runs {@code bin/delega} as a separate process on the shaded jar that {@code package} built: the
 * launcher finds a JDK, the jar starts, and real commands talk to a real server.
 */
class LauncherIT {
  @RegisterExtension static final DelegaServerExtension server = new DelegaServerExtension();

  private static Path launcher;
  private static Path jar;

  @BeforeAll
  static void locate() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null && launcher == null; d = d.getParent()) {
      if (Files.isExecutable(d.resolve("bin/delega"))) {
        launcher = d.resolve("bin/delega");
      }
    }
    jar = dir.resolve("target/delega.jar");
  }

  /** Skips, naming the reason, when there is nothing to run (e.g. the IT run outside {@code mvn verify}). */
  private static void assumeBuilt() {
    assumeTrue(launcher != null, "bin/delega not found above " + Path.of("").toAbsolutePath());
    assumeTrue(Files.isRegularFile(jar), "the shaded jar " + jar + " is not built (run mvn package first)");
  }

  record Run(int exit, String out, String err) {}

  private static Run delega(Path home, Map<String, String> env, String... args) throws Exception {
    assumeBuilt();
    Process p = start(home, env, args);
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("delega exited").isTrue();
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
  }

  private static Process start(Path home, Map<String, String> env, String... args) throws IOException {
    assumeBuilt();
    List<String> command = new ArrayList<>();
    command.add(launcher.toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("DELEGA_"));
    pb.environment().put("HOME", home.toString());
    pb.environment().put("DELEGA_JAR", jar.toString());
    pb.environment().putAll(env);
    return pb.start();
  }

  @Test
  void printsItsVersion() throws Exception {
    Run r = delega(Files.createTempDirectory("home"), Map.of(), "--version");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("delega " + Delega.VERSION);
  }

  @Test
  void runsARealCommandAgainstARealServer() throws Exception {
    Path home = Files.createTempDirectory("home");
    Map<String, String> env = Map.of("DELEGA_API_URL", server.rootUrl(), "DELEGA_API_KEY", server.adminKey());
    Run created = delega(home, env, "tasks", "create", "Created from a process", "--priority", "2", "--json");
    assertThat(created.exit()).as(created.err()).isZero();
    JsonNode task = Json.mapper().readTree(created.out());
    assertThat(task.path("content").asString()).isEqualTo("Created from a process");

    Run missing = delega(home, env, "tasks", "show", "987654");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains("Error:", "404");
  }

  @Test
  void servesInItsOwnProcessAndBootstrapsWithInit() throws Exception {
    Path home = Files.createTempDirectory("home");
    Path data = Files.createTempDirectory("data");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process serve = start(home, Map.of(), "serve", "--port", String.valueOf(port), "--db-path", data.resolve("delega.db").toString(),
        "--dedup-mode", "lexical", "--rate-limit-enabled", "false");
    try {
      String root = "http://127.0.0.1:" + port;
      awaitHealthy(root, serve);
      Run init = delega(home, Map.of(), "--api-url", root, "init", "--name", "ops", "--client", "claude-code", "--json");
      assertThat(init.exit()).as(init.err()).isZero();
      assertThat(Json.mapper().readTree(init.out()).path("api_key").asString()).startsWith("dlg_");
      Run list = delega(home, Map.of(), "tasks", "list", "--json");
      assertThat(list.exit()).as(list.err()).isZero();
      assertThat(Json.mapper().readTree(list.out()).isArray()).isTrue();
      assertThat(data.resolve("delega.db")).isRegularFile();
    } finally {
      serve.destroy();
      if (!serve.waitFor(60, TimeUnit.SECONDS)) {
        serve.destroyForcibly();
      }
    }
  }

  private static void awaitHealthy(String root, Process serve) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      assertThat(serve.isAlive()).as("delega serve is still running").isTrue();
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(root + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(250);
    }
    throw new AssertionError("delega serve did not answer /health at " + root);
  }
}
