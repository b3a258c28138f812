package dev.delega.server.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real server ({@code dev.delega.server.Main}) as a child JVM on this test's class path, with
 * its output in a log file: started on a free port and awaited until {@code /health} answers, then
 * killed with SIGKILL or stopped with SIGTERM.
 */
public final class ServerProcess implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /**
   * JVM options for servers that a test starts many times and runs briefly: C1 only and the serial
   * collector start about a quarter faster on a busy 2-core machine.
   */
  public static final List<String> QUICK_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  /** Exit status of a JVM ended by SIGKILL (128 + 9). */
  public static final int KILLED = 137;

  private final Process process;
  private final int port;
  private final Path log;

  private ServerProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts a server with {@code env} (on top of: rate limit off, private webhook targets allowed,
   * lexical dedup) writing its output to {@code log}, and waits until it is healthy.
   */
  public static ServerProcess start(Map<String, String> env, Path log) throws IOException, InterruptedException {
    return start(env, log, List.of());
  }

  /** Like {@link #start(Map, Path)}, with extra options for the child JVM (e.g. {@link #QUICK_START}). */
  public static ServerProcess start(Map<String, String> env, Path log, List<String> jvmOptions)
      throws IOException, InterruptedException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.delega.server.Main"));
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> all = new LinkedHashMap<>();
    all.put("DELEGA_ALLOW_PRIVATE_WEBHOOKS", "true");
    all.put("DELEGA_RATE_LIMIT_ENABLED", "false");
    all.put("DELEGA_DEDUP_MODE", "lexical");
    all.putAll(env);
    all.put("DELEGA_PORT", Integer.toString(port));
    // the child's configuration is exactly the one given: none inherited from the build's environment
    pb.environment().keySet().removeIf(k -> k.startsWith("DELEGA_"));
    pb.environment().putAll(all);
    pb.redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    Process process = pb.start();
    // a test JVM stopped with SIGTERM (a cancelled build) runs no finally blocks: kill the child then too
    Thread reaper = new Thread(process::destroyForcibly);
    Runtime.getRuntime().addShutdownHook(reaper);
    process.onExit().thenRun(() -> removeHook(reaper));
    ServerProcess server = new ServerProcess(process, port, log);
    server.awaitHealthy(Duration.ofSeconds(120));
    return server;
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to
    }
  }

  /** Starts a server on the SQLite file {@code db}. */
  public static ServerProcess sqlite(Path db, Path log, List<String> jvmOptions)
      throws IOException, InterruptedException {
    return start(Map.of("DELEGA_DB_PATH", db.toString()), log, jvmOptions);
  }

  private void awaitHealthy(Duration within) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (get("/health") == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      if (!process.isAlive()) {
        throw new AssertionError("server exited with " + process.exitValue() + ": " + Files.readString(log));
      }
      Thread.sleep(50);
    }
    process.destroyForcibly();
    throw new AssertionError("server did not answer /health within " + within + ": " + Files.readString(log));
  }

  /** The status of {@code GET path} on this server (root paths, e.g. {@code /health/ready}). */
  public int get(String path) throws IOException, InterruptedException {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(root() + path)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String root() {
    return "http://127.0.0.1:" + port;
  }

  /** {@code http://127.0.0.1:<port>/api}. */
  public String api() {
    return root() + "/api";
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  /**
   * Kills the process without warning ({@link Process#destroyForcibly()}, SIGKILL on Linux: no
   * shutdown hooks, no flush) and returns its exit status ({@link #KILLED} on Linux).
   */
  public int kill() throws InterruptedException {
    process.destroyForcibly();
    return process.waitFor();
  }

  /** Asks the process to stop (SIGTERM), waits up to 20 s, then kills it. */
  @Override
  public void close() throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
