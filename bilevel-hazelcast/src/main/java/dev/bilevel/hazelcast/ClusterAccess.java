package dev.bilevel.hazelcast;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Who can reach a cluster member and whom it trusts: the one address it listens on, and the cluster secret
 * that every task and outcome must be signed with.
 *
 * <p>By default a member listens on loopback only, where it may run without a secret (every process of the
 * machine can then reach it). A member bound to another address is reachable from the network and must
 * have the secret: {@link #of} refuses otherwise.
 *
 * <pre>{@code
 * ClusterAccess access = ClusterAccess.of("10.0.0.11", Path.of("cluster.secret"), System.getenv());
 * }</pre>
 */
public final class ClusterAccess {

    /** The environment variable that holds the cluster secret when no secret file is given. */
    public static final String SECRET_VARIABLE = "BILEVEL_CLUSTER_SECRET";

    private final InetAddress bind;
    private final ClusterSecret secret;

    private ClusterAccess(InetAddress bind, ClusterSecret secret) {
        this.bind = bind;
        this.secret = secret;
    }

    /** Loopback only, with no secret: what a member gets when nothing is configured. */
    public static ClusterAccess loopback() {
        return new ClusterAccess(InetAddress.getLoopbackAddress(), null);
    }

    /**
     * Checks the options of a member and reads its secret.
     *
     * @param bind the address to listen on ({@code --bind}), one address of this machine; {@code null} for
     *     loopback
     * @param secretFile the file holding the secret ({@code --secret-file}), or {@code null} to use
     *     {@value #SECRET_VARIABLE} when it is set
     * @param environment the process environment, for {@value #SECRET_VARIABLE}
     * @return the access
     * @throws IllegalArgumentException naming {@code --bind}, {@code --secret-file} or
     *     {@value #SECRET_VARIABLE} for an address that is not this machine's, an unreadable or too short
     *     secret, or a member bound off loopback without a secret
     */
    public static ClusterAccess of(String bind, Path secretFile, Map<String, String> environment) {
        InetAddress address = bind == null ? InetAddress.getLoopbackAddress() : localAddress(bind.strip());
        ClusterSecret secret;
        if (secretFile != null) {
            secret = ClusterSecret.read(secretFile, "--secret-file");
        } else {
            String text = environment.get(SECRET_VARIABLE);
            secret = text == null ? null : ClusterSecret.of(text, SECRET_VARIABLE);
        }
        if (secret == null && !address.isLoopbackAddress()) {
            throw new IllegalArgumentException("--secret-file: a member bound to " + address.getHostAddress()
                    + " is reachable from the network and needs the cluster secret (--secret-file FILE or "
                    + SECRET_VARIABLE + ")");
        }
        return new ClusterAccess(address, secret);
    }

    /** This access with {@code secret} (tests). */
    ClusterAccess withSecret(ClusterSecret secret) {
        return new ClusterAccess(bind, Objects.requireNonNull(secret, "secret"));
    }

    private static InetAddress localAddress(String bind) {
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--bind: unknown host '" + bind + "'");
        }
        if (address.isAnyLocalAddress()) {
            throw new IllegalArgumentException("--bind: " + bind + " means every interface; name one address "
                    + "of this machine");
        }
        try {
            if (!address.isLoopbackAddress() && NetworkInterface.getByInetAddress(address) == null) {
                throw new IllegalArgumentException("--bind: " + bind + " is not an address of this machine");
            }
        } catch (SocketException e) {
            throw new IllegalArgumentException("--bind: cannot list this machine's interfaces (" + e.getMessage()
                    + ")");
        }
        return address;
    }

    /** The address the member listens on. */
    public String bindAddress() {
        return bind.getHostAddress();
    }

    /** Whether the member listens on an address other machines can reach (not loopback). */
    public boolean reachableFromNetwork() {
        return !bind.isLoopbackAddress();
    }

    /** Whether tasks and outcomes are signed and checked with a cluster secret. */
    public boolean hasSecret() {
        return secret != null;
    }

    /**
     * The console warning for a member reachable from the network, empty on loopback.
     *
     * @param port the port it listens on, for the message (0: a port of its choosing)
     * @return one line
     */
    public Optional<String> networkWarning(int port) {
        if (!reachableFromNetwork()) {
            return Optional.empty();
        }
        return Optional.of("warning: listening on " + bindAddress() + (port > 0 ? ":" + port : "")
                + ", reachable from the network: tasks and outcomes are checked with the cluster secret, "
                + "but traffic is not encrypted (docs/sweeps.md, Security)");
    }

    /** The secret, or {@code null} when none is configured. */
    ClusterSecret secret() {
        return secret;
    }

    @Override
    public String toString() {
        return "ClusterAccess[" + bindAddress() + (secret != null ? ", with secret" : ", no secret") + "]";
    }
}
