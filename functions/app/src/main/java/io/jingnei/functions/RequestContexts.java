package io.jingnei.functions;

import io.jingnei.core.llm.CallContext;
import io.vertx.ext.web.RoutingContext;

/** The request id a platform already assigned (FC, SCF, a gateway), else a new one. */
final class RequestContexts {
    private static final String[] ID_HEADERS = {"x-fc-request-id", "x-scf-request-id", "x-request-id"};

    private RequestContexts() {
    }

    static CallContext of(RoutingContext routing, String function, String userId) {
        String id = null;
        for (String header : ID_HEADERS) {
            id = routing.request().getHeader(header);
            if (id != null && !id.isBlank()) {
                break;
            }
        }
        CallContext ctx = new CallContext(id, function, userId);
        routing.response().putHeader("x-request-id", ctx.requestId);
        return ctx;
    }
}
