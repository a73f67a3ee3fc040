package dev.bilevel.cli;

import dev.bilevel.experiments.ExperimentInputException;
import dev.bilevel.problems.json.ProblemFileException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;

/**
 * Entry point of the {@code bilevel} command. Exit status: 0 on success, 2 for bad input (flags,
 * configs, problem files; one line on stderr naming the field), 1 when a run fails (for example a
 * diverging solve), with a one-line message.
 */
public final class Main {

    /** Exit status for bad input. */
    public static final int USAGE_ERROR = 2;
    /** Exit status for a run that failed. */
    public static final int RUN_FAILED = 1;

    private Main() {
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams and returns the exit status (for tests). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine(out, err);
        return cli.execute(args);
    }

    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new BilevelCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine command = ex.getCommandLine();
            command.getErr().println(command.getCommandName() + ": " + oneLine(ex.getMessage()) + didYouMean(ex)
                    + " (see --help)");
            return USAGE_ERROR;
        });
        cli.setExecutionExceptionHandler((ex, command, parseResult) -> {
            PrintWriter e = command.getErr();
            if (ex instanceof ProblemFileException || ex instanceof ExperimentInputException
                    || ex instanceof IllegalArgumentException) {
                e.println(command.getCommandName() + ": " + oneLine(ex.getMessage()));
                return USAGE_ERROR;
            }
            e.println(command.getCommandName() + ": failed: " + oneLine(String.valueOf(ex.getMessage())));
            if (System.getenv("BILEVEL_DEBUG") != null) {
                ex.printStackTrace(e);
            }
            return RUN_FAILED;
        });
        return cli;
    }

    /** For a mistyped option or subcommand, picocli's nearest candidates: {@code "; did you mean --method?"}. */
    private static String didYouMean(CommandLine.ParameterException ex) {
        if (ex instanceof CommandLine.UnmatchedArgumentException unmatched) {
            List<String> suggestions = unmatched.getSuggestions();
            if (!suggestions.isEmpty()) {
                return "; did you mean " + String.join(" or ", suggestions.subList(0, Math.min(3, suggestions.size())))
                        + "?";
            }
        }
        return "";
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replace('\n', ' ').replace('\r', ' ').strip();
    }
}
