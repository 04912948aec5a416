package io.jingnei.core.entry;

import io.jingnei.core.entry.FunctionSpec.Trigger;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one table of functions: what each adapter looks up, as cases. */
class FunctionsTest {

    @Test
    void each_function_has_one_name_one_path_and_one_route() {
        assertThat(Functions.all().stream().map(f -> f.name)).doesNotHaveDuplicates();
        assertThat(Functions.routes().stream().map(r -> r.path)).doesNotHaveDuplicates();
        for (FunctionSpec<?> function : Functions.all()) {
            Route route = Functions.at(function.path);
            assertThat(route.function).as(function.name).isSameAs(function);
            assertThat(route.access).isEqualTo(function.access);
            assertThat(route.methods).containsExactly("POST");
        }
    }

    @Test
    void routes_resolve_as_the_gate_expects() {
        Object[][] cases = {
                {"/chat", Access.PUBLIC, "POST"},
                {"/chat-stream", Access.PUBLIC, "POST"},
                {"/rag-query", Access.PUBLIC, "POST"},
                {"/rag-stream", Access.PUBLIC, "POST"},
                {"/index-build", Access.ADMIN, "POST"},
                {"/faq-batch", Access.ADMIN, "POST"},
                {"/v1/chat/completions", Access.PUBLIC, "POST"},
                {"/v1/responses", Access.PUBLIC, "POST"},
                {"/v1/embeddings", Access.PUBLIC, "POST"},
                {"/v1/models", Access.PUBLIC, "GET"},
                {"/v1/models/qwen-plus", Access.PUBLIC, "GET"},
                {"/v1/usage", Access.PUBLIC, "GET"},
                {"/initialize", Access.CONTROL, "POST"},
                {"/invoke", Access.CONTROL, "POST"},
                {"/pre-stop", Access.CONTROL, "GET"},
                {"/health", Access.OPEN, "GET"},
                {"/", Access.OPEN, "GET"},
                {"/index.html", Access.OPEN, "GET"},
                {"/widget.js", Access.OPEN, "GET"},
        };
        for (Object[] c : cases) {
            Route route = Functions.at((String) c[0]);
            assertThat(route).as((String) c[0]).isNotNull();
            assertThat(route.access).as((String) c[0]).isEqualTo(c[1]);
            assertThat(route.allows((String) c[2])).as((String) c[0]).isTrue();
            assertThat(route.allows("GET".equals(c[2]) ? "HEAD" : "GET")).as((String) c[0]).isEqualTo("GET".equals(c[2]));
        }
        assertThat(Functions.routes()).hasSize(cases.length);
    }

    @Test
    void anything_else_is_no_route() {
        for (String path : new String[] {"/v1/models/", "/chat/", "/v1", "/v1/chat", "/admin", "/http-invoke", "/CHAT", ""}) {
            assertThat(Functions.at(path)).as(path).isNull();
        }
    }

    @Test
    void http_triggers_reach_chat_and_rag_query_by_the_last_segment() {
        assertThat(Functions.onHttpTriggers()).containsExactly(Functions.Chat.SPEC, Functions.RagQuery.SPEC);
        assertThat(Functions.onHttpTriggerAt("/chat")).isSameAs(Functions.Chat.SPEC);
        assertThat(Functions.onHttpTriggerAt("/release/chat")).isSameAs(Functions.Chat.SPEC);
        assertThat(Functions.onHttpTriggerAt("/release/rag-query")).isSameAs(Functions.RagQuery.SPEC);
        assertThat(Functions.onHttpTriggerAt("/chat-stream")).isNull();
        assertThat(Functions.onHttpTriggerAt("/faq-batch")).isNull();
        assertThat(Functions.onHttpTriggerAt("/")).isNull();
    }

    @Test
    void only_index_build_and_faq_batch_are_started_by_platform_events_and_streams_reach_no_trigger() {
        assertThat(Functions.all().stream().filter(f -> f.triggers.contains(Trigger.OBJECT_CREATED) || f.triggers.contains(Trigger.TIMER))
                .collect(Collectors.toList())).containsExactly(Functions.IndexBuild.SPEC, Functions.FaqBatch.SPEC);
        Functions.all().stream().filter(FunctionSpec::streamed).forEach(f -> assertThat(f.triggers).as(f.name).isEmpty());
    }

    @Test
    void each_function_reads_its_own_body_type_and_says_what_is_wrong() {
        for (FunctionSpec<?> function : Functions.all()) {
            assertThatThrownBy(() -> function.read(new byte[0])).as(function.name)
                    .isInstanceOfSatisfying(JingneiException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST));
            assertThatThrownBy(() -> function.read("[1]".getBytes(StandardCharsets.UTF_8))).as(function.name)
                    .isInstanceOf(JingneiException.class);
        }
        assertThat(Functions.Chat.SPEC.read("{\"query\":\"hi\"}".getBytes(StandardCharsets.UTF_8)).query).isEqualTo("hi");
        assertThat(Functions.FaqBatch.SPEC.read("{\"input\":\"faq-batch/in/a.jsonl\"}".getBytes(StandardCharsets.UTF_8)).input)
                .isEqualTo("faq-batch/in/a.jsonl");
    }

    @Test
    void a_function_answers_in_one_way_only() {
        assertThatThrownBy(() -> Functions.ChatStream.SPEC.reply(null, null, null, "r")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Functions.Chat.SPEC.stream(null, null, null, "r")).isInstanceOf(IllegalStateException.class);
    }
}
