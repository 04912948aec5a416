package io.jingnei.core.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.JingneiInstance;
import io.jingnei.core.call.CallContext;
import io.jingnei.core.rag.RagRequest;
import io.jingnei.core.rag.RagService;
import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.Instances;
import io.jingnei.core.testing.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** faq-batch's summary counts what it cost: an answer from the answer cache is no LLM call. */
class FaqBatchCacheHitsTest {
    private static FakeUpstream upstream;

    @BeforeAll
    static void start() {
        upstream = FakeUpstream.start();
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    @Test
    void answers_from_the_answer_cache_are_counted_as_cache_hits_not_as_llm_calls(@TempDir Path dir) throws Exception {
        String base = dir.toUri().toString();
        Files.createDirectories(dir.resolve("faq-batch/in"));
        Files.write(dir.resolve("faq-batch/in/day1.jsonl"), ("{\"id\":\"q1\",\"question\":\"发票怎么开？\"}\n"
                + "{\"id\":\"q2\",\"question\":\"运费谁出？\"}\n").getBytes(StandardCharsets.UTF_8));
        try (JingneiInstance instance = Instances.bootWithRag(upstream, new CopyOnWriteArrayList<>(), "JINGNEI_CACHE", "exact",
                "JINGNEI_FAQ_BASE_URI", base, "JINGNEI_STORAGE_ALLOW", base)) {
            RagService rag = instance.rag().get(60, TimeUnit.SECONDS);
            upstream.enqueue(Reply.completion("在订单页申请发票。", 300, 10));
            rag.query(RagRequest.ofQuery("发票怎么开？"), new CallContext("earlier", "rag-query", null)).get(20, TimeUnit.SECONDS);
            upstream.reset();

            BatchSummary summary = instance.batch().run(new FaqBatchRequest("faq-batch/in/day1.jsonl", null), rag,
                    new CallContext("batch-1", "faq-batch", null), new ExecutorMapper());

            JsonNode written = new ObjectMapper().readTree(summary.json());
            assertThat(upstream.completionRequests()).hasSize(1);
            assertThat(written.path("llm_calls").asInt()).isEqualTo(1);
            assertThat(written.path("cache_hits").asInt()).isEqualTo(1);
            assertThat(written.path("by_status").path("success").asInt()).isEqualTo(2);
        }
    }
}
