package io.jingnei.web;

import io.jingnei.core.batch.FaqBatchRequest;
import io.jingnei.core.chat.ChatRequest;
import io.jingnei.core.entry.FunctionCalls;
import io.jingnei.core.entry.FunctionSpec;
import io.jingnei.core.entry.Functions;
import io.jingnei.core.rag.IndexBuildRequest;
import io.jingnei.core.rag.RagRequest;
import io.quarkus.funqy.Funq;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

/**
 * The functions that answer once, bound by Funqy to {@code POST /<name>}: each method is the table's
 * entry ({@link Functions}) with the body type Funqy binds; the access gate has decided the caller.
 * The core call returns a future, so no thread waits on an LLM; index-build and faq-batch run on the
 * core's job threads. A caller that goes away before its answer cancels the call ({@link CallerGone}).
 */
public class FunqyFunctions {
    @Inject
    FunctionCalls calls;
    @Inject
    CurrentVertxRequest request;

    @Funq(Functions.CHAT_NAME)
    public Uni<Object> chat(ChatRequest input) {
        return call(Functions.Chat.SPEC, input);
    }

    @Funq(Functions.RAG_QUERY_NAME)
    public Uni<Object> ragQuery(RagRequest input) {
        return call(Functions.RagQuery.SPEC, input);
    }

    @Funq(Functions.INDEX_BUILD_NAME)
    public Uni<Object> indexBuild(IndexBuildRequest input) {
        return call(Functions.IndexBuild.SPEC, input);
    }

    @Funq(Functions.FAQ_BATCH_NAME)
    public Uni<Object> faqBatch(FaqBatchRequest input) {
        return call(Functions.FaqBatch.SPEC, input);
    }

    private <B> Uni<Object> call(FunctionSpec<B> function, B input) {
        var ctx = request.getCurrent();
        // The call's trace is cancelled when the caller goes away: chat and rag-query abort their upstream call.
        return FunqyReplies.of(() -> function.reply(calls, AccessGate.caller(ctx), input, AccessGate.requestId(ctx), CallerGone.watch(ctx)));
    }
}
