package io.jingnei.core.auth;

import io.jingnei.core.config.ConfigException;
import io.jingnei.core.config.Env;
import io.jingnei.core.config.Settings;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which web sites may call the functions from a browser ({@code JINGNEI_CORS_ORIGINS}, exact
 * origins such as {@code https://shop.example.cn}, or {@code *}). None by default: the chat page
 * served by the function itself is same-origin and needs no CORS. Credentials travel only in the
 * Authorization header, never in cookies, so {@code Allow-Credentials} is never sent.
 */
public final class CorsPolicy {
    private final Set<String> origins;
    private final boolean any;

    private CorsPolicy(Set<String> origins, boolean any) {
        this.origins = origins;
        this.any = any;
    }

    public static CorsPolicy from(Env env) {
        List<String> listed = Settings.list(env, "JINGNEI_CORS_ORIGINS");
        Set<String> origins = new LinkedHashSet<>();
        boolean any = false;
        for (String origin : listed) {
            if (origin.equals("*")) {
                any = true;
                continue;
            }
            String normal = origin.toLowerCase(Locale.ROOT).replaceAll("/+$", "");
            if (!normal.matches("https?://[a-z0-9.\\-]+(:\\d{1,5})?")) {
                throw new ConfigException("JINGNEI_CORS_ORIGINS: '" + origin + "' must be an origin like https://shop.example.cn (scheme, host, optional port)");
            }
            origins.add(normal);
        }
        return new CorsPolicy(origins, any);
    }

    /** The value for Access-Control-Allow-Origin, or null when this origin may not call us. */
    public String allowOrigin(String origin) {
        if (origin == null || origin.isEmpty()) {
            return null;
        }
        if (any) {
            return "*";
        }
        return origins.contains(origin.toLowerCase(Locale.ROOT)) ? origin : null;
    }
}
