package io.jingnei.core.config;

import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;

/**
 * A setting is missing or malformed: the instance cannot start. The message names the variable,
 * never a secret value, and is what every call after a failed boot answers.
 */
public final class ConfigException extends JingneiException {
    public ConfigException(String message) {
        super(ErrorKind.BOOT_FAILED, message);
    }

    /** Keeps what went wrong underneath (an I/O or storage failure) for the boot failure's logged stack. */
    public ConfigException(String message, Throwable cause) {
        super(ErrorKind.BOOT_FAILED, message, cause);
    }
}
