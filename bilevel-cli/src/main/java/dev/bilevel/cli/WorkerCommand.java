package dev.bilevel.cli;

import dev.bilevel.hazelcast.ClusterAccess;
import dev.bilevel.hazelcast.HazelcastWorker;
import java.io.PrintWriter;
import java.nio.file.Path;
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
            "bilevel version.", "",
            "It listens on loopback unless --bind names another address of this machine;",
            "then it needs the cluster secret (--secret-file FILE, or the environment",
            "variable BILEVEL_CLUSTER_SECRET), and runs only tasks signed with it.",
            "Docs: bilevel-hazelcast/README.md, docs/sweeps.md (Security).", ""})
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

    @Option(names = "--bind", paramLabel = "ADDRESS",
            description = {"Address of this machine to listen on (default: loopback, 127.0.0.1).",
                "Another address is reachable from the network and needs the cluster secret."})
    private String bind;

    @Option(names = "--secret-file", paramLabel = "FILE",
            description = {"File holding the cluster secret (at least 16 characters); default: the",
                "environment variable " + ClusterAccess.SECRET_VARIABLE + " if set. Never on the command line."})
    private Path secretFile;

    @Override
    public Integer call() throws InterruptedException {
        ClusterAccess access = ClusterAccess.of(bind, secretFile, System.getenv());
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        PrintWriter err = spec.commandLine().getErr();
        try (HazelcastWorker worker = HazelcastWorker.start(join, port, n, access, System.err)) {
            access.networkWarning(port).ifPresent(err::println);
            err.println("bilevel " + worker.describe() + (access.hasSecret()
                    ? "; runs only tasks signed with the cluster secret"
                    : "; no cluster secret: any process on this machine may run trials here") + "; Ctrl-C to stop");
            worker.awaitShutdown();
        }
        return 0;
    }
}
