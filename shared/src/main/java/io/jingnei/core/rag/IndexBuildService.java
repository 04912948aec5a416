package io.jingnei.core.rag;

import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.call.CallContext;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.log.CallRecord;
import io.jingnei.core.storage.GuardedStore;
import io.jingnei.core.storage.StorageAllowList;
import io.jingnei.core.storage.StorageUris;
import io.jingnei.core.util.TimeSource;

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
    private final TimeSource time;

    public IndexBuildService(GuardedStore store, RagConfig config, CallLog log, TimeSource time) {
        this.store = store;
        this.config = config;
        this.log = log;
        this.time = time;
    }

    /** Blocks for the build: call on a worker thread. */
    public IndexBuilder.Result build(IndexBuildRequest request, RagService rag, CallContext ctx) {
        try {
            if (request == null || request.output == null || request.output.isBlank()
                    || request.rollback == null && (request.input == null || request.input.isBlank())) {
                throw new JingneiException(ErrorKind.INVALID_REQUEST,
                        "fields 'input' and 'output' (object URIs) are required; a rollback takes 'output' and 'rollback' (a version)");
            }
            // Both locations are decided before a byte is read: a forbidden output used to be found only
            // after the input had been read, parsed and embedded (and a missing input answered not_found).
            URI output = StorageUris.parse(request.output);
            store.allowList().check(output, StorageAllowList.Access.WRITE);
            if (request.rollback == null) {
                store.allowList().check(StorageUris.parse(request.input), StorageAllowList.Access.READ);
            }
            IndexBuilder builder = new IndexBuilder(store, rag.embedder(), new TextChunker(config.chunkChars, config.chunkOverlap),
                    config.maxFileBytes, config.keepVersions, time);
            IndexBuilder.Result result = request.rollback != null ? builder.rollback(request.output, request.rollback)
                    : builder.build(request.input, request.output, Boolean.TRUE.equals(request.int8), (done, all) -> { }, ctx.requestId);
            CallRecord record = new CallRecord(ctx.requestId, ctx.function, result.model, ctx.userId, "success")
                    .put("version", result.version).put("latency_ms", result.millis).put("output", result.output);
            if (result.files != null) {
                record.put("documents", result.documents).put("chunks", result.chunks).put("bytes", result.bytes)
                        .put("embedded", result.embedded).put("reused", result.reused).put("removed", result.removed)
                        .put("files_skipped", result.files.stream().filter(f -> f.reason != null).count());
            } else {
                record.put("rollback", true);
            }
            log.write(record);
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
