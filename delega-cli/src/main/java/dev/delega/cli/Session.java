package dev.delega.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * One run of the {@code delega} command: its environment variables, home and working directories,
 * standard streams, whether they are terminals, and the clock. Tests build one by hand so that no
 * command ever reads the real environment or touches the real {@code ~/.delega}.
 *
 * @param env the environment variables
 * @param home the home directory ({@code ~/.delega} lives here)
 * @param workDir the working directory, against which relative paths are resolved
 * @param in standard input
 * @param out standard output
 * @param err standard error
 * @param interactive whether standard input and output are a terminal (prompts are allowed)
 * @param errTty whether standard error is a terminal (progress is shown)
 * @param clock the clock (backup file names)
 */
public record Session(
    Map<String, String> env,
    Path home,
    Path workDir,
    BufferedReader in,
    PrintWriter out,
    PrintWriter err,
    boolean interactive,
    boolean errTty,
    Clock clock) {

  /** The session of the running process. */
  public static Session system() {
    Map<String, String> env = System.getenv();
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    boolean console = System.console() != null && isTerminal();
    return new Session(
        env,
        Path.of(home),
        Path.of("").toAbsolutePath(),
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
        new PrintWriter(System.out, true, StandardCharsets.UTF_8),
        new PrintWriter(System.err, true, StandardCharsets.UTF_8),
        console,
        console,
        Clock.systemUTC());
  }

  /** An environment variable, or null when unset or blank. */
  public String var(String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.strip();
  }

  /** Whether colour may be used on standard output: a terminal, and {@code NO_COLOR} unset. */
  public boolean colour() {
    return interactive && env.get("NO_COLOR") == null && !"dumb".equals(env.get("TERM"));
  }

  /** Resolves a path given on the command line against the working directory. */
  public Path resolve(String path) {
    return workDir.resolve(path).normalize();
  }

  /** Reads one line of standard input, or null at its end. */
  public String readLine() {
    try {
      return in.readLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Asks a yes/no question on a terminal; false when the answer is not yes. */
  public boolean confirm(String question) {
    out.print(question + " [y/N] ");
    out.flush();
    String answer = readLine();
    return answer != null && (answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"));
  }

  /** On JDK 22+ a console exists even when redirected; {@code Console.isTerminal()} tells. */
  private static boolean isTerminal() {
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(System.console());
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }
}
