package io.jingnei.core.http;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client's TLS is made at the first https connection, not when the client is built, and is
 * then the default one: the JDK's trust store (here one holding the test server's certificate, set
 * the way an operator would, with javax.net.ssl.trustStore) and the host name checked.
 */
class LazyTlsStrategyTest {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static HttpsServer server;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        Path keys = dir.resolve("localhost.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "localhost", "-keyalg", "EC", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keys.toString(), "-storepass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0).as(out).isTrue();

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keys)) {
            store.load(in, PASSWORD);
        }
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(store, PASSWORD);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(managers.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        server.createContext("/", exchange -> {
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        System.setProperty("javax.net.ssl.trustStore", keys.toString());
        System.setProperty("javax.net.ssl.trustStorePassword", new String(PASSWORD));
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
    }

    @AfterAll
    static void stop() {
        System.clearProperty("javax.net.ssl.trustStore");
        System.clearProperty("javax.net.ssl.trustStorePassword");
        System.clearProperty("javax.net.ssl.trustStoreType");
        server.stop(0);
    }

    @Test
    void a_new_client_has_not_made_its_tls_and_the_first_https_call_makes_it() throws Exception {
        try (SharedHttpClient http = new SharedHttpClient(4, Duration.ofSeconds(5), Duration.ofSeconds(10))) {
            assertThat(http.tls().made()).isFalse();

            SimpleHttpResponse response = http.client().execute(
                    SimpleRequestBuilder.get("https://localhost:" + server.getAddress().getPort() + "/").build(), null)
                    .get(20, TimeUnit.SECONDS);

            assertThat(response.getCode()).isEqualTo(200);
            assertThat(response.getBodyText()).isEqualTo("ok");
            assertThat(http.tls().made()).isTrue();
        }
    }

    @Test
    void a_certificate_for_another_host_name_is_refused() throws Exception {
        try (SharedHttpClient http = new SharedHttpClient(4, Duration.ofSeconds(5), Duration.ofSeconds(10))) {
            // The certificate names localhost only; 127.0.0.1 is the same server under a name it does not carry.
            Future<SimpleHttpResponse> call = http.client().execute(
                    SimpleRequestBuilder.get("https://127.0.0.1:" + server.getAddress().getPort() + "/").build(), null);

            assertThatThrownBy(() -> call.get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SSLHandshakeException.class).hasMessageContaining("127.0.0.1");
        }
    }
}
