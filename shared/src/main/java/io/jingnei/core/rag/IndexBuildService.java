package io.jingnei.core.rag;

import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.llm.CallContext;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.log.CallRecord;
import io.jingnei.core.storage.GuardedStore;
import io.jingnei.core.storage.StorageAllowList;
import io.jingnei.core.storage.StorageUris;

import java.net.URI;

/**
 * {@code index-build}: builds an index from a knowledge base. Every failure is a
 * {@link JingneiException} of its own kind (a missing input is {@code not_found}, an output bucket
 * that refuses us is {@code access_denied}, a URI outside the allow-list is {@code forbidden}),
 * logged here once. The output and the input are checked against the allow-list before anything is
 * read, the output first.
 */
public final class IndexBuildService {
    private final GuardedStore store;
    private final RagConfig config;
    private final CallLog log;

    public IndexBuildService(GuardedStore store, RagConfig config, CallLog log) {
        this.store = store;
        this.config = config;
        this.log = log;
    }

    /** Blocks for the build: call on a worker thread. */
    public IndexBuilder.Result build(IndexBuildRequest request, RagService rag, CallContext ctx) {
        try {
            if (request == null || request.input == null || request.input.isBlank() || request.output == null || request.output.isBlank()) {
                throw new JingneiException(ErrorKind.INVALID_REQUEST, "fields 'input' and 'output' (object URIs) are required");
            }
            // Both locations are decided before a byte is read: a forbidden output used to be found only
            // after the input had been read, parsed and embedded (and a missing input answered not_found).
            URI output = StorageUris.parse(request.output);
            URI input = StorageUris.parse(request.input);
            store.allowList().check(output, StorageAllowList.Access.WRITE);
            store.allowList().check(input, StorageAllowList.Access.READ);
            IndexBuilder builder = new IndexBuilder(store, rag.embedder(), new TextChunker(config.chunkChars, config.chunkOverlap));
            IndexBuilder.Result result = builder.build(request.input, request.output, Boolean.TRUE.equals(request.int8), (done, all) -> { });
            log.write(new CallRecord(ctx.requestId, ctx.function, result.model, ctx.userId, "success")
                    .put("documents", result.documents).put("chunks", result.chunks).put("bytes", result.bytes)
                    .put("latency_ms", result.millis).put("output", result.output));
            return result;
        } catch (IllegalArgumentException e) {
            throw logged(ctx, new JingneiException(ErrorKind.INVALID_REQUEST, e.getMessage(), e));
        } catch (RuntimeException e) {
            throw logged(ctx, JingneiException.from(e));
        }
    }

    private JingneiException logged(CallContext ctx, JingneiException e) {
        log.write(new CallRecord(ctx.requestId, ctx.function, null, ctx.userId, e.kind().status).put("error", e.getMessage()).stack(e));
        return e;
    }
}
