package io.jingnei.functions;

import io.jingnei.core.llm.ErrorKind;
import io.jingnei.core.llm.LlmException;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;
import java.util.Optional;

/**
 * Callers of the OpenAI-compatible surface present their own key ({@code JINGNEI_CLIENT_KEYS});
 * the upstream key is never accepted from them. With no client keys configured the surface is open.
 */
final class ClientAuth {
    private ClientAuth() {
    }

    /** The caller's user id, empty when the surface is open; throws {@code unauthorized} otherwise. */
    static Optional<String> user(Map<String, String> clientKeys, RoutingContext ctx) {
        if (clientKeys.isEmpty()) {
            return Optional.empty();
        }
        String header = ctx.request().getHeader("Authorization");
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        String user = presented == null ? null : clientKeys.get(presented);
        if (user == null) {
            throw new LlmException(ErrorKind.UNAUTHORIZED, presented == null
                    ? "missing API key: send 'Authorization: Bearer <your Jingnei client key>'"
                    : "invalid API key");
        }
        return Optional.of(user);
    }
}
