package io.jingnei.web;

import io.jingnei.core.testing.Reply;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Upstream answers that call a function (fixtures under {@code responses/}, whose README says where their shapes come from). */
final class ResponsesFixtures {
    private ResponsesFixtures() {
    }

    /** A whole answer calling get_weather for 北京 (call id call_weather_1). */
    static Reply toolCallCompletion() {
        return Reply.json(200, read("tool-call-completion.json").trim());
    }

    /** The same call for 上海 streamed (call id call_weather_2): the name first, the arguments in two pieces, usage, [DONE]. */
    static Reply toolCallStream() {
        return Reply.sse(List.of(read("tool-call-stream.jsonl").split("\n")), 10, -1);
    }

    private static String read(String name) {
        try (InputStream in = ResponsesFixtures.class.getResourceAsStream("/responses/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
