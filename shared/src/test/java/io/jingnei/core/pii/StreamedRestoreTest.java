package io.jingnei.core.pii;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.config.Env;
import io.jingnei.core.testing.CollectingSubscriber;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Streamed tool-call arguments get their values back, each call on its own, as a whole answer's do. */
class StreamedRestoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PHONE = "13812345678";
    private static final String ID = "11010519491231002X";

    private StreamedRestore restorer;

    @BeforeEach
    void maskARequest() throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree("{\"messages\":[{\"role\":\"user\",\"content\":\"手机" + PHONE + "，身份证" + ID + "\"}]}");
        BodyMasking masking = BodyMasking.apply(PiiPolicy.from(Env.of(Map.of())), body);
        assertThat(body.toString()).contains("[手机号1]").contains("[身份证1]");
        restorer = StreamedRestore.of(masking);
    }

    /** A chunk whose delta holds argument pieces, as {index, text} pairs. */
    private static ObjectNode chunk(String finishReason, Object... calls) {
        ObjectNode chunk = JSON.createObjectNode();
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        for (int i = 0; i < calls.length; i += 2) {
            delta.withArray("tool_calls").addObject().put("index", (Integer) calls[i]).putObject("function").put("arguments", (String) calls[i + 1]);
        }
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return chunk;
    }

    private Map<Integer, String> restored(ObjectNode... chunks) {
        Map<Integer, StringBuilder> arguments = new TreeMap<>();
        for (ObjectNode chunk : chunks) {
            restorer.restore(chunk);
            for (JsonNode call : chunk.path("choices").path(0).path("delta").path("tool_calls")) {
                arguments.computeIfAbsent(call.path("index").asInt(), i -> new StringBuilder()).append(call.path("function").path("arguments").asText());
            }
        }
        Map<Integer, String> out = new TreeMap<>();
        arguments.forEach((index, text) -> out.put(index, text.toString()));
        return out;
    }

    @Test
    void interleaved_calls_each_cut_inside_a_placeholder_are_restored_each_on_its_own() {
        Map<Integer, String> arguments = restored(
                chunk(null, 0, "{\"phone\":\"[手", 1, "{\"id\":\"[身份"),
                chunk(null, 1, "证1]\"}", 0, "机号1]\"}"),
                chunk("tool_calls"));

        assertThat(arguments).containsEntry(0, "{\"phone\":\"" + PHONE + "\"}").containsEntry(1, "{\"id\":\"" + ID + "\"}");
    }

    @Test
    void what_a_call_still_holds_back_goes_out_with_the_last_chunk() {
        ObjectNode last = chunk("tool_calls");

        Map<Integer, String> arguments = restored(chunk(null, 0, "{\"phone\":\"[手机号1]\",\"note\":\"[手机"), last);

        assertThat(arguments).containsEntry(0, "{\"phone\":\"" + PHONE + "\",\"note\":\"[手机");
        assertThat(last.path("choices").path(0).path("delta").path("tool_calls").get(0).path("index").asInt()).isZero();
    }

    @Test
    void as_a_stage_of_a_stream_it_restores_a_placeholder_cut_across_two_chunks() throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree("{\"messages\":[{\"role\":\"user\",\"content\":\"手机" + PHONE + "\"}]}");
        BodyMasking masking = BodyMasking.apply(PiiPolicy.from(Env.of(Map.of())), body);
        CollectingSubscriber<ObjectNode> received = new CollectingSubscriber<>();
        try (SubmissionPublisher<ObjectNode> upstream = new SubmissionPublisher<>()) {
            StreamedRestore.around(upstream, masking).subscribe(received);
            upstream.submit(content("您的手机[手", null));
            upstream.submit(content("机号1]已登记", "stop"));
        }
        received.done.get(5, TimeUnit.SECONDS);

        String answer = received.items.stream().map(c -> c.path("choices").path(0).path("delta").path("content").asText())
                .collect(Collectors.joining());
        assertThat(answer).isEqualTo("您的手机" + PHONE + "已登记");
    }

    @Test
    void a_stream_whose_body_had_nothing_masked_gets_no_restore_stage() throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree("{\"messages\":[{\"role\":\"user\",\"content\":\"退货要多久？\"}]}");
        BodyMasking masking = BodyMasking.apply(PiiPolicy.from(Env.of(Map.of())), body);
        Flow.Publisher<ObjectNode> upstream = new SubmissionPublisher<>();

        assertThat(StreamedRestore.around(upstream, masking)).isSameAs(upstream);
    }

    private static ObjectNode content(String text, String finishReason) {
        ObjectNode chunk = JSON.createObjectNode();
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.putObject("delta").put("content", text);
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return chunk;
    }
}
