package io.jingnei.functions;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.JingneiInstance;
import io.jingnei.core.auth.Caller;
import io.jingnei.core.auth.RequestHeaders;
import io.jingnei.core.config.Platform;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Runs before every route: gives the request its id, answers CORS, refuses unknown paths and wrong
 * methods in JSON, and decides access with the core's rules. Public routes need a client key or a
 * token (or anonymous access where allowed), admin routes an admin key, and FC's control paths
 * only act for requests FC itself marks with a matching {@code x-fc-control-path}; an HTTP-trigger
 * request to {@code /initialize} is an unknown route. The decided caller rides on the context.
 */
@ApplicationScoped
public class AccessGate {
    static final String CALLER = "jingnei.caller";
    static final String REQUEST_ID = "jingnei.request-id";

    @Inject
    JingneiInstance jingnei;
    @Inject
    ObjectMapper json;
    @Inject
    Cors cors;
    private final Platform platform = Platform.detect(InstanceProducer.configEnv());

    void register(@Observes Router router) {
        router.route().order(-300).handler(this::gate);
        // Bodies are read within the configured limit (Quarkus' own body handler has the same limit,
        // quarkus.http.limits.max-body-size); a larger one is a JSON 413 from the failure handler.
        router.route().order(-290).handler(BodyHandler.create(false).setBodyLimit(jingnei.config.caps.maxBodyBytes));
        router.route().order(Integer.MAX_VALUE - 10).handler(this::notFound);
    }

    /**
     * A control path acts only for FC itself, and only on FC: FC marks HTTP-trigger requests
     * {@code /http-invoke} (its HTTP triggers refuse client headers starting with {@code x-fc-}) and
     * the initializer and invocations with their own path, but on SCF or a private host any client
     * could send the header. What FC sends on
     * {@code GET /pre-stop} is not documented, so that one (which only answers and logs) is refused
     * only when it is marked as coming through a trigger.
     */
    static boolean sentByFc(Platform platform, String path, String controlPath) {
        if (platform != Platform.FC) {
            return false;
        }
        return path.equals(controlPath) || (path.equals("/pre-stop") && controlPath == null);
    }

    private void gate(RoutingContext ctx) {
        String requestId = RequestContexts.requestId(ctx);
        ctx.put(REQUEST_ID, requestId);
        ctx.response().putHeader("x-request-id", requestId);
        String path = ctx.normalizedPath();
        if (cors.handle(ctx)) {
            return;
        }
        String length = ctx.request().getHeader("Content-Length");
        if (length != null && length.length() < 19 && length.chars().allMatch(Character::isDigit)
                && Long.parseLong(length) > jingnei.config.caps.maxBodyBytes) {
            Errors.write(json, ctx, tooLarge());
            return;
        }
        RouteTable.Route route = RouteTable.of(path);
        if (route == null) {
            // Answered here, not passed on: Vert.x matches an exact route with a trailing slash too, so
            // "/chat-stream/" or "/invoke/" would otherwise reach a handler without credentials.
            notFound(ctx);
            return;
        }
        if (route.access == RouteTable.Access.CONTROL && !sentByFc(platform, path, ctx.request().getHeader("x-fc-control-path"))) {
            notFound(ctx);
            return;
        }
        if (!route.methods.contains(ctx.request().method())) {
            ctx.response().putHeader("Allow", route.post() ? "POST" : "GET, HEAD");
            Errors.write(json, ctx, new JingneiException(ErrorKind.METHOD_NOT_ALLOWED, "use " + (route.post() ? "POST" : "GET") + " for " + path));
            return;
        }
        RequestHeaders headers = name -> ctx.request().getHeader(name);
        try {
            if (route.access == RouteTable.Access.PUBLIC) {
                ctx.put(CALLER, jingnei.auth.authenticate(headers));
            } else if (route.access == RouteTable.Access.ADMIN) {
                ctx.put(CALLER, jingnei.auth.requireAdmin(headers));
            }
        } catch (JingneiException refused) {
            jingnei.completions().rejected(new io.jingnei.core.llm.CallContext(requestId, path.substring(1), null), null, refused);
            if (refused.kind() == ErrorKind.UNAUTHORIZED) {
                ctx.response().putHeader("WWW-Authenticate", "Bearer");
            }
            Errors.write(json, ctx, refused);
            return;
        }
        ctx.next();
    }

    private void notFound(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        Errors.write(json, ctx, new JingneiException(ErrorKind.NOT_FOUND, "no route " + shown(path)
                + (RouteTable.openAi(path) ? "; the OpenAI-compatible surface has /v1/chat/completions, /v1/embeddings and /v1/models"
                : "; the functions are /chat, /chat-stream, /rag-query, /rag-stream, /index-build, /faq-batch and /v1/*")));
    }

    JingneiException tooLarge() {
        return new JingneiException(ErrorKind.PAYLOAD_TOO_LARGE, "request body is larger than " + jingnei.config.caps.maxBodyBytes
                + " bytes (JINGNEI_MAX_BODY_BYTES)");
    }

    /** The caller the gate authenticated; a handler reached without one is a bug, never an anonymous call. */
    static Caller caller(RoutingContext ctx) {
        Caller caller = ctx.get(CALLER);
        if (caller == null) {
            throw new IllegalStateException("no authenticated caller for " + shown(ctx.normalizedPath()) + ": the access gate did not run");
        }
        return caller;
    }

    static String requestId(RoutingContext ctx) {
        String id = ctx.get(REQUEST_ID);
        return id == null ? RequestContexts.requestId(ctx) : id;
    }

    private static String shown(String path) {
        String cut = path.length() > 80 ? path.substring(0, 80) + "…" : path;
        return cut.replaceAll("[^\\x20-\\x7E]", "?");
    }
}
