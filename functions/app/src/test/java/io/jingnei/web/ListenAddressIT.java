package io.jingnei.web;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The packaged app started as an operator would (no QUARKUS_HTTP_HOST): with nothing configured it
 * serves anonymous callers, so it listens on loopback only; with a client key, or told to, it
 * listens on every interface. Where it listens is read from the kernel's socket table
 * (/proc/net/tcp, tcp6), so no test traffic goes to any address but loopback.
 */
class ListenAddressIT {

    @Test
    void an_instance_started_without_settings_is_not_an_open_relay_on_the_network() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/net/tcp")), "needs Linux's /proc/net/tcp to see where a socket listens");

        try (AppProcess open = AppProcess.start(Map.of("JINGNEI_RAG_ENABLED", "false"), java.util.List.of("-Xmx256m"), false)) {
            assertThat(listening(open.port)).as("only on loopback").isNotEmpty().allSatisfy(address ->
                    assertThat(address).isIn("127.0.0.1", "::1", "::ffff:127.0.0.1"));
            assertThat(open.get("/health", null).statusCode()).as("the quick start on localhost").isEqualTo(200);
            assertThat(open.logText()).contains("on 127.0.0.1 only");
        }
        try (AppProcess keyed = AppProcess.start(Map.of("JINGNEI_RAG_ENABLED", "false", "JINGNEI_CLIENT_KEYS", "ck-listen-test-0001:shop-a"),
                java.util.List.of("-Xmx256m"), false)) {
            assertThat(listening(keyed.port)).as("with credentials, on every interface as before").containsAnyOf("0.0.0.0", "::", "::ffff:0.0.0.0");
        }
        try (AppProcess told = AppProcess.start(Map.of("JINGNEI_RAG_ENABLED", "false", "JINGNEI_HTTP_HOST", "0.0.0.0"),
                java.util.List.of("-Xmx256m"), false)) {
            assertThat(listening(told.port)).as("JINGNEI_HTTP_HOST says so").containsAnyOf("0.0.0.0", "::", "::ffff:0.0.0.0");
        }
    }

    /** The local addresses of the sockets listening on {@code port}, as the kernel lists them. */
    private static Set<String> listening(int port) throws IOException {
        Set<String> addresses = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.exists(file)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                String[] local = fields[1].split(":");
                if (Integer.parseInt(local[1], 16) == port && fields[3].equals("0A")) { // 0A: LISTEN
                    addresses.add(decode(local[0]));
                }
            }
        }
        return addresses;
    }

    /** /proc/net's hex address: 32-bit words in host (little-endian) order. */
    private static String decode(String hex) throws IOException {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(word * 8 + (3 - i) * 2, word * 8 + (3 - i) * 2 + 2), 16);
            }
        }
        InetAddress address = InetAddress.getByAddress(bytes);
        if (bytes.length == 16 && bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff && java.util.Arrays.equals(java.util.Arrays.copyOf(bytes, 10), new byte[10])) {
            return "::ffff:" + InetAddress.getByAddress(java.util.Arrays.copyOfRange(bytes, 12, 16)).getHostAddress();
        }
        String text = address.getHostAddress();
        return text.equals("0:0:0:0:0:0:0:0") ? "::" : text.equals("0:0:0:0:0:0:0:1") ? "::1" : text;
    }
}
