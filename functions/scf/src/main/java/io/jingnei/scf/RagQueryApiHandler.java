package io.jingnei.scf;

import com.qcloud.scf.runtime.Context;
import com.qcloud.services.scf.runtime.events.APIGatewayProxyRequestEvent;
import io.jingnei.core.entry.FunctionSpec;
import io.jingnei.core.entry.Functions;

/** {@code rag-query} behind API Gateway (integrated response). */
public final class RagQueryApiHandler {
    /** Its entry in the core's table of functions (HandlersAgreeWithTheTableTest reads it). */
    static final FunctionSpec<?> FUNCTION = Functions.RagQuery.SPEC;

    public ApiGatewayResponse handle(APIGatewayProxyRequestEvent event, Context context) {
        return ApiGatewayRequests.handle(FUNCTION, event, context.getRequestId());
    }
}
