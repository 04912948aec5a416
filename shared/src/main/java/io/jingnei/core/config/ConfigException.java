package io.jingnei.core.config;

/** A setting is missing or malformed. The message names the variable, never a secret value. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
