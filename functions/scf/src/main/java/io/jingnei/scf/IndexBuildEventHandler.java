package io.jingnei.scf;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.qcloud.scf.runtime.Context;
import com.qcloud.services.scf.runtime.events.CosEvent;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.entry.Reply;

import java.util.Map;

/**
 * The index-build function's one handler for both its triggers ({@code io.jingnei.scf.IndexBuildEventHandler::handle},
 * scf-index-build/serverless.yml), as {@link EventHandler} is for the other function: the event's
 * shape says which trigger, and it goes to the handler for it. Its package is the only SCF one
 * with the document parsers.
 */
public final class IndexBuildEventHandler {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** @return the build's answer, a skip with its reason, or the failure, as JSON text */
    public String handle(Map<String, Object> event, Context context) {
        if (event != null && event.containsKey("Records")) {
            return new IndexBuildCosHandler().handle(JSON.convertValue(event, CosEvent.class), context);
        }
        // Tencent's trigger documentation sends "Timer"; serverless.com's Tencent pages print "timer".
        if (event != null && event.get("Type") instanceof String && "timer".equalsIgnoreCase((String) event.get("Type"))) {
            return new IndexBuildTimerHandler().handle(JSON.convertValue(event, ScfTimerEvent.class), context);
        }
        return Reply.failure(new JingneiException(ErrorKind.INVALID_REQUEST, "unsupported event: expected COS or timer"),
                context.getRequestId()).json();
    }
}
