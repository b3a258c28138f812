package dev.delega.cli;

import dev.delega.api.Json;
import dev.delega.client.ConflictException;
import dev.delega.client.DelegaApiException;
import dev.delega.client.DelegaTransportException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * The base of every leaf command: {@code --json}, access to the {@link Session}, the {@link
 * Target} and the {@link Printer}, and the one place where failures become a message on stderr and
 * exit code 1.
 */
@Command(
    mixinStandardHelpOptions = true,
    versionProvider = Delega.VersionProvider.class,
    exitCodeOnInvalidInput = 1,
    exitCodeOnExecutionException = 1)
abstract class DelegaCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  /** The command's work; returns the exit code. */
  abstract int run() throws Exception;

  @Override
  public final Integer call() {
    try {
      return run();
    } catch (ConflictException e) {
      reportApi(e);
      if ("duplicate_task".equals(e.code()) && !json && !e.matches().isEmpty()) {
        PrintWriter err = session().err();
        err.println("Similar open tasks:");
        e.matches().forEach(m -> err.printf("  #%d %s (score %.2f)%n", m.taskId(), Printer.clip(m.content(), 60), m.score()));
        err.println("Pass --force to create it anyway.");
      }
      return 1;
    } catch (DelegaApiException e) {
      reportApi(e);
      return 1;
    } catch (DelegaTransportException e) {
      return fail("Cannot reach the Delega API at " + safeBase() + ": " + e.getMessage(), "unreachable");
    } catch (CliException e) {
      return fail(e.getMessage(), "usage");
    } catch (UncheckedIOException e) {
      return fail(e.getCause().getMessage(), "io");
    } catch (IOException e) {
      return fail(e.getMessage(), "io");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted", "interrupted");
    } catch (Exception e) {
      return fail(e.toString(), "internal");
    }
  }

  Delega root() {
    return (Delega) spec.root().userObject();
  }

  Session session() {
    return root().session();
  }

  Printer printer() {
    return new Printer(session().out(), session().colour());
  }

  /**
   * Answers a {@code --dry-run} of a destructive command: {@code {"dry_run": true, <key>: resource}}
   * with {@code --json}, else {@code line}. Returns the exit code 0.
   */
  int dryRun(String key, JsonNode resource, String line) {
    tools.jackson.databind.node.ObjectNode out = Json.mapper().createObjectNode();
    out.put("dry_run", true);
    out.set(key, resource);
    return answer(out, () -> line);
  }

  /**
   * Answers a command: {@code value} with {@code --json}, else the line {@code text} makes (only
   * made when it is printed). Returns the exit code 0.
   */
  int answer(JsonNode value, java.util.function.Supplier<String> text) {
    if (json) {
      printer().json(value);
    } else {
      printer().line(text.get());
    }
    return 0;
  }

  Target target() {
    return Target.resolve(session(), root().apiUrl());
  }

  /** An API connection with the configured key; fails with "Not authenticated" without one. */
  Api api() {
    return new Api(target().authenticatedClient());
  }

  /**
   * Proceeds when {@code --yes} was given or the user says yes on a terminal; otherwise refuses.
   */
  void confirm(boolean yes, String question) {
    if (yes) {
      return;
    }
    if (!session().interactive()) {
      throw new CliException(question.replaceAll("\\?$", "") + ": pass --yes to confirm (or --dry-run to preview)");
    }
    if (!session().confirm(question)) {
      throw new CliException("Cancelled.");
    }
  }

  /** Progress on stderr, only when it is a terminal and the output is for humans. */
  void progress(String text) {
    if (session().errTty() && !json) {
      session().err().print("\r\u001b[2K" + text);
      session().err().flush();
    }
  }

  void progressDone() {
    if (session().errTty() && !json) {
      session().err().print("\r\u001b[2K");
      session().err().flush();
    }
  }

  private void reportApi(DelegaApiException e) {
    PrintWriter err = session().err();
    if (json) {
      JsonNode body;
      try {
        body = e.response().json();
      } catch (RuntimeException notJson) {
        body = null;
      }
      if (body == null || !body.isObject()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", e.getMessage());
        m.put("code", e.code());
        m.put("status", e.status());
        body = Json.mapper().valueToTree(m);
      }
      err.println(Json.mapper().writeValueAsString(body));
      return;
    }
    String hint =
        switch (e.status()) {
          case 401 -> " (check the key: run `delega login`, or set DELEGA_API_KEY)";
          case 429 -> e.header("Retry-After").map(s -> " (retry after " + s + " s)").orElse("");
          default -> "";
        };
    err.println("Error: " + e.getMessage() + hint + " [" + e.status() + " " + e.code() + "]");
  }

  private int fail(String message, String code) {
    PrintWriter err = session().err();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("error", message);
      m.put("code", code);
      err.println(Json.mapper().writeValueAsString(m));
    } else {
      err.println("Error: " + message);
    }
    return 1;
  }

  private String safeBase() {
    try {
      return target().base().toString();
    } catch (RuntimeException e) {
      return "(unknown)";
    }
  }
}
