package io.jingnei.core.entry;

/** Who may call a route, decided from the headers before a body byte is kept. */
public enum Access {
    /** Client key, end-user JWT, or anonymous where allowed. */
    PUBLIC,
    /** Admin key only. */
    ADMIN,
    /** FC's control paths: only when FC itself sends them (x-fc-control-path). */
    CONTROL,
    /** Static pages and health: no credentials. */
    OPEN
}
