package dev.delega.server;

import dev.delega.server.logging.LogFormat;
import dev.delega.server.logging.Logs;
import dev.delega.server.store.StoreFailure;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/** Starts the server from environment variables and runs until the process is stopped. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    ServerConfig config;
    try {
      config = ServerConfig.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("delega: refusing to start: " + e.getMessage());
      System.exit(2);
      return;
    }
    try {
      run(config);
    } catch (StoreFailure e) {
      // The store cannot be opened (in use by another server, unreachable, unreadable): say so plainly.
      System.err.println("delega: cannot start: " + e.getMessage());
      System.exit(1);
    }
  }

  /** Runs a server with {@code config} until the JVM shuts down. */
  public static void run(ServerConfig config) throws InterruptedException {
    Logs.configure(config.jsonLogs() ? LogFormat.JSON : LogFormat.TEXT, config.logLevels());
    Logs.routeJavaUtilLogging();
    Wiring wiring = new Wiring(config, Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  wiring.close();
                  stopped.countDown();
                },
                "delega-shutdown"));
    wiring.start();
    stopped.await();
  }
}
