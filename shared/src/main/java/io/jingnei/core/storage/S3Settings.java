package io.jingnei.core.storage;

import io.jingnei.core.config.Env;
import io.jingnei.core.config.Settings;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.core5.util.Timeout;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Where an {@code s3://}, {@code oss://} or {@code cos://} URI is served and how it is signed.
 * OSS and COS endpoints are derived from the region; inside FC the internal OSS endpoint is the
 * default (free traffic, no public egress). A plain {@code s3://} URI needs an explicit endpoint:
 * there is deliberately no default that would leave the country. Storage has its own timeouts and
 * retries, apart from the LLM's.
 */
public final class S3Settings {
    final Optional<String> endpoint;
    final Optional<String> region;
    final boolean pathStyle;
    final boolean insideFc;
    final Duration connectTimeout;
    final Duration readTimeout;
    final int maxRetries;

    private S3Settings(Env env) {
        this.endpoint = env.get("JINGNEI_S3_ENDPOINT").map(e -> e.endsWith("/") ? e.substring(0, e.length() - 1) : e);
        this.region = env.get("JINGNEI_S3_REGION").or(() -> env.get("FC_REGION")).or(() -> env.get("TENCENTCLOUD_REGION"));
        this.pathStyle = Settings.bool(env, "JINGNEI_S3_PATH_STYLE", false);
        this.insideFc = env.get("FC_FUNCTION_NAME").isPresent() || env.get("FC_FUNC_CODE_PATH").isPresent();
        this.connectTimeout = Settings.duration(env, "JINGNEI_S3_CONNECT_TIMEOUT", "5s");
        this.readTimeout = Settings.duration(env, "JINGNEI_S3_READ_TIMEOUT", "60s");
        this.maxRetries = Settings.integer(env, "JINGNEI_S3_MAX_RETRIES", 3, 0, 10);
    }

    public static S3Settings from(Env env) {
        return new S3Settings(env);
    }

    /** Per request: the read timeout is the longest silence while a body streams, sized for large indexes. */
    RequestConfig requestConfig() {
        return RequestConfig.custom()
                .setConnectionRequestTimeout(Timeout.of(connectTimeout))
                .setResponseTimeout(Timeout.of(readTimeout))
                .build();
    }

    /** The HTTPS (or configured) base URL for a scheme, without the bucket. */
    String endpointFor(String scheme, URI uri) {
        if (endpoint.isPresent()) {
            return endpoint.get();
        }
        switch (scheme) {
            case "oss":
                return "https://s3.oss-" + regionFor(scheme, uri) + (insideFc ? "-internal" : "") + ".aliyuncs.com";
            case "cos":
                return "https://cos." + regionFor(scheme, uri) + ".myqcloud.com";
            default:
                throw new ObjectStoreException(ObjectStoreException.Reason.INVALID, uri,
                        "JINGNEI_S3_ENDPOINT must be set to read s3:// URIs (there is no default endpoint)");
        }
    }

    String regionFor(String scheme, URI uri) {
        return region.map(r -> r.toLowerCase(Locale.ROOT).replaceFirst("^oss-", ""))
                .orElseThrow(() -> new ObjectStoreException(ObjectStoreException.Reason.INVALID, uri,
                        "JINGNEI_S3_REGION must be set to read " + scheme + ":// URIs"));
    }

    /** Signing region: the configured one; S3-compatible servers without regions accept us-east-1. */
    String signingRegion(String scheme, URI uri) {
        return region.isPresent() ? regionFor(scheme, uri) : "us-east-1";
    }

    /** The HTTP URL of an object: virtual-hosted ({@code bucket.host/key}) unless path style is set. */
    URI objectUrl(URI object, String scheme, String bucket, String key, String rawQuery) {
        URI base = URI.create(endpointFor(scheme, object));
        String encodedKey = SigV4Signer.encode(key, false);
        String path = pathStyle ? "/" + bucket + "/" + encodedKey : "/" + encodedKey;
        String host = pathStyle ? base.getRawAuthority() : bucket + "." + base.getRawAuthority();
        return URI.create(base.getScheme() + "://" + host + path + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery));
    }
}
