package dev.delega.cli;

import dev.delega.api.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Runs {@code delega} commands in this JVM with a private home directory, an environment of its
 * own and captured output, so tests never read the real environment or touch the real
 * {@code ~/.delega}.
 */
final class Cli {
  /** What one run printed and returned. */
  record Result(int exit, String out, String err) {
    JsonNode json() {
      return Json.mapper().readTree(out);
    }

    JsonNode errJson() {
      return Json.mapper().readTree(err);
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private final Path home;
  private final Path workDir;
  private final Map<String, String> env = new HashMap<>();
  private Clock clock = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);
  private boolean interactive;

  Cli() {
    try {
      this.home = Files.createTempDirectory("delega-cli-home");
      this.workDir = Files.createTempDirectory("delega-cli-work");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    env.put("HOME", home.toString());
  }

  /** A CLI pointed at a server with a key, through the environment. */
  static Cli against(String apiUrl, String key) {
    Cli cli = new Cli();
    cli.env("DELEGA_API_URL", apiUrl);
    if (key != null) {
      cli.env("DELEGA_API_KEY", key);
    }
    return cli;
  }

  Cli env(String name, String value) {
    if (value == null) {
      env.remove(name);
    } else {
      env.put(name, value);
    }
    return this;
  }

  Cli clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  /** Pretend stdin and stdout are a terminal (prompts allowed, colour unless NO_COLOR). */
  Cli interactive(boolean interactive) {
    this.interactive = interactive;
    return this;
  }

  Path home() {
    return home;
  }

  Path workDir() {
    return workDir;
  }

  Result run(String... args) {
    return runWithInput("", args);
  }

  Result runWithInput(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Delega.commandLine(session(stdin, out, err)).execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  /** A session with this CLI's environment and empty streams. */
  Session session() {
    return session("", new StringWriter(), new StringWriter());
  }

  private Session session(String stdin, StringWriter out, StringWriter err) {
    return new Session(
        Map.copyOf(env),
        home,
        workDir,
        new BufferedReader(new StringReader(stdin)),
        new PrintWriter(out, true),
        new PrintWriter(err, true),
        interactive,
        false,
        clock);
  }

  /** Runs a command that must succeed, and parses its {@code --json} output. */
  JsonNode json(String... args) {
    String[] withJson = new String[args.length + 1];
    System.arraycopy(args, 0, withJson, 0, args.length);
    withJson[args.length] = "--json";
    Result r = run(withJson);
    if (r.exit() != 0) {
      throw new AssertionError("expected success from " + String.join(" ", args) + "\n" + r);
    }
    return r.json();
  }
}
