package io.jingnei.core.entry;

import io.jingnei.core.JingneiInstance;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.rag.IndexHolder;
import io.jingnei.core.rag.RagService;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * How RAG is doing, for health reports: {@code disabled}, {@code loading} (model or first index load
 * under way), {@code ready} (an index is being served), or {@code failed} with {@code rag_error}, the
 * cause. A failed model load stays failed (a broken package or too little memory: redeploy); a
 * missing or unreadable index is loaded again by itself with backoff, and asking starts a due retry.
 * Neither fails the instance: chat keeps working and rag-query answers the same cause.
 */
public final class RagHealth {
    private RagHealth() {
    }

    public static Map<String, Object> of(JingneiInstance instance) {
        Map<String, Object> report = new LinkedHashMap<>();
        CompletableFuture<RagService> rag = instance.rag();
        if (!instance.ragConfig.enabled) {
            report.put("rag", "disabled");
        } else if (!rag.isDone()) {
            report.put("rag", "loading");
        } else if (rag.isCompletedExceptionally()) {
            report.put("rag", "failed");
            report.put("rag_error", rag.handle((ok, error) -> JingneiException.from(error).getMessage()).join());
        } else {
            IndexHolder.State index = rag.join().index().state();
            report.put("rag", index.status.name().toLowerCase(java.util.Locale.ROOT));
            if (index.cause != null) {
                report.put("rag_error", index.cause);
            }
        }
        return report;
    }
}
