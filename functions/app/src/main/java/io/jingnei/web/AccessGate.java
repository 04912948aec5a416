package io.jingnei.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.JingneiInstance;
import io.jingnei.core.auth.Caller;
import io.jingnei.core.auth.ListenHost;
import io.jingnei.core.auth.RequestHeaders;
import io.jingnei.core.config.Platform;
import io.jingnei.core.entry.Access;
import io.jingnei.core.entry.Functions;
import io.jingnei.core.entry.Route;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.request.BodyBudget;
import io.jingnei.core.request.RequestFraming;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs before every route, and before any body byte is kept: gives the request its id, refuses
 * ambiguous framing (two control paths, an unknown transfer coding), answers CORS, refuses paths
 * the core's table of routes ({@link Functions}) lacks and wrong methods in JSON, and decides access with the core's rules, all from the headers.
 * Only then is a body read, by {@link BodyReader}, within the instance's body budget. Public routes need a client key or a
 * token (or anonymous access where allowed), admin routes an admin key, and FC's control paths
 * only act for requests FC itself marks with a matching {@code x-fc-control-path}; an HTTP-trigger
 * request to {@code /initialize} is an unknown route. The decided caller rides on the context.
 */
@ApplicationScoped
public class AccessGate {
    static final String CALLER = "jingnei.caller";
    static final String REQUEST_ID = "jingnei.request-id";
    private static final String READ_BODY = "jingnei.read-body";
    /** How long a refused request's body is discarded before its connection is closed. */
    private static final Duration LINGER = Duration.ofSeconds(2);
    private static final String FUNCTION_PATHS = Functions.all().stream().map(function -> function.path).collect(Collectors.joining(", "));

    @Inject
    JingneiInstance jingnei;
    @Inject
    ObjectMapper json;
    @Inject
    Cors cors;
    private final Platform platform = Platform.detect(InstanceProducer.configEnv());

    private BodyReader bodies;

    void register(@Observes Router router) {
        bodies = new BodyReader(BodyBudget.from(InstanceProducer.configEnv(), jingnei.caps.maxBodyBytes),
                jingnei.caps.maxBodyBytes, this::refuse);
        // First of all handlers: Quarkus puts the body handler Funqy asks for at MIN_VALUE + 1 (it
        // resumes the paused request, then buffers the whole body), refused or not. The gate decides
        // from the headers and tells that handler there is nothing for it to read; an admitted body
        // is read right after it, by BodyReader, within the budget. (Reading it in the gate instead
        // would leave Quarkus resuming an HTTP/2 request that has ended, which throws.)
        router.route().order(Integer.MIN_VALUE).handler(this::gate);
        router.route().order(Integer.MIN_VALUE + 2).handler(ctx -> {
            if (Boolean.TRUE.equals(ctx.get(READ_BODY))) {
                bodies.read(ctx);
            } else {
                ctx.next();
            }
        });
        router.route().order(Integer.MAX_VALUE - 10).handler(this::notFound);
        String host = ConfigProvider.getConfig().getOptionalValue("quarkus.http.host", String.class).orElse(ListenHost.EVERY_INTERFACE);
        ListenHost.startupNote(InstanceProducer.configEnv(), host).ifPresent(note -> jingnei.log.event(note, Map.of("level_hint", "WARN")));
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

    /** Decides the request from its headers, in this order; each refusal answers and ends the chain. */
    private void gate(RoutingContext ctx) {
        String requestId = tagWithRequestId(ctx);
        HttpServerRequest request = ctx.request();
        if (BodyReader.announced(request)) {
            closeIfAnsweredUnread(ctx);
        }
        if (refusedFraming(ctx) || cors.handle(ctx)) {
            return;
        }
        if (BodyReader.declaredLength(request) > jingnei.caps.maxBodyBytes) {
            refuse(ctx, tooLarge());
            return;
        }
        Route route = allowedRoute(ctx);
        if (route == null || !authenticated(ctx, route, requestId)) {
            return;
        }
        // GET and HEAD routes take no body: none is read, whatever the headers announce.
        ctx.put(READ_BODY, route.post());
        BodyReader.skipFrameworkBodyHandler(ctx);
        ctx.next();
    }

    private static String tagWithRequestId(RoutingContext ctx) {
        String requestId = RequestContexts.requestId(ctx);
        ctx.put(REQUEST_ID, requestId);
        ctx.response().putHeader("x-request-id", requestId);
        return requestId;
    }

    /**
     * For a request that announced a body: whatever answers it without reading that body (a
     * refusal, a GET, a preflight) ends the connection, so the unread rest is discarded, never kept.
     */
    private static void closeIfAnsweredUnread(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        ctx.addHeadersEndHandler(writing -> {
            if (!request.isEnded() && request.version() != HttpVersion.HTTP_2) {
                ctx.response().putHeader("Connection", "close");
            }
        });
        ctx.addEndHandler(done -> {
            if (!request.isEnded() && request.version() != HttpVersion.HTTP_2) {
                lingerThenClose(ctx);
            }
        });
    }

    /** Refuses ambiguous framing (two control paths, an unknown transfer coding); true when it did. */
    private boolean refusedFraming(RoutingContext ctx) {
        try {
            RequestFraming.check(name -> ctx.request().headers().getAll(name));
            return false;
        } catch (JingneiException ambiguous) {
            refuse(ctx, ambiguous);
            return true;
        }
    }

    /**
     * The route for the path and method, or null once the request has been answered: an unknown
     * path (or a control path not sent by FC) with 404, a wrong method with 405.
     */
    private Route allowedRoute(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String path = ctx.normalizedPath();
        Route route = Functions.at(path);
        if (route == null) {
            // Answered here, not passed on: Vert.x matches an exact route with a trailing slash too, so
            // "/chat-stream/" or "/invoke/" would otherwise reach a handler without credentials.
            notFound(ctx);
            return null;
        }
        if (route.access == Access.CONTROL && !sentByFc(platform, path, request.getHeader("x-fc-control-path"))) {
            notFound(ctx);
            return null;
        }
        if (!route.allows(request.method().name())) {
            ctx.response().putHeader("Allow", route.post() ? "POST" : "GET, HEAD");
            refuse(ctx, new JingneiException(ErrorKind.METHOD_NOT_ALLOWED, "use " + (route.post() ? "POST" : "GET") + " for " + path));
            return null;
        }
        return route;
    }

    /**
     * Puts the caller the route's access rule admits on the context; false once a refused caller
     * has been logged and answered (a 401 with {@code WWW-Authenticate}).
     */
    private boolean authenticated(RoutingContext ctx, Route route, String requestId) {
        RequestHeaders headers = ctx.request()::getHeader;
        try {
            if (route.access == Access.PUBLIC) {
                ctx.put(CALLER, jingnei.auth.authenticate(headers));
            } else if (route.access == Access.ADMIN) {
                ctx.put(CALLER, jingnei.auth.requireAdmin(headers));
            }
            return true;
        } catch (JingneiException refused) {
            String path = ctx.normalizedPath();
            jingnei.completions().rejected(new io.jingnei.core.call.CallContext(requestId, path.substring(1), null), null, refused);
            if (refused.kind() == ErrorKind.UNAUTHORIZED) {
                ctx.response().putHeader("WWW-Authenticate", "Bearer");
            }
            refuse(ctx, refused);
            return false;
        }
    }

    /**
     * Closes the connection of a request answered before its body was read, after discarding what
     * the client sends for a moment: a client that reads only once it has sent everything (many
     * do) then sees the JSON answer instead of a reset, and one that keeps sending is cut anyway.
     */
    private static void lingerThenClose(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        HttpConnection connection = request.connection();
        long timer = ctx.vertx().setTimer(LINGER.toMillis(), fired -> connection.close());
        request.handler(discarded -> { });
        request.exceptionHandler(gone -> ctx.vertx().cancelTimer(timer));
        request.endHandler(end -> {
            ctx.vertx().cancelTimer(timer);
            connection.close();
        });
        request.resume();
    }

    /** Answers a request the gate or the body reader turned away; its body, if any, is never kept. */
    private void refuse(RoutingContext ctx, JingneiException why) {
        BodyReader.skipFrameworkBodyHandler(ctx);
        Errors.write(json, ctx, why);
    }

    private void notFound(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        refuse(ctx, new JingneiException(ErrorKind.NOT_FOUND, "no route " + shown(path)
                + (Functions.openAi(path) ? "; the OpenAI-compatible surface has /v1/chat/completions, /v1/responses, /v1/embeddings and /v1/models"
                : "; the functions are " + FUNCTION_PATHS + " and /v1/*")));
    }

    JingneiException tooLarge() {
        return new JingneiException(ErrorKind.PAYLOAD_TOO_LARGE, "request body is larger than " + jingnei.caps.maxBodyBytes
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
