package io.jingnei.core.auth;

import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * User ids end up in logs, Redis keys and upstream requests: at most 128 characters of letters,
 * digits and {@code . _ - @ : + /}, no spaces or control characters.
 */
public final class UserIds {
    public static final int MAX_LENGTH = 128;
    private static final Pattern SAFE = Pattern.compile("[\\p{L}\\p{N}._@:+/\\-]{1," + MAX_LENGTH + "}");

    /**
     * Names limits, budgets and logs give a meaning of their own: the admin key's user, the
     * platform's events and everyone without an id. A credential naming one would count as, and
     * spend the budget of, that account.
     */
    private static final Set<String> RESERVED = Set.of(Caller.ADMIN, Caller.PLATFORM, Caller.EVERYONE);

    private UserIds() {
    }

    /** Whether a credential may not stand for this id (compared without regard to case). */
    public static boolean reserved(String id) {
        return id != null && RESERVED.contains(id.trim().toLowerCase(Locale.ROOT));
    }

    public static boolean valid(String id) {
        return id != null && SAFE.matcher(id).matches();
    }

    public static String require(String id) {
        if (!valid(id)) {
            throw new JingneiException(ErrorKind.INVALID_REQUEST, "a user id must be 1 to " + MAX_LENGTH
                    + " letters, digits or . _ - @ : + / (got " + (id == null ? 0 : id.length()) + " characters)");
        }
        return id;
    }
}
