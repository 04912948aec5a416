package io.jingnei.core.batch;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.util.Json;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run in batch mode as it stands, kept beside its output as {@code <output>.batch.json}: which
 * upstream and key the batches live on (the key by number, never its value), each part's file and
 * batch ids, and for every request ({@code custom_id}, the question's key) the lines it answers,
 * its sources and the values to restore in its answer. It holds personal data, so it is written
 * only where the customer's questions already are (the allow-listed output folder).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
final class BatchState {
    static final String SUBMITTING = "submitting";
    static final String SUBMITTED = "submitted";
    static final String DONE = "done";
    private static final ObjectMapper JSON = Json.mapper();

    public String run;
    public String status;
    public String model;
    public String upstream;
    public int key;
    /** The answer-cache version the requests' keys were made with. */
    public String version;
    /** Epoch milliseconds of the last write: a submission older than the lease may be taken over. */
    @JsonProperty("updated_at")
    public long updatedAt;
    public List<Part> parts = new ArrayList<>();
    public Map<String, Request> requests = new LinkedHashMap<>();

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    static final class Part {
        public int part;
        /** The part's request file in object storage: uploaded again if the first upload was lost. */
        public String requests;
        @JsonProperty("file_id")
        public String fileId;
        @JsonProperty("batch_id")
        public String batchId;
        public String status;
        @JsonProperty("request_counts")
        public JsonNode requestCounts;
        @JsonProperty("output_file_id")
        public String outputFileId;
        @JsonProperty("error_file_id")
        public String errorFileId;
        @JsonProperty("custom_ids")
        public List<String> customIds = new ArrayList<>();

        boolean finished() {
            return status != null && (status.equals("completed") || status.equals("failed") || status.equals("expired")
                    || status.equals("cancelled"));
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    static final class Request {
        /** Numbers of the input lines this request answers (a question asked twice is asked once). */
        public List<Integer> lines = new ArrayList<>();
        public JsonNode sources;
        /** Masked values by placeholder: restores the answer (personal data). */
        public Map<String, String> restore;
    }

    static URI uriFor(URI output) {
        return URI.create(output + ".batch.json");
    }

    boolean allSubmitted() {
        for (Part p : parts) {
            if (p.batchId == null) {
                return false;
            }
        }
        return true;
    }

    boolean allFinished() {
        for (Part p : parts) {
            if (!p.finished()) {
                return false;
            }
        }
        return true;
    }

    List<String> batchIds() {
        List<String> ids = new ArrayList<>();
        for (Part p : parts) {
            if (p.batchId != null) {
                ids.add(p.batchId);
            }
        }
        return ids;
    }

    /** The provider's counts over every part: total, completed, failed. */
    ObjectNode counts() {
        ObjectNode counts = JSON.createObjectNode();
        long total = 0;
        long completed = 0;
        long failed = 0;
        for (Part p : parts) {
            total += p.requestCounts == null ? p.customIds.size() : p.requestCounts.path("total").asLong(p.customIds.size());
            completed += p.requestCounts == null ? 0 : p.requestCounts.path("completed").asLong();
            failed += p.requestCounts == null ? 0 : p.requestCounts.path("failed").asLong();
        }
        return counts.put("total", total).put("completed", completed).put("failed", failed);
    }

    byte[] bytes() {
        try {
            return Json.pretty().writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static BatchState parse(byte[] bytes, URI uri) {
        try {
            return JSON.readValue(new String(bytes, StandardCharsets.UTF_8), BatchState.class);
        } catch (IOException e) {
            throw new BatchException(uri + " is not a faq-batch state file (it is written by faq-batch in batch mode; delete it to start over)");
        }
    }
}
