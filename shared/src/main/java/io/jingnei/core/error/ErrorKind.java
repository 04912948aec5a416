package io.jingnei.core.error;

/**
 * The one table of failures: each kind has the {@code status} word callers see and the HTTP status
 * that fits. Every adapter (web function, FC, SCF) answers from here, so a kind cannot map to two
 * statuses in two places.
 */
public enum ErrorKind {
    INVALID_REQUEST("invalid_request", 400),
    /** Personal information in a request while JINGNEI_PII=block. */
    PII_DETECTED("pii_detected", 400),
    UNAUTHORIZED("unauthorized", 401),
    /** Authenticated, but not allowed: an admin function without an admin key, a URI outside the allow-list. */
    FORBIDDEN("forbidden", 403),
    /** The object store refused our own credentials. */
    ACCESS_DENIED("access_denied", 403),
    NOT_FOUND("not_found", 404),
    MODEL_NOT_FOUND("model_not_found", 404),
    METHOD_NOT_ALLOWED("method_not_allowed", 405),
    /** Another writer holds what this call needs (index versions claimed by builds running at once): try again shortly. */
    CONFLICT("conflict", 409),
    /** A request body that did not arrive within JINGNEI_BODY_TIMEOUT. */
    REQUEST_TIMEOUT("request_timeout", 408),
    PAYLOAD_TOO_LARGE("invalid_request", 413),
    RATE_LIMITED("rate_limited", 429),
    /** A spend budget is used up; OpenAI SDKs recognise the code. */
    INSUFFICIENT_QUOTA("insufficient_quota", 429),
    INTERNAL_ERROR("internal_error", 500),
    /** The upstream rejected our key, or none is configured: an operator problem, not the caller's. */
    AUTH_ERROR("auth_error", 502),
    UPSTREAM_ERROR("upstream_error", 502),
    STORAGE_ERROR("storage_error", 502),
    /** Every upstream that could serve is resting behind an open circuit breaker: come back after Retry-After. */
    UPSTREAM_UNAVAILABLE("upstream_unavailable", 503),
    INDEX_UNAVAILABLE("index_unavailable", 503),
    EMBEDDING_ERROR("embedding_error", 503),
    /** The instance could not start (a bad setting, a model that cannot load); reported on every call. */
    BOOT_FAILED("boot_failed", 503),
    /** The instance holds as many request bodies as it may (JINGNEI_MAX_INFLIGHT_BODY_BYTES): try again shortly. */
    OVERLOADED("overloaded", 503),
    TIMEOUT("timeout", 504);

    public final String status;
    public final int httpStatus;

    ErrorKind(String status, int httpStatus) {
        this.status = status;
        this.httpStatus = httpStatus;
    }

    /** The OpenAI error {@code type} for this kind, so SDKs raise the matching exception class. */
    public String openAiType() {
        switch (this) {
            case INVALID_REQUEST:
            case PII_DETECTED:
            case PAYLOAD_TOO_LARGE:
            case REQUEST_TIMEOUT:
            case MODEL_NOT_FOUND:
            case NOT_FOUND:
            case METHOD_NOT_ALLOWED:
                return "invalid_request_error";
            case UNAUTHORIZED:
                return "authentication_error";
            case FORBIDDEN:
                return "permission_error";
            case RATE_LIMITED:
                return "rate_limit_error";
            case INSUFFICIENT_QUOTA:
                return "insufficient_quota";
            default:
                // Every 5xx, a timeout (504) included, is OpenAI's server_error; the code says which.
                return httpStatus >= 500 ? "server_error" : "api_error";
        }
    }

    /** The OpenAI error {@code code}: what SDKs and dashboards key on. */
    public String openAiCode() {
        switch (this) {
            case RATE_LIMITED:
                return "rate_limit_exceeded";
            case UNAUTHORIZED:
                return "invalid_api_key";
            default:
                return status;
        }
    }
}
