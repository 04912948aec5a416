package io.jingnei.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.JingneiInstance;
import io.jingnei.core.testing.Events;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** faq-batch through POST /faq-batch and through the FC custom runtime's /invoke, against S3Proxy. */
@QuarkusTest
@QuarkusTestResource(value = FakeUpstreamResource.class, restrictToAnnotatedClass = false)
class FaqBatchFunctionIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String QUESTIONS = io.jingnei.core.testing.SampleQuestions.TWELVE_WITH_THREE_REPEATS;

    @Inject
    JingneiInstance jingnei;

    @BeforeEach
    void reset() {
        FakeUpstreamResource.upstream.reset();
    }

    private void put(String key, String text) throws Exception {
        jingnei.store().put(URI.create("oss://jingnei-faq/" + key), text.getBytes(StandardCharsets.UTF_8), "application/x-ndjson")
                .get(10, TimeUnit.SECONDS);
    }

    private String get(String uri) throws Exception {
        return new String(jingnei.store().get(URI.create(uri)).get(10, TimeUnit.SECONDS).bytes, StandardCharsets.UTF_8);
    }

    /** A request as FC sends it on a control path: marked with the path itself. */
    static io.restassured.specification.RequestSpecification control(String path) {
        return given().header("x-fc-control-path", path);
    }

    @Test
    void twelve_questions_with_three_duplicates_take_at_most_nine_calls_and_a_rerun_none() throws Exception {
        put("faq-batch/in/done-when.jsonl", QUESTIONS);
        String body = "{\"input\":\"oss://jingnei-faq/faq-batch/in/done-when.jsonl\"}";

        Response first = Api.admin("/faq-batch", body);

        assertThat(first.statusCode()).isEqualTo(200);
        JsonNode summary = JSON.readTree(first.asString());
        assertThat(summary.path("questions").asInt()).isEqualTo(12);
        int calls = FakeUpstreamResource.upstream.completionRequests().size();
        assertThat(calls).isLessThanOrEqualTo(9).isEqualTo(summary.path("llm_calls").asInt());
        assertThat(get("oss://jingnei-faq/faq-batch/out/done-when.jsonl").split("\n")).hasSize(12);
        assertThat(JSON.readTree(get("oss://jingnei-faq/faq-batch/out/done-when.summary.json")).path("questions").asInt()).isEqualTo(12);

        FakeUpstreamResource.upstream.reset();
        Response second = Api.admin("/faq-batch", body);

        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(FakeUpstreamResource.upstream.completionRequests()).isEmpty();
        assertThat(JSON.readTree(second.asString()).path("llm_calls").asInt()).isZero();
    }

    @Test
    void batch_mode_submits_at_once_a_timer_follows_it_and_the_request_repeated_collects_with_the_customers_values_restored() throws Exception {
        io.jingnei.core.testing.FakeBatchApi api = new io.jingnei.core.testing.FakeBatchApi();
        FakeUpstreamResource.upstream.batchApi(api);
        try {
            put("faq-batch/in/batch-mode.jsonl", "{\"id\":\"1\",\"question\":\"发票怎么开\"}\n"
                    + "{\"id\":\"2\",\"question\":\"我的手机号13812345678，退货要多久能到账？\"}\n{\"id\":\"3\",\"question\":\"发票怎么开\"}\n");
            String body = "{\"input\":\"oss://jingnei-faq/faq-batch/in/batch-mode.jsonl\",\"mode\":\"batch\"}";

            JsonNode submitted = JSON.readTree(Api.admin("/faq-batch", body).asString());

            assertThat(submitted.path("status").asText()).isEqualTo("submitted");
            assertThat(submitted.path("batch_ids")).hasSize(1);
            assertThat(FakeUpstreamResource.upstream.completionRequests()).as("nothing is asked in real time").isEmpty();
            assertThat(api.uploads().get(0)).doesNotContain("13812345678").contains("[手机号1]");
            assertThat(api.uploads().get(0).split("\n")).as("the repeated question is asked once").hasSize(2);

            String timer = JSON.createObjectNode().put("triggerTime", "2026-11-11T02:30:00Z").put("triggerName", "faq-poll")
                    .put("payload", body).toString();
            Response polled = control("/invoke").contentType("application/json").body(timer).post("/invoke");
            assertThat(polled.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(polled.asString()).path("status").asText()).isEqualTo("in_progress");

            JsonNode done = JSON.readTree(Api.admin("/faq-batch", body).asString());

            assertThat(done.path("status").asText()).isEqualTo("success");
            assertThat(done.path("mode").asText()).isEqualTo("batch");
            assertThat(done.path("batch_ids")).isEqualTo(submitted.path("batch_ids"));
            String[] lines = get("oss://jingnei-faq/faq-batch/out/batch-mode.jsonl").split("\n");
            assertThat(lines).hasSize(3);
            assertThat(JSON.readTree(lines[1]).path("answer").asText()).contains("13812345678").doesNotContain("[手机号1]");
            assertThat(api.batchesCreated()).isEqualTo(1);
        } finally {
            FakeUpstreamResource.upstream.batchApi(null);
        }
    }

    @Test
    void the_fc_custom_runtime_invoke_path_takes_oss_and_timer_events() throws Exception {
        put("faq-batch/in/2026-11-11.jsonl", "{\"id\":\"1\",\"question\":\"发票怎么开\"}\n");
        put("faq-batch/in/nightly.jsonl", "{\"id\":\"2\",\"question\":\"运费谁出\"}\n");

        Response oss = control("/invoke").header("x-fc-request-id", "fc-req-1").contentType("application/json")
                .body(Events.bytes("fc-oss-object-created.json")).post("/invoke");
        Response timer = control("/invoke").contentType("application/json").body(Events.bytes("fc-timer.json")).post("/invoke");

        assertThat(oss.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(oss.asString()).path("output").asText()).isEqualTo("oss://jingnei-faq/faq-batch/out/2026-11-11.jsonl");
        assertThat(timer.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(timer.asString()).path("output").asText()).isEqualTo("oss://jingnei-faq/faq-batch/out/nightly.jsonl");
        assertThat(control("/initialize").post("/initialize").statusCode()).isEqualTo(200);
        assertThat(control("/pre-stop").get("/pre-stop").statusCode()).isEqualTo(200);
        assertThat(control("/invoke").body("{\"hello\":1}").post("/invoke").statusCode()).isEqualTo(400);
    }

    @Test
    void an_answer_file_landing_in_out_does_not_start_a_batch() throws Exception {
        String event = Events.text("fc-oss-object-created.json").replace("faq-batch/in/2026-11-11.jsonl", "faq-batch/out/2026-11-11.jsonl");

        Response response = control("/invoke").contentType("application/json").body(event).post("/invoke");

        assertThat(JSON.readTree(response.asString()).path("status").asText()).isEqualTo("skipped");
        assertThat(FakeUpstreamResource.upstream.completionRequests()).isEmpty();
    }

    /** An output spelled to dodge the loop guard (doubled slashes, upper case) is refused; the plain one works. */
    @Test
    void an_output_under_the_input_prefix_is_refused_however_it_is_spelled() throws Exception {
        put("faq-batch/in/loop.jsonl", "{\"id\":\"1\",\"question\":\"发票怎么开\"}\n");
        String input = "\"input\":\"oss://jingnei-faq/faq-batch/in/loop.jsonl\"";

        for (String output : new String[] {"oss://jingnei-faq//faq-batch/in/loop-answers.jsonl", "oss://jingnei-faq/faq-batch//in/loop-answers.jsonl",
                "OSS://Jingnei-FAQ//faq-batch/in/loop-answers.jsonl"}) {
            Response refused = Api.admin("/faq-batch", "{" + input + ",\"output\":\"" + output + "\"}");

            assertThat(refused.statusCode()).as(output).isEqualTo(400);
            assertThat(refused.asString()).contains("trigger the function again");
        }
        assertThat(FakeUpstreamResource.upstream.completionRequests()).isEmpty();
        assertThat(jingnei.store().list(URI.create("oss://jingnei-faq/faq-batch/in/")).get(10, TimeUnit.SECONDS))
                .noneMatch(uri -> uri.toString().contains("loop-answers"));

        Response legit = Api.admin("/faq-batch", "{" + input + ",\"output\":\"oss://jingnei-faq/faq-batch/out/loop-answers.jsonl\"}");

        assertThat(legit.statusCode()).isEqualTo(200);
        assertThat(get("oss://jingnei-faq/faq-batch/out/loop-answers.jsonl")).isNotEmpty();
    }

    @Test
    void a_missing_input_is_named() {
        Response response = Api.admin("/faq-batch", "{\"input\":\"oss://jingnei-faq/faq-batch/in/none.jsonl\"}");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.asString()).contains("none.jsonl");
    }
}
