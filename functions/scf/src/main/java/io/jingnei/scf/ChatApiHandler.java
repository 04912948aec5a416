package io.jingnei.scf;

import com.qcloud.scf.runtime.Context;
import com.qcloud.services.scf.runtime.events.APIGatewayProxyRequestEvent;
import io.jingnei.core.entry.Functions;

/** {@code chat} behind API Gateway (integrated response): {@code io.jingnei.scf.ChatApiHandler::handle}. */
public final class ChatApiHandler {

    public ApiGatewayResponse handle(APIGatewayProxyRequestEvent event, Context context) {
        return ApiGatewayRequests.handle(Functions.CHAT, event, context.getRequestId());
    }
}
