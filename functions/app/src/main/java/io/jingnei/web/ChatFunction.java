package io.jingnei.web;

import io.jingnei.core.chat.ChatRequest;
import io.jingnei.core.entry.FunctionCalls;
import io.quarkus.funqy.Funq;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

/** {@code POST /chat}; the access gate has decided the caller. */
public class ChatFunction {
    @Inject
    FunctionCalls calls;
    @Inject
    CurrentVertxRequest request;

    @Funq("chat")
    public Uni<Object> chat(ChatRequest input) {
        var ctx = request.getCurrent();
        return FunqyReplies.of(() -> calls.chat(AccessGate.caller(ctx), input, AccessGate.requestId(ctx)));
    }
}
