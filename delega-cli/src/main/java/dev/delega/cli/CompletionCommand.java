package dev.delega.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;

/**
 * {@code delega completion}: the bash/zsh completion script picocli generates from the command
 * tree. Install with {@code source <(delega completion)}.
 */
@Command(
    name = "completion",
    description = "Print a bash/zsh completion script: source <(delega completion)")
final class CompletionCommand extends DelegaCommand {
  @Override
  int run() {
    session().out().print(AutoComplete.bash("delega", spec.root().commandLine()));
    session().out().flush();
    return 0;
  }
}
