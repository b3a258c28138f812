package dev.delega.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** A command that only groups subcommands ({@code tasks}, {@code agents}…): alone, it is a usage error. */
@Command(
    mixinStandardHelpOptions = true,
    versionProvider = Delega.VersionProvider.class,
    exitCodeOnInvalidInput = 1,
    exitCodeOnExecutionException = 1)
abstract class GroupCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand: choose one of " + String.join(", ", spec.subcommands().keySet()));
  }
}
