package io.jingnei.core.request;

import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * What a request's headers must say before anything else is decided, on the web function: one
 * framing of the body and one value for each header that decides access. Two readings of the same
 * request are how smuggling and confusion attacks work: a proxy that frames the body by
 * {@code Content-Length} while we honour a {@code Transfer-Encoding} it ignored (RFC 9112 6.1, 6.3),
 * or a client's {@code x-fc-control-path: /initialize} placed before the one FC adds.
 */
public final class RequestFraming {
    /** Headers whose first value would otherwise win over a later one someone else relied on. */
    static final List<String> SINGLE_VALUED = List.of("x-fc-control-path", "authorization", "x-api-key", "content-length");

    private RequestFraming() {
    }

    /**
     * Refuses ({@code invalid_request}, 400) a request whose framing or access headers are ambiguous.
     * {@code values} returns every value of a header (case-insensitive name), empty when absent.
     * A refused request's connection must be closed: where its body ends is unknown.
     */
    public static void check(Function<String, List<String>> values) {
        for (String name : SINGLE_VALUED) {
            if (values.apply(name).size() > 1) {
                throw refused("more than one '" + name + "' header");
            }
        }
        List<String> codings = values.apply("transfer-encoding");
        if (codings.isEmpty()) {
            return;
        }
        if (!values.apply("content-length").isEmpty()) {
            throw refused("both 'Transfer-Encoding' and 'Content-Length': send one of them");
        }
        if (codings.size() != 1 || !codings.get(0).trim().toLowerCase(Locale.ROOT).equals("chunked")) {
            throw refused("'Transfer-Encoding' must be 'chunked' (no other transfer coding is supported)");
        }
    }

    private static JingneiException refused(String why) {
        return new JingneiException(ErrorKind.INVALID_REQUEST, "unacceptable request framing: " + why);
    }
}
