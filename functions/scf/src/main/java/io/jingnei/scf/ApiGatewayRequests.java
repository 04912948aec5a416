package io.jingnei.scf;

import com.qcloud.services.scf.runtime.events.APIGatewayProxyRequestEvent;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The request body of an API Gateway event, base64-decoded when the event says so. */
final class ApiGatewayRequests {
    private ApiGatewayRequests() {
    }

    static byte[] body(APIGatewayProxyRequestEvent event) {
        String body = event == null || event.getBody() == null ? "" : event.getBody();
        return event != null && Boolean.TRUE.equals(event.getIsBase64Encoded())
                ? Base64.getMimeDecoder().decode(body)
                : body.getBytes(StandardCharsets.UTF_8);
    }
}
