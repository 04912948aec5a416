package io.jingnei.scf;

import com.qcloud.scf.runtime.Context;
import com.qcloud.services.scf.runtime.events.APIGatewayProxyRequestEvent;
import io.jingnei.core.entry.Functions;

/** {@code rag-query} behind API Gateway (integrated response). */
public final class RagQueryApiHandler {

    public ApiGatewayResponse handle(APIGatewayProxyRequestEvent event, Context context) {
        return ApiGatewayRequests.handle(Functions.RAG_QUERY, event, context.getRequestId());
    }
}
