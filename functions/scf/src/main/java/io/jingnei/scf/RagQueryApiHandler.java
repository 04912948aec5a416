package io.jingnei.scf;

import com.qcloud.scf.runtime.Context;
import com.qcloud.services.scf.runtime.events.APIGatewayProxyRequestEvent;

/** {@code rag-query} behind API Gateway (integrated response). */
public final class RagQueryApiHandler {

    public ApiGatewayResponse handle(APIGatewayProxyRequestEvent event, Context context) {
        byte[] body = ApiGatewayRequests.body(event);
        return ApiGatewayResponse.of(ScfInstance.call(context.getRequestId(), true, calls -> calls.ragQuery(body, context.getRequestId())),
                context.getRequestId());
    }
}
