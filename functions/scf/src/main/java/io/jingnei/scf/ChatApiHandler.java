package io.jingnei.scf;

import com.qcloud.scf.runtime.Context;
import com.qcloud.services.scf.runtime.events.APIGatewayProxyRequestEvent;

/** {@code chat} behind API Gateway (integrated response): {@code io.jingnei.scf.ChatApiHandler::handle}. */
public final class ChatApiHandler {

    public ApiGatewayResponse handle(APIGatewayProxyRequestEvent event, Context context) {
        byte[] body = ApiGatewayRequests.body(event);
        return ApiGatewayResponse.of(ScfInstance.call(context.getRequestId(), false, calls -> calls.chat(body, context.getRequestId())),
                context.getRequestId());
    }
}
