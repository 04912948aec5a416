package io.jingnei.core.storage;

import io.jingnei.core.config.Env;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where object-storage credentials come from, asked on every request: temporary credentials
 * expire and are rotated in place, so they must not be cached for the life of the instance.
 */
@FunctionalInterface
public interface CredentialsProvider {

    /** Empty when no credentials are configured: requests then go unsigned (public buckets). */
    Optional<Credentials> get();

    /**
     * The documented order, first complete set wins: JINGNEI_S3_*, AWS_*, ALIBABA_CLOUD_*,
     * TENCENTCLOUD_*, then the function's execution credentials from the platform context.
     */
    static CredentialsProvider chain(Env env, Supplier<Optional<Credentials>> platform) {
        return () -> fromEnv(env, "JINGNEI_S3_ACCESS_KEY_ID", "JINGNEI_S3_SECRET_ACCESS_KEY", "JINGNEI_S3_SESSION_TOKEN")
                .or(() -> fromEnv(env, "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"))
                .or(() -> fromEnv(env, "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN"))
                .or(() -> fromEnv(env, "TENCENTCLOUD_SECRETID", "TENCENTCLOUD_SECRETKEY", "TENCENTCLOUD_SESSIONTOKEN"))
                .or(platform);
    }

    private static Optional<Credentials> fromEnv(Env env, String id, String secret, String token) {
        Optional<String> key = env.get(id);
        Optional<String> value = env.get(secret);
        if (key.isEmpty() || value.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Credentials(key.get(), value.get(), env.get(token).orElse(null)));
    }
}
