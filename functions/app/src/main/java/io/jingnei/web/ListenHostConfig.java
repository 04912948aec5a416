package io.jingnei.web;

import io.jingnei.core.auth.ListenHost;
import io.jingnei.core.config.Env;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.Map;
import java.util.Set;

/**
 * {@code quarkus.http.host} from the core's {@link ListenHost} rule: loopback for an instance that
 * serves anonymous callers only because nothing was configured. Ranked above application.properties
 * (250) and below the environment (300) and system properties (400), so {@code QUARKUS_HTTP_HOST}
 * and the platforms' bootstrap scripts ({@code -Dquarkus.http.host=0.0.0.0}) still decide. Reads
 * the process environment directly: a config source cannot ask the config it is part of.
 */
public class ListenHostConfig implements ConfigSource {
    private static final String HOST = "quarkus.http.host";

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(HOST);
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of(HOST, ListenHost.choose(Env.system()));
    }

    @Override
    public String getValue(String name) {
        return HOST.equals(name) ? ListenHost.choose(Env.system()) : null;
    }

    @Override
    public String getName() {
        return "jingnei-listen-host";
    }

    @Override
    public int getOrdinal() {
        return 275;
    }
}
