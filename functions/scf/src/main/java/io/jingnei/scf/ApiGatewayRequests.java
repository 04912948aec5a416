package io.jingnei.scf;

import com.qcloud.services.scf.runtime.events.APIGatewayProxyRequestEvent;
import io.jingnei.core.auth.RequestHeaders;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.entry.FunctionSpec;
import io.jingnei.core.entry.HttpTriggers;
import io.jingnei.core.entry.Reply;
import io.jingnei.core.request.RequestBodies;

/** An API Gateway event as the core's HTTP call: method, path, headers and the body (base64-decoded when the event says so). */
final class ApiGatewayRequests {
    private ApiGatewayRequests() {
    }

    static ApiGatewayResponse handle(FunctionSpec<?> function, APIGatewayProxyRequestEvent event, String requestId) {
        byte[] bytes;
        try {
            bytes = RequestBodies.eventBody(event == null ? null : event.getBody(), event != null && Boolean.TRUE.equals(event.getIsBase64Encoded()));
        } catch (JingneiException unreadable) {
            return ApiGatewayResponse.of(Reply.failure(unreadable, requestId), requestId);
        }
        String method = event == null || event.getHttpMethod() == null ? "POST" : event.getHttpMethod();
        String path = event == null || event.getPath() == null ? "/" : event.getPath();
        RequestHeaders headers = RequestHeaders.of(event == null ? null : event.getHeaders());
        Reply reply = ScfCalls.call(requestId, calls -> HttpTriggers.call(calls, function, method, path, headers, bytes, requestId));
        return ApiGatewayResponse.of(reply, requestId);
    }
}
