package io.jingnei.scf;

import com.qcloud.scf.runtime.Context;
import com.qcloud.services.scf.runtime.events.APIGatewayProxyRequestEvent;

/** {@code rag-query} behind API Gateway (integrated response). */
public final class RagQueryApiHandler {

    public ApiGatewayResponse handle(APIGatewayProxyRequestEvent event, Context context) {
        return ApiGatewayRequests.handle("rag-query", event, context.getRequestId());
    }
}
