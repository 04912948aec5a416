package io.jingnei.core.storage;

import io.jingnei.core.config.ConfigException;
import io.jingnei.core.config.Env;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Where an {@code s3://}, {@code oss://} or {@code cos://} URI is served and how it is signed.
 * OSS and COS endpoints are derived from the region; inside FC the internal OSS endpoint is the
 * default (free traffic, no public egress). A plain {@code s3://} URI needs an explicit endpoint:
 * there is deliberately no default that would leave the country.
 */
public final class S3Settings {
    final Optional<String> endpoint;
    final Optional<String> region;
    final boolean pathStyle;
    final boolean insideFc;

    private S3Settings(Env env) {
        this.endpoint = env.get("JINGNEI_S3_ENDPOINT").map(e -> e.endsWith("/") ? e.substring(0, e.length() - 1) : e);
        this.region = env.get("JINGNEI_S3_REGION").or(() -> env.get("FC_REGION")).or(() -> env.get("TENCENTCLOUD_REGION"));
        this.pathStyle = env.get("JINGNEI_S3_PATH_STYLE").map(v -> v.equalsIgnoreCase("true") || v.equals("1")).orElse(false);
        this.insideFc = env.get("FC_FUNCTION_NAME").isPresent() || env.get("FC_FUNC_CODE_PATH").isPresent();
    }

    public static S3Settings from(Env env) {
        return new S3Settings(env);
    }

    /** The HTTPS (or configured) base URL for a scheme, without the bucket. */
    String endpointFor(String scheme) {
        if (endpoint.isPresent()) {
            return endpoint.get();
        }
        switch (scheme) {
            case "oss":
                return "https://s3.oss-" + regionFor(scheme) + (insideFc ? "-internal" : "") + ".aliyuncs.com";
            case "cos":
                return "https://cos." + regionFor(scheme) + ".myqcloud.com";
            default:
                throw new ConfigException("JINGNEI_S3_ENDPOINT must be set to read s3:// URIs (there is no default endpoint)");
        }
    }

    String regionFor(String scheme) {
        return region.map(r -> r.toLowerCase(Locale.ROOT).replaceFirst("^oss-", ""))
                .orElseThrow(() -> new ConfigException("JINGNEI_S3_REGION must be set to read " + scheme + ":// URIs"));
    }

    /** Signing region: the configured one; S3-compatible servers without regions accept us-east-1. */
    String signingRegion(String scheme) {
        return region.isPresent() ? regionFor(scheme) : "us-east-1";
    }

    /** The HTTP URL of an object: virtual-hosted ({@code bucket.host/key}) unless path style is set. */
    URI objectUrl(String scheme, String bucket, String key, String rawQuery) {
        URI base = URI.create(endpointFor(scheme));
        String encodedKey = SigV4Signer.encode(key, false);
        String path = pathStyle ? "/" + bucket + "/" + encodedKey : "/" + encodedKey;
        String host = pathStyle ? base.getRawAuthority() : bucket + "." + base.getRawAuthority();
        return URI.create(base.getScheme() + "://" + host + path + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery));
    }
}
