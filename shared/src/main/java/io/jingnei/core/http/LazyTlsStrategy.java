package io.jingnei.core.http;

import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.nio.ssl.TlsStrategy;
import org.apache.hc.core5.net.NamedEndpoint;
import org.apache.hc.core5.reactor.ssl.TransportSecurityLayer;
import org.apache.hc.core5.util.Timeout;

import java.net.SocketAddress;

/**
 * HttpClient 5's default TLS strategy, made at the first TLS connection instead of when the client
 * is built. Making it loads the JDK's TLS stack and parses the CA certificates (about 120-150 ms of
 * the initializer's CPU in a new FC java11 instance, 250-300 ms with the JIT work it sets off),
 * which an instance whose upstream is plain HTTP (a gateway in the VPC, the benchmarks' loopback)
 * never needs. With an https upstream that serves any model, the first TLS connection is the
 * model-list fetch the boot starts in the background, so the cost leaves the initializer's thread
 * for that connection's I/O thread, which waits for it once per instance, during the boot.
 * Thread-safe; a failure to make it fails that connection and is tried again on the next.
 */
final class LazyTlsStrategy implements TlsStrategy {
    private volatile TlsStrategy made;

    // visible for tests
    boolean made() {
        return made != null;
    }

    private TlsStrategy strategy() {
        TlsStrategy ready = made;
        if (ready == null) {
            synchronized (this) {
                ready = made;
                if (ready == null) {
                    ready = DefaultClientTlsStrategy.createDefault();
                    made = ready;
                }
            }
        }
        return ready;
    }

    @Override
    public void upgrade(TransportSecurityLayer session, NamedEndpoint endpoint, Object attachment, Timeout handshakeTimeout,
                        FutureCallback<TransportSecurityLayer> callback) {
        strategy().upgrade(session, endpoint, attachment, handshakeTimeout, callback);
    }

    @Override
    @SuppressWarnings("deprecation")
    public boolean upgrade(TransportSecurityLayer session, HttpHost host, SocketAddress localAddress, SocketAddress remoteAddress,
                           Object attachment, Timeout handshakeTimeout) {
        return strategy().upgrade(session, host, localAddress, remoteAddress, attachment, handshakeTimeout);
    }
}
