package io.jingnei.web;

import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.request.BodyBudget;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextInternal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * Reads the body of a request the access gate admitted, in place of Vert.x' body handler
 * (Quarkus installs one ahead of every route for Funqy, which buffered bodies before anyone knew
 * who was calling). The request stays paused until the gate decides; then the bytes go into a
 * reservation from the instance's {@link BodyBudget}, within the body limit and the body timeout.
 * Runs on the request's event loop; the next handler sees {@code ctx.body()} as before.
 */
final class BodyReader {
    /** A declared length is reserved in full, but not allocated ahead of the bytes that arrive. */
    private static final int INITIAL_CAPACITY = 64 * 1024;

    private final BodyBudget budget;
    private final long maxBodyBytes;
    /** Answers a failure (413, 408, 503) and closes the connection: the rest of the body is never read. */
    private final BiConsumer<RoutingContext, JingneiException> refuse;

    BodyReader(BodyBudget budget, long maxBodyBytes, BiConsumer<RoutingContext, JingneiException> refuse) {
        this.budget = budget;
        this.maxBodyBytes = maxBodyBytes;
        this.refuse = refuse;
    }

    /** Whether the headers announce a body (HTTP/2 frames one without saying so). */
    static boolean announced(HttpServerRequest request) {
        if (request.version() == HttpVersion.HTTP_2) {
            return true;
        }
        String length = request.getHeader("Content-Length");
        return request.getHeader("Transfer-Encoding") != null || (length != null && !length.trim().equals("0"));
    }

    /** The declared Content-Length, or -1 when there is none (chunked, HTTP/2). */
    static long declaredLength(HttpServerRequest request) {
        String length = request.getHeader("Content-Length");
        if (length == null) {
            return -1;
        }
        String digits = length.trim();
        return digits.length() < 19 && !digits.isEmpty() && digits.chars().allMatch(Character::isDigit) ? Long.parseLong(digits) : -1;
    }

    /** Marks the body as handled so Quarkus' body handler, later in the chain, neither reads nor buffers it. */
    static void skipFrameworkBodyHandler(RoutingContext ctx) {
        ((RoutingContextInternal) ctx).visitHandler(RoutingContextInternal.BODY_HANDLER);
    }

    /**
     * Reads the whole body, then hands the request on; or refuses it. Must set its handlers in the
     * same event-loop turn as any {@code resume()} before it: resumed data is delivered on a later turn.
     */
    void read(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (!announced(request)) {
            ctx.next();
            return;
        }
        long declared = declaredLength(request);
        Reservation reservation = new Reservation(budget);
        ctx.addEndHandler(done -> reservation.release());
        if (declared >= 0 && !reservation.add(declared)) {
            refuse.accept(ctx, overloaded(ctx));
            return;
        }
        Buffer body = Buffer.buffer((int) Math.min(Math.max(declared, 0), INITIAL_CAPACITY));
        AtomicBoolean finished = new AtomicBoolean();
        long timer = refuseWhenLate(ctx, finished);
        request.handler(chunk -> keep(ctx, body, chunk, declared, reservation, finished, timer));
        request.exceptionHandler(broken -> {
            if (finished.compareAndSet(false, true)) {
                ctx.vertx().cancelTimer(timer);
                reservation.release();
            }
        });
        request.endHandler(end -> {
            if (finished.compareAndSet(false, true)) {
                ctx.vertx().cancelTimer(timer);
                ((RoutingContextInternal) ctx).setBody(body);
                ctx.next();
            }
        });
        continueIfExpected(ctx);
        if (!request.isEnded()) {
            request.resume();
        }
    }

    /** Starts the body timeout: a body still arriving then is refused with 408. Returns the timer. */
    private long refuseWhenLate(RoutingContext ctx, AtomicBoolean finished) {
        return ctx.vertx().setTimer(budget.timeout.toMillis(), fired -> {
            if (finished.compareAndSet(false, true)) {
                refuse.accept(ctx, new JingneiException(ErrorKind.REQUEST_TIMEOUT, "the request body did not arrive within "
                        + budget.timeout.toSeconds() + " s (JINGNEI_BODY_TIMEOUT)"));
            }
        });
    }

    /**
     * Keeps one chunk if it fits the body limit and, for a body of undeclared length, the budget;
     * otherwise refuses the request (413 or 503).
     */
    private void keep(RoutingContext ctx, Buffer body, Buffer chunk, long declared, Reservation reservation, AtomicBoolean finished,
                      long timer) {
        if (finished.get()) {
            return;
        }
        if (body.length() + (long) chunk.length() > maxBodyBytes) {
            stop(ctx, finished, timer, new JingneiException(ErrorKind.PAYLOAD_TOO_LARGE, "request body is larger than "
                    + maxBodyBytes + " bytes (JINGNEI_MAX_BODY_BYTES)"));
            return;
        }
        if (declared < 0 && !reservation.add(chunk.length())) {
            stop(ctx, finished, timer, overloaded(ctx));
            return;
        }
        body.appendBuffer(chunk);
    }

    /** Only now, with access decided: a client that waits for this never sends a refused body. */
    private static void continueIfExpected(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String expect = request.getHeader("Expect");
        if (expect != null && expect.equalsIgnoreCase("100-continue") && request.version() == HttpVersion.HTTP_1_1) {
            ctx.response().writeContinue();
        }
    }

    private void stop(RoutingContext ctx, AtomicBoolean finished, long timer, JingneiException why) {
        if (finished.compareAndSet(false, true)) {
            ctx.vertx().cancelTimer(timer);
            refuse.accept(ctx, why);
        }
    }

    private static JingneiException overloaded(RoutingContext ctx) {
        ctx.response().putHeader("Retry-After", "1");
        return new JingneiException(ErrorKind.OVERLOADED, "the instance is reading as many request bodies as it may "
                + "(JINGNEI_MAX_INFLIGHT_BODY_BYTES): try again in a moment");
    }

    /** Bytes taken from the budget for one request; released once, when its answer is done or its connection gone. */
    private static final class Reservation {
        private final BodyBudget budget;
        private long bytes;
        private boolean released;

        Reservation(BodyBudget budget) {
            this.budget = budget;
        }

        synchronized boolean add(long more) {
            if (released || !budget.tryReserve(more)) {
                return false;
            }
            bytes += more;
            return true;
        }

        synchronized void release() {
            if (!released) {
                released = true;
                budget.release(bytes);
            }
        }
    }
}
