package io.jingnei.functions;

import io.jingnei.core.JingneiInstance;
import io.jingnei.core.chat.ChatRequest;
import io.jingnei.core.chat.ChatResult;
import io.quarkus.funqy.Funq;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

/** {@code POST /chat}. */
public class ChatFunction {
    @Inject
    JingneiInstance jingnei;
    @Inject
    CurrentVertxRequest request;

    @Funq("chat")
    public Uni<ChatResult> chat(ChatRequest input) {
        return Uni.createFrom()
                .completionStage(() -> jingnei.chat().chat(input, RequestContexts.of(request.getCurrent(), "chat", null)))
                .map(result -> {
                    if (!result.ok()) {
                        throw new FailedResult(result.httpStatus, result);
                    }
                    return result;
                });
    }
}
