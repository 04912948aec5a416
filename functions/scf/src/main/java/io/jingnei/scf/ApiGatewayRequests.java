package io.jingnei.scf;

import com.qcloud.services.scf.runtime.events.APIGatewayProxyRequestEvent;
import io.jingnei.core.auth.RequestHeaders;
import io.jingnei.core.functions.Reply;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** An API Gateway event as the core's HTTP call: method, path, headers and the body (base64-decoded when the event says so). */
final class ApiGatewayRequests {
    private ApiGatewayRequests() {
    }

    static ApiGatewayResponse handle(String function, APIGatewayProxyRequestEvent event, String requestId) {
        String body = event == null || event.getBody() == null ? "" : event.getBody();
        byte[] bytes = event != null && Boolean.TRUE.equals(event.getIsBase64Encoded())
                ? Base64.getMimeDecoder().decode(body)
                : body.getBytes(StandardCharsets.UTF_8);
        String method = event == null || event.getHttpMethod() == null ? "POST" : event.getHttpMethod();
        String path = event == null || event.getPath() == null ? "/" : event.getPath();
        RequestHeaders headers = RequestHeaders.of(event == null ? null : event.getHeaders());
        Reply reply = ScfCalls.call(requestId, calls -> calls.http(function, method, path, headers, bytes, requestId));
        return ApiGatewayResponse.of(reply, requestId);
    }
}
