package io.jingnei.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.entry.FunctionCalls;
import io.jingnei.core.entry.Functions;
import io.jingnei.core.entry.Reply;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.jingnei.core.entry.RagHealth;
import io.jingnei.fc.FcEvents;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The FC custom runtime's control paths: {@code POST /initialize} (the initializer: wait until model
 * and index are loaded), {@code POST /invoke} (event invocations: OSS object-created and timer
 * events start a faq-batch, read by the FC adapter's {@link FcEvents} as the java11 handler reads them), {@code GET /pre-stop}. The access gate lets a request through only when
 * FC marks it with the matching {@code x-fc-control-path}; only such requests hand over the role's
 * credentials. HTTP triggers reach the ordinary routes (FC marks them {@code /http-invoke}).
 */
@ApplicationScoped
public class FcCustomRuntimeRoutes {
    /** FC's initializer timeout is at most 300 s; waiting longer would only hide the cause. */
    private static final long INITIALIZE_SECONDS = 300;

    @Inject
    FunctionCalls calls;
    @Inject
    ObjectMapper json;

    void register(@Observes Router router) {
        router.post("/initialize").handler(this::initialize);
        router.post("/invoke").handler(this::invoke);
        router.get("/pre-stop").handler(this::preStop);
        router.get("/health").handler(this::health);
    }

    /** FC is about to stop this instance: say so in the log (Quarkus closes the core on shutdown). */
    private void preStop(RoutingContext ctx) {
        calls.instance().log.event("pre-stop: the instance is stopping", Map.of("request_id", AccessGate.requestId(ctx)));
        ctx.response().end("ok");
    }

    /**
     * For the platforms' health checks: up as soon as HTTP is served (a RAG failure never takes the
     * instance down: chat still works); says how RAG is doing, {@link RagHealth}.
     */
    private void health(RoutingContext ctx) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("status", "UP");
        report.putAll(RagHealth.of(calls.instance()));
        Errors.write(json, ctx, new Reply(200, report));
    }

    /**
     * Waits until RAG has settled, then succeeds whatever the outcome, as the java11 initializer
     * does: FC retries a failed initializer before every request, so failing here would turn a
     * missing index into failed chat calls; rag-query and /health say why instead, and the index is
     * loaded by itself once it appears.
     */
    private void initialize(RoutingContext ctx) {
        PlatformCredentials.remember(ctx.request());
        if (!calls.instance().ragConfig.enabled) {
            ctx.response().end("ok");
            return;
        }
        Uni.createFrom().completionStage(calls.instance().rag().handle((rag, error) -> RagHealth.of(calls.instance())))
                .ifNoItem().after(java.time.Duration.ofSeconds(INITIALIZE_SECONDS)).recoverWithItem(() -> RagHealth.of(calls.instance()))
                .subscribe().with(report -> {
                    if (!"ready".equals(report.get("rag"))) {
                        Map<String, Object> fields = new LinkedHashMap<>(report);
                        fields.put("level_hint", "WARN");
                        fields.put("request_id", AccessGate.requestId(ctx));
                        calls.instance().log.event("initialized without RAG ready; chat works, rag-query answers why", fields);
                    }
                    ctx.response().end("ok");
                });
    }

    private void invoke(RoutingContext ctx) {
        PlatformCredentials.remember(ctx.request());
        byte[] event = ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        Uni.createFrom().completionStage(() -> FcEvents.call(Functions.FaqBatch.SPEC, calls, event, AccessGate.requestId(ctx)))
                .subscribe().with(reply -> Errors.write(json, ctx, reply),
                        error -> Errors.write(json, ctx, JingneiException.from(error)));
    }
}
