package io.jingnei.core.storage;

/** Access key, secret and optional session token. {@link #toString()} shows only the key id's start. */
public final class Credentials {
    public final String accessKeyId;
    final String secretAccessKey;
    public final String sessionToken;

    public Credentials(String accessKeyId, String secretAccessKey, String sessionToken) {
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
        this.sessionToken = sessionToken;
    }

    @Override
    public String toString() {
        return "Credentials{" + accessKeyId.substring(0, Math.min(4, accessKeyId.length())) + "…}";
    }
}
