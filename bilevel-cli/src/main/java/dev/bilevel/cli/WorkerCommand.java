package dev.bilevel.cli;

import dev.bilevel.hazelcast.HazelcastWorker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bilevel worker}: a member of the bilevel Hazelcast cluster that runs the trials of cluster
 * sweeps ({@code bilevel sweep … --executor hazelcast --join …}) until it is stopped.
 */
@Command(name = "worker", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run sweep trials for drivers on a cluster (Hazelcast).", "",
            "Joins the cluster 'bilevel' through the members in --join (TCP-IP, no",
            "multicast), prints one line when it has joined, then runs the trials that",
            "'bilevel sweep SPEC.yaml --executor hazelcast --join HOST:PORT,…' sends it",
            "until interrupted (Ctrl-C). Stopping a worker loses nothing: the driver runs",
            "its unfinished trials on the other workers. Every machine must run the same",
            "bilevel version. Docs: bilevel-hazelcast/README.md.", ""})
final class WorkerCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--join", split = ",", paramLabel = "HOST:PORT",
            description = {"Other workers to join, comma separated (HOST alone: ports 5701-5703).",
                "None: start a cluster that others join."})
    private List<String> join = new ArrayList<>();

    @Option(names = "--port", paramLabel = "P", defaultValue = "5701",
            description = "Port to listen on (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--threads", paramLabel = "N",
            description = "Trials run at once (default: the number of processors).")
    private Integer threads;

    @Override
    public Integer call() throws InterruptedException {
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        try (HazelcastWorker worker = HazelcastWorker.start(join, port, n)) {
            spec.commandLine().getErr().println("bilevel " + worker.describe() + "; Ctrl-C to stop");
            worker.awaitShutdown();
        }
        return 0;
    }
}
