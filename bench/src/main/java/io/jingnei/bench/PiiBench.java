package io.jingnei.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.JingneiInstance;
import io.jingnei.core.auth.Caller;
import io.jingnei.core.config.Env;
import io.jingnei.core.entry.OpenAiSurface;
import io.jingnei.core.call.CallContext;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.pii.BodyMasking;
import io.jingnei.core.pii.PiiPolicy;
import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.Reply;
import io.jingnei.core.util.TimeSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * What masking personal information costs: one 500-character customer message with a phone number,
 * an ID number, a bank card and an e-mail address, masked on its way up and its answer restored;
 * and the time to the first chunk of a stream through the core with masking on and off.
 */
final class PiiBench {
    /** About 500 characters, as a customer writes them, with four kinds of personal information. */
    static final String MESSAGE = ("您好，我是上周在你们店里买了一台洗衣机的客户，订单号DY20261111001。收到货以后发现滚筒有异响，"
            + "我想申请换货或者退货。我的手机号是138 1234 5678，身份证号110101199003074514，退款请原路退回到我的银行卡"
            + "6222021234567890128。如果需要寄回，请把快递单号发到我的邮箱 zhang.wei@example.com。另外我想问一下，"
            + "换货的话运费谁来承担？我看页面上写的是七天无理由退货，但是这台洗衣机已经安装过了，还能不能退？安装师傅说是"
            + "运输过程中磕碰导致的，不是我使用不当。我家住得比较远，快递员上门取件需要提前预约吗？上次预约了没人来，我在家"
            + "等了一整天。麻烦尽快帮我处理一下，谢谢！如果方便的话也可以直接打我电话，工作日白天都可以接，晚上八点以后"
            + "就不方便了。希望这次能顺利解决，之前买的冰箱也是你们家的，用得一直挺好，所以才又选了你们。");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final int calls;
    private final int rounds;

    PiiBench(int calls, int rounds) {
        this.calls = calls;
        this.rounds = rounds;
    }

    void run(Report report) throws Exception {
        report.heading("Personal information masking", "Per request: mask a `/v1` body holding one " + MESSAGE.length()
                + "-character message with a phone number, an ID number, a bank card and an e-mail address (`BodyMasking.apply`), "
                + "then restore an answer that quotes the four placeholders. " + calls + " requests per round, " + rounds
                + " rounds after a warm-up round. Stream: time to the first content chunk through the core (in-process, fake upstream "
                + "on loopback streaming at once), `JINGNEI_PII=mask` vs `off`, rounds interleaved.");
        PiiPolicy policy = PiiPolicy.from(Env.of(Map.of()));
        ObjectNode body = JSON.createObjectNode().put("model", "deepseek-v3.2");
        body.putArray("messages").addObject().put("role", "user").put("content", MESSAGE);
        List<Double> mask = new ArrayList<>();
        List<Double> unmask = new ArrayList<>();
        for (int r = 0; r <= rounds; r++) {
            for (int i = 0; i < calls; i++) {
                ObjectNode copy = body.deepCopy();
                long start = System.nanoTime();
                BodyMasking masking = BodyMasking.apply(policy, copy);
                long masked = System.nanoTime();
                ObjectNode answer = JSON.createObjectNode();
                answer.putArray("choices").addObject().putObject("message").put("role", "assistant")
                        .put("content", "已记录您的手机号[手机号1]和银行卡[银行卡1]，身份证[身份证1]，快递单号将发至[邮箱1]。");
                long unmaskStart = System.nanoTime();
                masking.unmaskAnswer(answer);
                long end = System.nanoTime();
                if (r > 0) {
                    mask.add((masked - start) / 1e3);
                    unmask.add((end - unmaskStart) / 1e3);
                }
                if (!answer.toString().contains("6222021234567890128") || copy.toString().contains("6222021234567890128")) {
                    throw new IllegalStateException("masking did not round-trip: " + copy + " / " + answer);
                }
            }
        }
        report.table(List.of("step", "p50 µs", "p99 µs"), List.of(
                List.of("mask the request body", String.format("%.1f", Stats.median(mask)), String.format("%.1f", Stats.p99(mask))),
                List.of("restore the answer", String.format("%.1f", Stats.median(unmask)), String.format("%.1f", Stats.p99(unmask)))));
        streams(report);
    }

    private void streams(Report report) throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            String[] deltas = {"已记录", "您的手机号", "[手机号1]", "，", "银行卡", "[银行", "卡1]", "。"};
            upstream.fallback(Reply.stream(0, deltas));
            Map<String, Setup> setups = new LinkedHashMap<>();
            setups.put("off", new Setup(upstream, "off"));
            setups.put("mask", new Setup(upstream, "mask"));
            try {
                for (int r = 0; r <= rounds; r++) {
                    for (Setup setup : setups.values()) {
                        setup.round(calls / 4, r > 0);
                    }
                }
                double off = Stats.median(setups.get("off").firstChunk);
                List<List<String>> rows = new ArrayList<>();
                for (Map.Entry<String, Setup> e : setups.entrySet()) {
                    double p50 = Stats.median(e.getValue().firstChunk);
                    rows.add(List.of("JINGNEI_PII=" + e.getKey(), String.format("%.3f", p50), String.format("%.3f", Stats.p99(e.getValue().firstChunk)),
                            e.getKey().equals("off") ? "-" : String.format("%+.3f", p50 - off)));
                }
                report.table(List.of("stream", "first chunk p50 ms", "p99 ms", "added p50 ms"), rows);
            } finally {
                setups.values().forEach(s -> s.instance.close());
            }
        }
    }

    private static final class Setup {
        final JingneiInstance instance;
        final OpenAiSurface surface;
        final List<Double> firstChunk = new ArrayList<>();

        Setup(FakeUpstream upstream, String pii) {
            Map<String, String> env = new HashMap<>();
            env.put("JINGNEI_LLM_BASE_URL", upstream.baseUrl());
            env.put("JINGNEI_LLM_API_KEY", FakeUpstream.KEY);
            env.put("JINGNEI_RAG_ENABLED", "false");
            env.put("JINGNEI_CACHE", "off");
            env.put("JINGNEI_PII", pii);
            instance = JingneiInstance.boot(Env.of(env), TimeSource.system(), new CallLog(line -> { }), Optional::empty);
            surface = new OpenAiSurface(instance, Env.of(env));
        }

        void round(int calls, boolean record) throws Exception {
            for (int i = 0; i < calls; i++) {
                ObjectNode body = JSON.createObjectNode().put("model", "deepseek-v3.2").put("stream", true);
                body.putArray("messages").addObject().put("role", "user").put("content", MESSAGE);
                long start = System.nanoTime();
                CallContext ctx = surface.prepare(Caller.anonymous(), body, "pii-bench");
                Flow.Publisher<ObjectNode> stream = surface.stream(body, ctx).join();
                CompletableFuture<Double> first = new CompletableFuture<>();
                CompletableFuture<Void> done = new CompletableFuture<>();
                stream.subscribe(new Flow.Subscriber<>() {
                    @Override
                    public void onSubscribe(Flow.Subscription subscription) {
                        subscription.request(Long.MAX_VALUE);
                    }

                    @Override
                    public void onNext(ObjectNode chunk) {
                        if (!first.isDone() && !chunk.path("choices").path(0).path("delta").path("content").asText("").isEmpty()) {
                            first.complete((System.nanoTime() - start) / 1e6);
                        }
                    }

                    @Override
                    public void onError(Throwable error) {
                        done.completeExceptionally(error);
                    }

                    @Override
                    public void onComplete() {
                        done.complete(null);
                    }
                });
                done.join();
                if (record) {
                    firstChunk.add(first.join());
                }
            }
        }
    }
}
