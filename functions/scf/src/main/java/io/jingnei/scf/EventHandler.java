package io.jingnei.scf;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.qcloud.scf.runtime.Context;
import com.qcloud.services.scf.runtime.events.APIGatewayProxyRequestEvent;
import com.qcloud.services.scf.runtime.events.CosEvent;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.entry.Reply;

import java.util.Map;

/**
 * One SCF function for every trigger of serverless.yml ({@code io.jingnei.scf.EventHandler::handle}):
 * the event's shape says which it is, and it is bound to that trigger's event class and passed to
 * the handler for it. API Gateway requests go to chat or rag-query by path.
 */
public final class EventHandler {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public Object handle(Map<String, Object> event, Context context) {
        if (event != null && event.containsKey("Records")) {
            return new FaqBatchCosHandler().handle(JSON.convertValue(event, CosEvent.class), context);
        }
        // Tencent's trigger documentation sends "Timer"; serverless.com's Tencent pages print "timer".
        if (event != null && event.get("Type") instanceof String && "timer".equalsIgnoreCase((String) event.get("Type"))) {
            return new FaqBatchTimerHandler().handle(JSON.convertValue(event, ScfTimerEvent.class), context);
        }
        if (event != null && event.containsKey("httpMethod")) {
            // The core routes by path (/chat, /rag-query) and answers unknown paths and methods itself.
            return ApiGatewayRequests.handle(null, JSON.convertValue(event, APIGatewayProxyRequestEvent.class), context.getRequestId());
        }
        return Reply.failure(new JingneiException(ErrorKind.INVALID_REQUEST, "unsupported event: expected API Gateway, COS or timer"),
                context.getRequestId()).json();
    }
}
