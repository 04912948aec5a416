package io.jingnei.scf;

import com.qcloud.scf.runtime.Context;
import com.qcloud.services.scf.runtime.events.APIGatewayProxyRequestEvent;
import io.jingnei.core.entry.FunctionSpec;
import io.jingnei.core.entry.Functions;

/** {@code chat} behind API Gateway (integrated response): {@code io.jingnei.scf.ChatApiHandler::handle}. */
public final class ChatApiHandler {
    /** Its entry in the core's table of functions (HandlersAgreeWithTheTableTest reads it). */
    static final FunctionSpec<?> FUNCTION = Functions.Chat.SPEC;

    public ApiGatewayResponse handle(APIGatewayProxyRequestEvent event, Context context) {
        return ApiGatewayRequests.handle(FUNCTION, event, context.getRequestId());
    }
}
