package dev.bilevel.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.AdvancedNetworkConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.spi.properties.ClusterProperty;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The one network configuration the driver and the workers share: a fixed cluster name, one listening
 * address (loopback unless named), members only (no client endpoint), TCP-IP join to an explicit address
 * list, no multicast or cloud auto-detection, a Java deserialization whitelist, quiet logging, no phone-home.
 */
final class ClusterConfigs {

    /** The Hazelcast cluster name every bilevel member uses. */
    static final String CLUSTER_NAME = "bilevel";
    /** The executor service trials run on. */
    static final String EXECUTOR = "bilevel-trials";
    /** Member attribute that marks a bilevel worker and says how many trials it runs at once. */
    static final String THREADS_ATTRIBUTE = "bilevel.threads";
    /** The port Hazelcast members use by default. */
    static final int DEFAULT_PORT = 5701;

    private ClusterConfigs() {
    }

    /**
     * The configuration of one member.
     *
     * <p>It listens on {@code access}'s address only, for members only: the advanced network has a member
     * endpoint and no client endpoint, so Hazelcast clients cannot connect. Java deserialization accepts only
     * the task and outcome types, byte arrays, Hazelcast's own classes and the JDK exception types that
     * Hazelcast sends Java-serialized ({@link #serializationFilter}). Every task the member receives goes
     * through its {@link TaskGate}.
     *
     * @param joinAddresses {@code host[:port]} of members to join (checked by {@link #parseJoin})
     * @param port the port to listen on; 0 lets the system choose a free one
     * @param lite whether this is the driver (a lite member: it owns no data and runs no trials)
     * @param threads for a worker, trials it runs at once
     * @param access the address to listen on and the cluster secret
     * @param log where the member's gate reports refused tasks
     */
    static Config config(List<String> joinAddresses, int port, boolean lite, int threads, ClusterAccess access,
            PrintStream log) {
        Config config = new Config();
        config.setClusterName(CLUSTER_NAME);
        config.setInstanceName(CLUSTER_NAME + (lite ? "-driver-" : "-worker-") + Long.toHexString(System.nanoTime()));
        config.setClassLoader(ClusterConfigs.class.getClassLoader());
        config.setLiteMember(lite);
        config.getJetConfig().setEnabled(false);
        config.getMetricsConfig().setEnabled(false);
        config.getSerializationConfig().setJavaSerializationFilterConfig(serializationFilter());
        config.getUserContext().put(TaskGate.KEY, new TaskGate(access.secret(), log));

        // Hazelcast logs member loss with stack traces; the executor reports what matters in one line.
        // -Dhazelcast.logging.type=jdk brings its logs back for debugging.
        config.setProperty(ClusterProperty.LOGGING_TYPE.getName(),
                System.getProperty(ClusterProperty.LOGGING_TYPE.getName(), "none"));
        config.setProperty(ClusterProperty.PHONE_HOME_ENABLED.getName(), "false");
        config.setProperty(ClusterProperty.HEALTH_MONITORING_LEVEL.getName(), "OFF");
        // The default 5 s pause before a join makes a small cluster slow to form.
        config.setProperty(ClusterProperty.WAIT_SECONDS_BEFORE_JOIN.getName(), "1");
        // A driver started before its workers forms a cluster of its own; look for the workers'
        // cluster (and merge with it) every few seconds instead of after five minutes.
        config.setProperty(ClusterProperty.MERGE_FIRST_RUN_DELAY_SECONDS.getName(), "5");
        config.setProperty(ClusterProperty.MERGE_NEXT_RUN_DELAY_SECONDS.getName(), "5");
        // A worker whose JVM died should not hold its trials for the default minute.
        config.setProperty(ClusterProperty.MAX_NO_HEARTBEAT_SECONDS.getName(), "30");
        config.setProperty(ClusterProperty.HEARTBEAT_INTERVAL_SECONDS.getName(), "2");
        // Ctrl-C on a worker leaves the cluster at once, so the driver resubmits its trials at once.
        config.setProperty(ClusterProperty.SHUTDOWNHOOK_POLICY.getName(), "GRACEFUL");
        // Listen on the one address of access, never on every interface.
        config.setProperty(ClusterProperty.SOCKET_BIND_ANY.getName(), "false");
        config.setProperty(ClusterProperty.SOCKET_SERVER_BIND_ANY.getName(), "false");

        ServerSocketEndpointConfig members = new ServerSocketEndpointConfig();
        members.setPort(port).setPortAutoIncrement(false);
        members.getInterfaces().setEnabled(true).addInterface(access.bindAddress());
        AdvancedNetworkConfig network = config.getAdvancedNetworkConfig();
        network.setEnabled(true);
        network.setMemberEndpointConfig(members); // and no client endpoint: clients cannot connect
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(new ArrayList<>(joinAddresses));

        if (!lite) {
            config.getExecutorConfig(EXECUTOR).setPoolSize(threads).setStatisticsEnabled(false);
            config.getMemberAttributeConfig().setAttribute(THREADS_ATTRIBUTE, Integer.toString(threads));
        }
        return config;
    }

    /**
     * What Java deserialization accepts (nothing else, Hazelcast's default list off): the task and the outcome
     * (whose fields are byte arrays and strings), Hazelcast's own classes, and the JDK types of the exceptions
     * Hazelcast returns Java-serialized when an operation fails on another member.
     */
    static JavaSerializationFilterConfig serializationFilter() {
        JavaSerializationFilterConfig filter = new JavaSerializationFilterConfig().setDefaultsDisabled(true);
        filter.getWhitelist()
                .addClasses(RunTrialTask.class.getName(), SignedOutcome.class.getName(), byte[].class.getName())
                .addPrefixes("com.hazelcast.")
                .addClasses(Throwable.class.getName(), Exception.class.getName(), RuntimeException.class.getName(),
                        IllegalStateException.class.getName(), IllegalArgumentException.class.getName(),
                        NullPointerException.class.getName(), UnsupportedOperationException.class.getName(),
                        RejectedExecutionException.class.getName(), CancellationException.class.getName(),
                        ExecutionException.class.getName(), TimeoutException.class.getName(),
                        StackTraceElement.class.getName(), StackTraceElement[].class.getName(),
                        Collections.emptyList().getClass().getName());
        return filter;
    }

    /**
     * Checks and normalizes a join list: each entry {@code host} or {@code host:port} (port 1–65535),
     * entries may themselves be comma separated.
     *
     * @param joinAddresses the addresses as given
     * @param field the input field, for messages ({@code --join})
     * @return the trimmed addresses
     * @throws IllegalArgumentException naming {@code field} for an empty or malformed entry
     */
    static List<String> parseJoin(List<String> joinAddresses, String field) {
        List<String> out = new ArrayList<>();
        for (String given : joinAddresses) {
            if (given == null) {
                throw new IllegalArgumentException(field + ": null address");
            }
            for (String part : given.split(",", -1)) {
                String address = part.strip();
                if (address.isEmpty()) {
                    throw new IllegalArgumentException(field + ": empty address in '" + given + "', expected host:port,…");
                }
                int colon = address.lastIndexOf(':');
                boolean bracketedIpv6 = address.startsWith("[") && address.endsWith("]");
                if (colon >= 0 && !bracketedIpv6 && address.indexOf(':') == colon) {
                    String host = address.substring(0, colon);
                    String port = address.substring(colon + 1);
                    if (host.isEmpty()) {
                        throw new IllegalArgumentException(field + ": '" + address + "' has no host, expected host:port");
                    }
                    checkPort(port, address, field);
                } else if (colon >= 0 && address.startsWith("[") && !bracketedIpv6) {
                    checkPort(address.substring(colon + 1), address, field);
                }
                out.add(address);
            }
        }
        return List.copyOf(out);
    }

    private static void checkPort(String port, String address, String field) {
        int value;
        try {
            value = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + ": '" + address + "' has no valid port, expected host:port");
        }
        if (value < 1 || value > 65_535) {
            throw new IllegalArgumentException(field + ": port " + value + " in '" + address + "' is not in 1..65535");
        }
    }

    /** Whether {@code member} is a bilevel worker (a data member that announced its trial threads). */
    static boolean isWorker(Member member) {
        return !member.isLiteMember() && member.getAttribute(THREADS_ATTRIBUTE) != null;
    }

    /** How many trials a worker runs at once, as it announced (at least 1). */
    static int threadsOf(Member member) {
        try {
            return Math.max(1, Integer.parseInt(member.getAttribute(THREADS_ATTRIBUTE)));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** {@code host:port} of a member, for messages. */
    static String describe(Member member) {
        return member.getAddress().getHost() + ":" + member.getAddress().getPort();
    }

    /** A one-line description of a failure, for messages. */
    static String oneLine(Throwable e) {
        String message = e.getMessage();
        String text = message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
        return text.replace('\n', ' ').replace('\r', ' ').strip();
    }

    static String plural(int n, String word) {
        return String.format(Locale.ROOT, "%d %s%s", n, word, n == 1 ? "" : "s");
    }
}
