package io.jingnei.core.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.llm.BatchEndpoint;
import io.jingnei.core.pii.PiiPolicy;
import io.jingnei.core.pii.PiiSession;
import io.jingnei.core.pricing.BatchPrices;
import io.jingnei.core.pricing.Cost;
import io.jingnei.core.pricing.Usage;
import io.jingnei.core.rag.RagPrompt;
import io.jingnei.core.rag.RagResult;
import io.jingnei.core.text.JsonLines;
import io.jingnei.core.util.Json;

import java.util.HashMap;
import java.util.Map;

/**
 * What a provider batch answered, as faq-batch answers: each request's output or error line read by
 * its custom_id, the masked answer restored, priced at the batch price, and a request the provider
 * never ran (expired, cancelled, failed) turned into a failure the next run asks again.
 */
final class BatchAnswers {
    private static final ObjectMapper JSON = Json.mapper();

    private final PiiPolicy pii;
    private final BatchPrices prices;

    BatchAnswers(PiiPolicy pii, BatchPrices prices) {
        this.pii = pii;
        this.prices = prices;
    }

    static boolean answered(ObjectNode answer) {
        String status = answer.path("status").asText();
        return status.equals("success") || status.equals("no_context");
    }

    /** A part's output and error lines by custom_id. */
    static Map<String, JsonNode> resultLines(BatchEndpoint api, BatchState.Part part) {
        Map<String, JsonNode> lines = new HashMap<>();
        for (String fileId : new String[] {part.outputFileId, part.errorFileId}) {
            if (fileId != null && !fileId.isEmpty()) {
                for (JsonLines.Line line : JsonLines.parse(FaqBatch.join(api.content(fileId)))) {
                    if (line.isJson() && line.node.path("custom_id").isTextual()) {
                        lines.put(line.node.path("custom_id").asText(), line.node);
                    }
                }
            }
        }
        return lines;
    }

    /** One request's answer from its output or error line; a request with neither was not run (expired, cancelled, failed). */
    ObjectNode answerOf(JsonNode line, BatchState.Request request, String partStatus, String model) {
        if (line == null) {
            return failure(partStatus.equals("failed") ? "upstream_error" : partStatus,
                    "the provider batch " + partStatus + " before this question was answered; the next run asks it again");
        }
        JsonNode response = line.path("response");
        int status = response.path("status_code").asInt(0);
        JsonNode body = response.path("body");
        if (status != 200 || !line.path("error").isMissingNode() && !line.path("error").isNull()) {
            JsonNode error = line.path("error").isObject() ? line.path("error") : body.path("error");
            String reason = error.path("message").asText(error.path("code").asText("no reason given"));
            return failure("upstream_error", "the provider answered " + (status == 0 ? "an error" : "HTTP " + status) + ": " + reason)
                    .put("upstream_status", status);
        }
        String content = body.path("choices").path(0).path("message").path("content").asText("");
        if (request.restore != null && !request.restore.isEmpty()) {
            content = PiiSession.restoring(pii, request.restore).unmask(content);
        }
        Usage usage = Usage.fromJson(body.get("usage"));
        if (usage == null) {
            usage = Usage.NONE;
        }
        Cost cost = prices.cost(model, usage);
        ObjectNode answer = JSON.createObjectNode();
        boolean declined = RagPrompt.declined(content);
        answer.put("answer", declined ? RagResult.NO_CONTEXT_ANSWER : content);
        answer.put("status", declined ? "no_context" : "success");
        answer.set("sources", request.sources == null ? JSON.createArrayNode() : request.sources);
        answer.set("usage", JSON.valueToTree(usage));
        answer.set("cost", JSON.valueToTree(cost));
        return answer;
    }

    static ObjectNode failure(String status, String reason) {
        ObjectNode answer = JSON.createObjectNode();
        answer.putNull("answer");
        answer.put("status", status);
        answer.putArray("sources");
        answer.putObject("usage").put("prompt_tokens", 0).put("completion_tokens", 0).put("total_tokens", 0);
        answer.putObject("cost").put("usd", 0).put("cny", 0);
        answer.put("error", reason);
        return answer;
    }
}
