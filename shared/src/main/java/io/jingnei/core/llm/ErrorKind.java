package io.jingnei.core.llm;

/** Why a call failed, as callers see it: the {@code status} word and the HTTP status that fits. */
public enum ErrorKind {
    INVALID_REQUEST("invalid_request", 400),
    UNAUTHORIZED("unauthorized", 401),
    MODEL_NOT_FOUND("model_not_found", 404),
    PAYLOAD_TOO_LARGE("invalid_request", 413),
    RATE_LIMITED("rate_limited", 429),
    /** The upstream rejected our key, or none is configured: an operator problem, not the caller's. */
    AUTH_ERROR("auth_error", 502),
    UPSTREAM_ERROR("upstream_error", 502),
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
            case PAYLOAD_TOO_LARGE:
            case MODEL_NOT_FOUND:
                return "invalid_request_error";
            case UNAUTHORIZED:
                return "authentication_error";
            case RATE_LIMITED:
                return "rate_limit_error";
            case TIMEOUT:
                return "timeout";
            default:
                return "api_error";
        }
    }
}
