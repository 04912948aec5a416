package io.jingnei.core.rag;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.jingnei.core.embed.EmbeddingException;
import io.jingnei.core.index.IndexException;
import io.jingnei.core.llm.CallContext;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.log.CallRecord;
import io.jingnei.core.storage.ObjectStore;
import io.jingnei.core.storage.ObjectStoreException;

/** {@code index-build}: builds an index and answers what it did, or why it could not, with a fitting status. */
public final class IndexBuildService {
    private final ObjectStore store;
    private final RagConfig config;
    private final CallLog log;

    public IndexBuildService(ObjectStore store, RagConfig config, CallLog log) {
        this.store = store;
        this.config = config;
        this.log = log;
    }

    /** Either the build's result or a failure, never an exception. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static final class Outcome {
        public final String status;
        public final IndexBuilder.Result result;
        public final String error;
        @JsonIgnore
        public final int httpStatus;

        Outcome(String status, IndexBuilder.Result result, String error, int httpStatus) {
            this.status = status;
            this.result = result;
            this.error = error;
            this.httpStatus = httpStatus;
        }
    }

    /** Blocks for the build. */
    public Outcome build(IndexBuildRequest request, RagService rag, CallContext ctx) {
        if (request == null || request.input == null || request.input.isBlank() || request.output == null || request.output.isBlank()) {
            return failed(ctx, "invalid_request", "fields 'input' and 'output' (object URIs) are required", 400);
        }
        try {
            IndexBuilder builder = new IndexBuilder(store, rag.embedder(), new TextChunker(config.chunkChars, config.chunkOverlap));
            IndexBuilder.Result result = builder.build(request.input, request.output, Boolean.TRUE.equals(request.int8), (done, all) -> { });
            log.write(new CallRecord(ctx.requestId, ctx.function, result.model, ctx.userId, "success")
                    .put("documents", result.documents).put("chunks", result.chunks).put("bytes", result.bytes)
                    .put("latency_ms", result.millis).put("output", result.output));
            return new Outcome("success", result, null, 200);
        } catch (ObjectStoreException e) {
            switch (e.reason()) {
                case NOT_FOUND:
                    return failed(ctx, "not_found", e.getMessage(), 404);
                case ACCESS_DENIED:
                    return failed(ctx, "access_denied", e.getMessage(), 403);
                case INVALID:
                    return failed(ctx, "invalid_request", e.getMessage(), 400);
                default:
                    return failed(ctx, "storage_error", e.getMessage(), 502);
            }
        } catch (IllegalArgumentException | IndexException e) {
            return failed(ctx, "invalid_request", e.getMessage(), 400);
        } catch (EmbeddingException e) {
            return failed(ctx, "embedding_error", e.getMessage(), 503);
        } catch (io.jingnei.core.config.ConfigException e) {
            return failed(ctx, "config_error", e.getMessage(), 500);
        }
    }

    private Outcome failed(CallContext ctx, String status, String error, int httpStatus) {
        log.write(new CallRecord(ctx.requestId, ctx.function, null, ctx.userId, status).put("error", error));
        return new Outcome(status, null, error, httpStatus);
    }
}
