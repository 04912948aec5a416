package io.jingnei.web;

import io.jingnei.core.call.CallContext;
import io.vertx.ext.web.RoutingContext;

/** The request id a platform already assigned (FC, SCF, a gateway) when it is short and plain, else a new one. */
final class RequestContexts {
    private static final String[] ID_HEADERS = {"x-fc-request-id", "x-scf-request-id", "x-request-id"};

    private RequestContexts() {
    }

    static String requestId(RoutingContext routing) {
        for (String header : ID_HEADERS) {
            String id = routing.request().getHeader(header);
            if (id != null && !id.isBlank()) {
                return CallContext.acceptRequestId(id);
            }
        }
        return CallContext.acceptRequestId(null);
    }
}
