package io.jingnei.functions;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The packaged app started as an operator would (no QUARKUS_HTTP_HOST): with nothing configured it
 * serves anonymous callers, so it is reachable from this machine only; with a client key, or told
 * to, it listens on every interface.
 */
class ListenAddressIT {

    @Test
    void an_instance_started_without_settings_is_not_an_open_relay_on_the_network() throws Exception {
        InetAddress outward = nonLoopbackAddress().orElse(null);
        assumeTrue(outward != null, "this machine has no non-loopback IPv4 address to try");

        try (AppProcess open = AppProcess.start(Map.of("JINGNEI_RAG_ENABLED", "false"), java.util.List.of("-Xmx256m"), false)) {
            assertThat(reachable(outward, open.port)).as("from the network").isFalse();
            assertThat(open.get("/health", null).statusCode()).as("the quick start on localhost").isEqualTo(200);
            assertThat(open.logText()).contains("on 127.0.0.1 only");
        }
        try (AppProcess keyed = AppProcess.start(Map.of("JINGNEI_RAG_ENABLED", "false", "JINGNEI_CLIENT_KEYS", "ck-listen-test-0001:shop-a"),
                java.util.List.of("-Xmx256m"), false)) {
            assertThat(reachable(outward, keyed.port)).as("with credentials, as before").isTrue();
        }
        try (AppProcess told = AppProcess.start(Map.of("JINGNEI_RAG_ENABLED", "false", "JINGNEI_HTTP_HOST", "0.0.0.0"),
                java.util.List.of("-Xmx256m"), false)) {
            assertThat(reachable(outward, told.port)).as("JINGNEI_HTTP_HOST says so").isTrue();
        }
    }

    private static boolean reachable(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        return Optional.of(address);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
