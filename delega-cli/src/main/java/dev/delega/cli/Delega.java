package dev.delega.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code delega} command: runs the server ({@code serve}, {@code mcp}), sets up a client
 * ({@code init}, {@code login}) and scripts the API ({@code tasks}, {@code agents}, {@code
 * webhooks}…). Every command takes {@code --json}; destructive ones take {@code --yes} and {@code
 * --dry-run}. Exit code 0 on success, 1 on an API or usage error with the message on stderr.
 */
@Command(
    name = "delega",
    mixinStandardHelpOptions = true,
    versionProvider = Delega.VersionProvider.class,
    exitCodeOnInvalidInput = 1,
    exitCodeOnExecutionException = 1,
    description = "Task infrastructure for AI agents: the server, the MCP bridge and a client for its API.",
    footer = {
      "",
      "Configuration: --api-url, DELEGA_API_URL, DELEGA_API_KEY / DELEGA_AGENT_KEY, ~/.delega/config.json.",
      "Examples:",
      "  delega serve --port 18890",
      "  delega init --name my-agent",
      "  delega tasks create \"Ship the release\" --priority 3 --labels ops",
      "  delega tasks list --json"
    },
    subcommands = {
      ServeCommand.class,
      McpCommand.class,
      InitCommand.class,
      LoginCommand.class,
      WhoamiCommand.class,
      StatusCommand.class,
      ResetCommand.class,
      TaskCommands.class,
      AgentCommands.class,
      WebhookCommands.class,
      StatsCommand.class,
      UsageCommand.class,
      BackupCommand.class,
      RestoreCommand.class,
      DedupEvalCommand.class,
      CompletionCommand.class
    })
public final class Delega implements Callable<Integer> {
  /** The CLI's version (the same as the server's). */
  public static final String VERSION = dev.delega.server.Version.VALUE;

  private final Session session;

  @Spec CommandSpec spec;

  @Option(
      names = "--api-url",
      scope = ScopeType.INHERIT,
      paramLabel = "<url>",
      description =
          "The Delega API (overrides DELEGA_API_URL and the saved config). Without a path,"
              + " localhost gets /api and other hosts /v1.")
  String apiUrl;

  /** A command bound to a session (environment, home, streams); tests pass their own. */
  public Delega(Session session) {
    this.session = session;
  }

  /** Runs the command and exits with its code. */
  public static void main(String[] args) {
    Session session = Session.system();
    int code = commandLine(session).execute(args);
    session.out().flush();
    session.err().flush();
    // `serve` returns only once the JVM is shutting down, when System.exit would block forever
    if (code != 0 || !"serve".equals(firstCommand(args))) {
      System.exit(code);
    }
  }

  /**
   * The configured command line: its output goes to the session's streams and invalid input exits
   * with 1, like every other error.
   */
  public static CommandLine commandLine(Session session) {
    CommandLine cl = new CommandLine(new Delega(session));
    cl.setOut(session.out());
    cl.setErr(session.err());
    exitWithOne(cl);
    cl.setColorScheme(CommandLine.Help.defaultColorScheme(
        session.colour() ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    return cl;
  }

  private static void exitWithOne(CommandLine cl) {
    cl.getCommandSpec().exitCodeOnInvalidInput(1);
    cl.getCommandSpec().exitCodeOnExecutionException(1);
    cl.getSubcommands().values().forEach(Delega::exitWithOne);
  }

  /** The session this command runs in. */
  public Session session() {
    return session;
  }

  String apiUrl() {
    return apiUrl;
  }

  /** Without a subcommand: the help. */
  @Override
  public Integer call() {
    spec.commandLine().usage(session.out());
    return 0;
  }

  private static String firstCommand(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--api-url")) {
        i++;
      } else if (!args[i].startsWith("-")) {
        return args[i];
      }
    }
    return "";
  }

  /** {@code delega --version}. */
  static final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "delega " + VERSION,
        "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
      };
    }
  }
}
