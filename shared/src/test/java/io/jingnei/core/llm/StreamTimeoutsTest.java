package io.jingnei.core.llm;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.call.CallTrace;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.http.SharedHttpClient;
import io.jingnei.core.testing.CollectingSubscriber;
import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.Reply;
import io.jingnei.core.util.TimeSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How long a stream waits: for its first chunk, as long as the upstream's {@code timeout} and what
 * is left of the call deadline allow (failing over when that passes); after it, no longer than the
 * idle timeout between chunks. Real time, against the fake upstream's hangs and stalls.
 */
class StreamTimeoutsTest {
    private static final String KEY = "[\"" + FakeUpstream.KEY + "\"]";
    private static FakeUpstream primary;
    private static FakeUpstream secondary;
    private static SharedHttpClient http;

    @BeforeAll
    static void start() {
        primary = FakeUpstream.start();
        secondary = FakeUpstream.start();
        http = new SharedHttpClient(16, Duration.ofSeconds(2), Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        http.close();
        primary.close();
        secondary.close();
    }

    @AfterEach
    void clear() {
        primary.reset();
        secondary.reset();
    }

    private static String upstream(String name, FakeUpstream fake, String extra) {
        return "{\"name\":\"" + name + "\",\"base_url\":\"" + fake.baseUrl() + "\",\"api_keys\":" + KEY + ",\"models\":[\"*\"],"
                + "\"max_retries\":0" + (extra == null ? "" : "," + extra) + "}";
    }

    private static Router router(String upstreams, String... more) {
        String[] pairs = new String[more.length + 2];
        pairs[0] = "JINGNEI_UPSTREAMS";
        pairs[1] = upstreams;
        System.arraycopy(more, 0, pairs, 2, more.length);
        return Routing.router(http, TimeSource.system(), Routing.env(pairs));
    }

    private static ObjectNode body() {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("model", "deepseek-v3.2");
        body.putArray("messages").addObject().put("role", "user").put("content", "你好");
        return body;
    }

    private static String text(CollectingSubscriber<ObjectNode> subscriber) {
        StringBuilder text = new StringBuilder();
        subscriber.items.forEach(chunk -> text.append(chunk.path("choices").path(0).path("delta").path("content").asText("")));
        return text.toString();
    }

    @Test
    void the_first_chunk_may_take_as_long_as_the_upstream_timeout_allows_not_only_the_idle_timeout() {
        primary.enqueue(Reply.stream(0, "想好了", "。").stallBefore(0, 2_000));
        Router router = router("[" + upstream("thinker", primary, "\"timeout\":\"5s\"") + "]", "JINGNEI_STREAM_IDLE_TIMEOUT", "300ms");
        CollectingSubscriber<ObjectNode> subscriber = new CollectingSubscriber<>();

        router.stream(body(), new CallTrace()).subscribe(subscriber);

        assertThat(subscriber.await()).isNull();
        assertThat(text(subscriber)).isEqualTo("想好了。");
        assertThat(primary.completionRequests()).hasSize(1);
    }

    @Test
    void an_upstream_silent_past_its_timeout_is_left_for_the_next_one_without_waiting_for_the_idle_timeout() {
        primary.enqueue(Reply.hang(6_000));
        secondary.enqueue(Reply.stream(0, "ok"));
        Router router = router("[" + upstream("silent", primary, "\"timeout\":\"500ms\"") + "," + upstream("backup", secondary, null) + "]",
                "JINGNEI_STREAM_IDLE_TIMEOUT", "10s");
        CollectingSubscriber<ObjectNode> subscriber = new CollectingSubscriber<>();
        CallTrace trace = new CallTrace();
        long start = System.nanoTime();

        router.stream(body(), trace).subscribe(subscriber);

        assertThat(subscriber.await()).isNull();
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(text(subscriber)).isEqualTo("ok");
        assertThat(trace.list()).extracting(a -> a.upstream + "/" + a.status).containsExactly("silent/timeout", "backup/200");
        assertThat(elapsedMs).as("the silent upstream is given its own 500 ms, not the 10 s idle timeout").isLessThan(3_000);
    }

    @Test
    void waiting_for_the_first_chunk_keeps_to_the_call_deadline() {
        primary.enqueue(Reply.stream(0, "太晚了").stallBefore(0, 4_000));
        Router router = router("[" + upstream("slow", primary, "\"timeout\":\"3s\"") + "]",
                "JINGNEI_STREAM_IDLE_TIMEOUT", "10s", "JINGNEI_LLM_DEADLINE", "800ms");
        CollectingSubscriber<ObjectNode> subscriber = new CollectingSubscriber<>();
        long start = System.nanoTime();

        router.stream(body(), new CallTrace()).subscribe(subscriber);

        Throwable error = subscriber.await();
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(error).isInstanceOf(JingneiException.class);
        assertThat(((JingneiException) error).kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(elapsedMs).as("the stream ends at the 800 ms deadline, not after the 4 s stall").isLessThan(2_500);
        assertThat(subscriber.items).isEmpty();
    }

    @Test
    void after_the_first_chunk_a_gap_longer_than_the_idle_timeout_ends_the_stream() {
        primary.enqueue(Reply.stream(0, "a", "b", "c").stallBefore(3, 2_500));
        Router router = router("[" + upstream("stalling", primary, "\"timeout\":\"5s\"") + "]", "JINGNEI_STREAM_IDLE_TIMEOUT", "300ms");
        CollectingSubscriber<ObjectNode> subscriber = new CollectingSubscriber<>();
        long start = System.nanoTime();

        router.stream(body(), new CallTrace()).subscribe(subscriber);

        Throwable error = subscriber.await();
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(error).isInstanceOf(JingneiException.class);
        assertThat(((JingneiException) error).kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(text(subscriber)).isEqualTo("ab");
        assertThat(elapsedMs).as("the 300 ms idle timeout applies between chunks, not the 5 s upstream timeout").isLessThan(2_000);
    }
}
