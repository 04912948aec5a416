package io.jingnei.scf;

import io.jingnei.core.entry.FunctionCalls;
import io.jingnei.core.entry.InstanceBoot;
import io.jingnei.core.entry.Reply;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The instance's core for every SCF trigger (one boot per instance, from the deployment's
 * configuration, whichever event comes first), or why it could not boot. Role credentials reach
 * SCF functions as TENCENTCLOUD_* variables, which the core's credential chain reads on every
 * request. One request per instance: waiting for the answer is fine here.
 */
final class ScfCalls {
    private ScfCalls() {
    }

    static Reply call(String requestId, Function<FunctionCalls, CompletableFuture<Reply>> call) {
        return InstanceBoot.answer(requestId, call);
    }
}
