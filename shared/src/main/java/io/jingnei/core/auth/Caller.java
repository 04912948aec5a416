package io.jingnei.core.auth;

/**
 * Who is calling, as decided by {@link Authenticator}: the user id their credential stands for (a
 * client key's user, a JWT's {@code sub}), or nobody for anonymous calls where they are allowed.
 */
public final class Caller {
    public enum Via { CLIENT_KEY, JWT, ADMIN_KEY, ANONYMOUS, PLATFORM }

    /** Limits and budgets for everyone without a user id of their own are kept under this name. */
    public static final String EVERYONE = "*";
    /**
     * What the platform's own events (a nightly faq-batch) count under: not {@link #EVERYONE}, so a
     * batch never spends anonymous callers' budget; limited only by a {@code platform:} entry.
     */
    public static final String PLATFORM = "platform";
    /** The user every admin key stands for. */
    public static final String ADMIN = "admin";

    public final Via via;
    /** Null for anonymous callers. */
    public final String userId;

    private Caller(Via via, String userId) {
        this.via = via;
        this.userId = userId;
    }

    public static Caller user(Via via, String userId) {
        return new Caller(via, userId);
    }

    public static Caller anonymous() {
        return new Caller(Via.ANONYMOUS, null);
    }

    /** Events from the platform itself (object-created, timer, FC /invoke): no user. */
    public static Caller platform() {
        return new Caller(Via.PLATFORM, null);
    }

    public boolean admin() {
        return via == Via.ADMIN_KEY;
    }

    /** The name limits and budgets count under: the user id, {@link #PLATFORM}, or {@link #EVERYONE}. */
    public String limitKey() {
        return userId != null ? userId : via == Via.PLATFORM ? PLATFORM : EVERYONE;
    }

    /**
     * The user id to account a call to and to forward upstream. A body's {@code user_id}/{@code user}
     * may add a sub-label to an authenticated user ({@code alice/visitor-42}) but never replace it;
     * anonymous callers' labels are taken as they are.
     */
    public String effectiveUser(String fromBody) {
        String label = fromBody == null || fromBody.isBlank() ? null : UserIds.require(fromBody.trim());
        if (userId == null) {
            return label;
        }
        if (label == null || label.equals(userId)) {
            return userId;
        }
        String sub = label.startsWith(userId + "/") ? label.substring(userId.length() + 1) : label;
        return UserIds.require(userId + "/" + sub);
    }

    @Override
    public String toString() {
        return "Caller{" + via + (userId == null ? "" : ", " + userId) + "}";
    }
}
