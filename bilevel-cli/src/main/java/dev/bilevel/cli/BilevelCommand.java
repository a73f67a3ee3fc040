package dev.bilevel.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The top-level {@code bilevel} command; all work happens in its subcommands. */
@Command(name = "bilevel", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Decentralized bi-level reinforcement learning: BC-HG (Boltzmann-covariance",
            "hypergradients), its baselines, exact hypergradients and benchmarks.", ""},
        subcommands = {RunCommand.class, HypergradientCommand.class, DiagnoseCommand.class, SweepCommand.class,
            AggregateCommand.class, ReproduceCommand.class, PlotCommand.class, WorkerCommand.class},
        footer = {"", "Exit status: 0 success, 1 a run failed (e.g. diverged), 2 bad input.",
            "Docs: README.md and docs/ in the repository."})
public final class BilevelCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(),
                "missing command: run, hypergradient, diagnose, sweep, aggregate, reproduce, plot, worker");
    }
}
