package dev.bilevel.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One in-process {@code bilevel} invocation, as the tests see it.
 *
 * @param status the exit status
 * @param out what it printed to standard output
 * @param err what it printed to standard error
 */
record CliRun(int status, String out, String err) {

    /** Runs {@code bilevel ARGS} in this process and captures both streams. */
    static CliRun run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(status, out.toString(), err.toString());
    }
}
