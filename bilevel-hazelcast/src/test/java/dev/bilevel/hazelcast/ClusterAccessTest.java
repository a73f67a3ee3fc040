package dev.bilevel.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a member listens and which secret it holds, from the options as given. */
class ClusterAccessTest {

    private static final ClusterSecret SECRET = ClusterSecret.of("sixteen chars at least", "test");

    @TempDir
    Path dir;

    @Test
    void secretsComeFromAFileOrTheEnvironmentAndNeverShow() throws Exception {
        Path file = Files.writeString(dir.resolve("secret"), "sixteen chars at least\r\n");
        assertThat(SECRET.verifies("p", new byte[0], ClusterSecret.read(file, "--secret-file").mac("p", new byte[0])))
                .as("a trailing line break is not part of the secret").isTrue();
        assertThat(ClusterSecret.read(file, "--secret-file").toString()).doesNotContain("sixteen");
        assertThatThrownBy(() -> ClusterSecret.read(dir.resolve("none"), "--secret-file"))
                .hasMessage("--secret-file " + dir.resolve("none") + ": not found");
        Path shortFile = Files.writeString(dir.resolve("short"), "short\n");
        assertThatThrownBy(() -> ClusterSecret.read(shortFile, "--secret-file"))
                .hasMessage("--secret-file " + shortFile + ": the cluster secret has 5 characters, at least 16 are "
                        + "needed");

        assertThat(ClusterAccess.of(null, null, Map.of()).hasSecret()).isFalse();
        ClusterAccess fromEnvironment = ClusterAccess.of(null, null,
                Map.of(ClusterAccess.SECRET_VARIABLE, "sixteen chars at least"));
        assertThat(fromEnvironment.hasSecret()).isTrue();
        assertThat(fromEnvironment.reachableFromNetwork()).isFalse();
        assertThat(fromEnvironment.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(fromEnvironment.networkWarning(5701)).isEmpty();
        assertThatThrownBy(() -> ClusterAccess.of(null, null, Map.of(ClusterAccess.SECRET_VARIABLE, "x")))
                .hasMessageStartingWith(ClusterAccess.SECRET_VARIABLE + ": the cluster secret has 1 characters");
        assertThatThrownBy(() -> ClusterAccess.of("0.0.0.0", file, Map.of()))
                .hasMessageStartingWith("--bind: 0.0.0.0 means every interface");
        assertThatThrownBy(() -> ClusterAccess.of("no-such-host.invalid", file, Map.of()))
                .hasMessage("--bind: unknown host 'no-such-host.invalid'");
        assertThatThrownBy(() -> ClusterAccess.of("192.0.2.254", file, Map.of()))
                .hasMessage("--bind: 192.0.2.254 is not an address of this machine");
    }

    @Test
    void aMemberReachableFromTheNetworkNeedsTheSecretAndIsWarnedAbout() throws Exception {
        Optional<InetAddress> address = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(nic -> Collections.list(nic.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress()).findFirst();
        assumeTrue(address.isPresent(), "this machine has no address but loopback");
        String host = address.get().getHostAddress();
        assertThatThrownBy(() -> ClusterAccess.of(host, null, Map.of()))
                .hasMessage("--secret-file: a member bound to " + host + " is reachable from the network and needs "
                        + "the cluster secret (--secret-file FILE or " + ClusterAccess.SECRET_VARIABLE + ")");
        ClusterAccess access = ClusterAccess.of(host, null, Map.of(ClusterAccess.SECRET_VARIABLE,
                "sixteen chars at least"));
        assertThat(access.reachableFromNetwork()).isTrue();
        assertThat(access.networkWarning(5701)).hasValueSatisfying(w -> assertThat(w)
                .startsWith("warning: listening on " + host + ":5701, reachable from the network"));
    }
}
