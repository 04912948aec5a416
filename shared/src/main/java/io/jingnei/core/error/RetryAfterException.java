package io.jingnei.core.error;

/**
 * A failure that says when to come back (a rate limit of ours); the reply carries it as
 * {@code Retry-After}. It lives beside {@link JingneiException} so that the packages raising it
 * (limits) need not know the functions that answer with it.
 */
public interface RetryAfterException {
    long seconds();
}
