package io.jingnei.scf;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.qcloud.scf.runtime.Context;
import com.qcloud.services.scf.runtime.events.CosEvent;
import io.jingnei.core.entry.IndexBuildEvents;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.entry.Reply;

import java.util.Map;

/**
 * {@code index-build} behind COS and timer triggers ({@code io.jingnei.scf.IndexBuildEventHandler::handle}),
 * a function of its own (scf-index-build/serverless.yml) whose package is the only SCF one with the
 * document parsers. The event's shape says which trigger; what it asks for is the core's decision.
 */
public final class IndexBuildEventHandler {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** @return the build's answer, a skip with its reason, or the failure, as JSON text */
    public String handle(Map<String, Object> event, Context context) {
        String id = context.getRequestId();
        if (event != null && event.containsKey("Records")) {
            CosEvent cos = JSON.convertValue(event, CosEvent.class);
            if (cos.getRecords() == null || cos.getRecords().isEmpty() || cos.getRecords().get(0).getCos() == null) {
                return Reply.failure(new JingneiException(ErrorKind.INVALID_REQUEST, "not a COS event (Records[0].cos)"), id).json();
            }
            CosEvent.CosInfo info = cos.getRecords().get(0).getCos();
            String bucket = info.getCosBucket().getName() + "-" + info.getCosBucket().getAppid();
            String key = FaqBatchCosHandler.objectKey(info);
            return ScfCalls.call(id, calls -> IndexBuildEvents.of(calls).onObject("cos", bucket, key, id)).json();
        }
        // Tencent's trigger documentation sends "Timer"; serverless.com's Tencent pages print "timer".
        if (event != null && event.get("Type") instanceof String && "timer".equalsIgnoreCase((String) event.get("Type"))) {
            String payload = JSON.convertValue(event, ScfTimerEvent.class).Message;
            return ScfCalls.call(id, calls -> IndexBuildEvents.of(calls).onTimer(payload, id)).json();
        }
        return Reply.failure(new JingneiException(ErrorKind.INVALID_REQUEST, "unsupported event: expected COS or timer"), id).json();
    }
}
