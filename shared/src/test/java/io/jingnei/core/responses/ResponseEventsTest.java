package io.jingnei.core.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.stream.QueueSubscription;
import io.jingnei.core.stream.ReplayPublisher;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Chat chunks in, the Responses API's events out, in the documented order. */
class ResponseEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode chunk(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ResponseEvents events() {
        return new ResponseEvents("r", ResponsesRequest.from((ObjectNode) JSON.createObjectNode().put("input", "hi")).echo, "deepseek-v3.2");
    }

    private static List<ObjectNode> run(ResponseEvents events, List<ObjectNode> chunks) {
        List<ObjectNode> out = new ArrayList<>();
        chunks.forEach(c -> out.addAll(events.onChunk(c)));
        out.addAll(events.onEnd());
        return out;
    }

    private static List<String> types(List<ObjectNode> events) {
        return events.stream().map(e -> e.path("type").asText()).collect(Collectors.toList());
    }

    @Test
    void a_text_stream_is_created_in_progress_one_message_and_completed_with_usage() {
        List<ObjectNode> out = run(events(), ReplayPublisher.chunks("你好，世界", "deepseek-v3.2", "r", true));

        assertThat(types(out)).containsExactly("response.created", "response.in_progress", "response.output_item.added",
                "response.content_part.added", "response.output_text.delta", "response.output_text.done", "response.content_part.done",
                "response.output_item.done", "response.completed");
        for (int i = 0; i < out.size(); i++) {
            assertThat(out.get(i).path("sequence_number").asInt()).isEqualTo(i);
        }
        JsonNode completed = out.get(out.size() - 1).path("response");
        assertThat(completed.path("status").asText()).isEqualTo("completed");
        assertThat(completed.path("output").get(0).path("content").get(0).path("text").asText()).isEqualTo("你好，世界");
        assertThat(completed.path("usage").path("total_tokens").isNumber()).isTrue();
        assertThat(out.get(0).path("response").path("status").asText()).isEqualTo("in_progress");
        assertThat(out.get(0).path("response").path("output")).isEmpty();
    }

    @Test
    void streamed_tool_calls_are_function_call_items_with_argument_deltas() {
        List<ObjectNode> chunks = List.of(
                chunk("{\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}"),
                chunk("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"weather\",\"arguments\":\"\"}}]}}]}"),
                chunk("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}}]}"),
                chunk("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]}}]}"),
                chunk("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"function\":{\"name\":\"time\","
                        + "\"arguments\":\"{}\"}}]}}]}"),
                chunk("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}"),
                chunk("{\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7,\"total_tokens\":12}}"));

        List<ObjectNode> out = run(events(), chunks);

        assertThat(types(out)).containsExactly("response.created", "response.in_progress",
                "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.delta",
                "response.function_call_arguments.done", "response.output_item.done",
                "response.output_item.added", "response.function_call_arguments.delta",
                "response.function_call_arguments.done", "response.output_item.done", "response.completed");
        assertThat(out.get(5).path("arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(out.get(5).path("name").asText()).isEqualTo("weather");
        JsonNode output = out.get(out.size() - 1).path("response").path("output");
        assertThat(output).hasSize(2);
        assertThat(output.get(0).path("call_id").asText()).isEqualTo("call_a");
        assertThat(output.get(1).path("call_id").asText()).isEqualTo("call_b");
        assertThat(output.get(1).path("id").asText()).isEqualTo("fc_r_1");
        assertThat(out.get(7).path("output_index").asInt()).isEqualTo(1);
        assertThat(out.get(out.size() - 1).path("response").path("usage").path("output_tokens").asInt()).isEqualTo(7);
    }

    @Test
    void a_stream_cut_by_the_token_limit_ends_with_response_incomplete() {
        List<ObjectNode> chunks = List.of(
                chunk("{\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Once\"}}]}"),
                chunk("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}"));

        List<ObjectNode> out = run(events(), chunks);

        ObjectNode last = out.get(out.size() - 1);
        assertThat(last.path("type").asText()).isEqualTo("response.incomplete");
        assertThat(last.path("response").path("incomplete_details").path("reason").asText()).isEqualTo("max_output_tokens");
    }

    @Test
    void a_failure_after_the_first_chunk_is_response_failed_with_what_was_done_and_then_the_same_failure() {
        JingneiException broke = new JingneiException(ErrorKind.UPSTREAM_ERROR, "the upstream closed the stream");
        Recorder recorder = new Recorder();

        new ResponseEventPublisher(source(List.of(chunk("{\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hal\"}}]}")),
                broke, new AtomicBoolean()), events()).subscribe(recorder);

        ObjectNode last = recorder.items.get(recorder.items.size() - 1);
        assertThat(last.path("type").asText()).isEqualTo("response.failed");
        assertThat(last.path("response").path("status").asText()).isEqualTo("failed");
        assertThat(last.path("response").path("error").path("code").asText()).isEqualTo("server_error");
        assertThat(last.path("response").path("error").path("message").asText()).isEqualTo("the upstream closed the stream");
        assertThat(recorder.error.get()).isSameAs(broke);
    }

    @Test
    void a_failure_before_the_first_chunk_sends_no_event_so_the_caller_gets_the_http_error() {
        JingneiException limited = new JingneiException(ErrorKind.RATE_LIMITED, "slow down");
        Recorder recorder = new Recorder();

        new ResponseEventPublisher(source(List.of(), limited, new AtomicBoolean()), events()).subscribe(recorder);

        assertThat(recorder.items).isEmpty();
        assertThat(recorder.error.get()).isSameAs(limited);
    }

    @Test
    void cancelling_the_events_cancels_the_chunk_stream() {
        AtomicBoolean cancelled = new AtomicBoolean();
        Recorder recorder = new Recorder();
        new ResponseEventPublisher(source(List.of(), null, cancelled), events()).subscribe(recorder);

        recorder.subscription.get().cancel();

        assertThat(cancelled).isTrue();
    }

    /** Emits the chunks, then fails with {@code failure} or, when it is null, stays open. */
    private static Flow.Publisher<ObjectNode> source(List<ObjectNode> chunks, Throwable failure, AtomicBoolean cancelled) {
        return subscriber -> {
            QueueSubscription<ObjectNode> subscription = new QueueSubscription<>(subscriber, () -> cancelled.set(true));
            subscriber.onSubscribe(subscription);
            chunks.forEach(subscription::emit);
            if (failure != null) {
                subscription.fail(failure);
            }
        };
    }

    private static final class Recorder implements Flow.Subscriber<ObjectNode> {
        final List<ObjectNode> items = new ArrayList<>();
        final AtomicReference<Throwable> error = new AtomicReference<>();
        final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription.set(s);
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(ObjectNode item) {
            items.add(item);
        }

        @Override
        public void onError(Throwable t) {
            error.set(t);
        }

        @Override
        public void onComplete() {
        }
    }
}
