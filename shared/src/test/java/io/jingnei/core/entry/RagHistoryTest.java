package io.jingnei.core.entry;

import com.fasterxml.jackson.databind.JsonNode;
import io.jingnei.core.JingneiInstance;
import io.jingnei.core.auth.Caller;
import io.jingnei.core.llm.ChatMessage;
import io.jingnei.core.rag.RagRequest;
import io.jingnei.core.rag.RagResult;
import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.Instances;
import io.jingnei.core.testing.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that sends the whole conversation as {@code history} and its last question again as
 * {@code query} is answered as one that sends the earlier turns only: same sources, same answer
 * request upstream (the question once), on the sample knowledge base with the real model.
 */
class RagHistoryTest {
    private static final Caller CALLER = Caller.user(Caller.Via.CLIENT_KEY, "shop-a");
    private static final String EARLIER = "退货的钱多久能到账？";
    private static final String QUESTION = "那换货呢？";
    private static FakeUpstream upstream;
    private static JingneiInstance instance;

    @BeforeAll
    static void start() throws Exception {
        upstream = FakeUpstream.start();
        instance = Instances.bootWithRag(upstream, new CopyOnWriteArrayList<>(), "JINGNEI_LLM_MAX_RETRIES", "0");
        instance.rag().get(60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        instance.close();
        upstream.close();
    }

    @Test
    void a_question_repeated_as_the_last_history_turn_is_read_once() throws Exception {
        List<ChatMessage> earlier = List.of(new ChatMessage("user", EARLIER), new ChatMessage("assistant", "商家确认收到退货后24小时内发起退款。"));
        List<ChatMessage> repeated = new ArrayList<>(earlier);
        repeated.add(new ChatMessage("user", " " + QUESTION + "\n"));

        Answered plain = ask(earlier, "plain-1");
        Answered withRepeat = ask(repeated, "repeat-1");

        assertThat(withRepeat.sources).isNotEmpty().isEqualTo(plain.sources);
        assertThat(withRepeat.answerRequest.path("messages")).isEqualTo(plain.answerRequest.path("messages"));
        assertThat(withRepeat.answerRequest.path("messages").toString().split(QUESTION, -1)).as("the question once in the prompt").hasSize(2);
    }

    @Test
    void an_earlier_user_turn_that_is_not_the_question_is_kept() {
        List<ChatMessage> history = List.of(new ChatMessage("user", EARLIER), new ChatMessage("user", "退货运费谁出？"));
        RagRequest request = new RagRequest(QUESTION, null, null, null, null, null, history);
        assertThat(request.history).isEqualTo(history);
        assertThat(new RagRequest(QUESTION, null, null, null, null, null, List.of(new ChatMessage("user", QUESTION))).history).isEmpty();
    }

    private Answered ask(List<ChatMessage> history, String requestId) throws Exception {
        upstream.reset();
        upstream.enqueue(Reply.completion("换货一般3到5天。", 300, 20));
        RagRequest request = new RagRequest(QUESTION, null, null, null, null, null, history);
        RagResult result = (RagResult) new FunctionCalls(instance).ragQuery(CALLER, request, requestId).get(20, TimeUnit.SECONDS).body;
        List<String> ids = new ArrayList<>();
        result.sources.forEach(s -> ids.add(s.id + "#" + s.chunk));
        assertThat(upstream.completionRequests()).hasSize(1);
        return new Answered(ids, upstream.completionRequests().get(0).json());
    }

    private static final class Answered {
        final List<String> sources;
        final JsonNode answerRequest;

        Answered(List<String> sources, JsonNode answerRequest) {
            this.sources = sources;
            this.answerRequest = answerRequest;
        }
    }
}
