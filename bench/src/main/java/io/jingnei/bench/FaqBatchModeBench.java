package io.jingnei.bench;

import io.jingnei.core.JingneiInstance;
import io.jingnei.core.batch.BatchProgress;
import io.jingnei.core.batch.BatchSummary;
import io.jingnei.core.batch.ExecutorMapper;
import io.jingnei.core.batch.FaqBatchRequest;
import io.jingnei.core.config.Env;
import io.jingnei.core.call.CallContext;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.rag.RagService;
import io.jingnei.core.testing.FakeBatchApi;
import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.Reply;
import io.jingnei.core.testing.S3ProxyServer;
import io.jingnei.core.util.TimeSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One faq-batch file answered in real time and through the provider's Batch API, against S3Proxy,
 * the real model on the sample knowledge base and a fake upstream that reports the same usage per
 * answer in both modes: the cost from the price table, the upstream requests made, and the
 * function's own time (what FC bills). The real-time run's function time also waits for every LLM
 * answer; with a zero-latency fake that wait is not in the measured figure, so it is modelled
 * beside it (answers x latency / JINGNEI_FAQ_CONCURRENCY).
 */
final class FaqBatchModeBench {
    private static final int PROMPT_TOKENS = 700;
    private static final int COMPLETION_TOKENS = 90;
    private static final double LLM_SECONDS = 2.0;
    private static final int CONCURRENCY = 8;

    private final int questions;

    FaqBatchModeBench(int questions) {
        this.questions = questions;
    }

    void run(Report report) throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start("jingnei-faq"); FakeUpstream upstream = FakeUpstream.start()) {
            upstream.fallback(Reply.completion("您好，发票可以在订单详情页申请。", PROMPT_TOKENS, COMPLETION_TOKENS));
            FakeBatchApi api = new FakeBatchApi().usage(PROMPT_TOKENS, COMPLETION_TOKENS).finishAfter(1);
            upstream.batchApi(api);
            Map<String, String> env = new HashMap<>(s3.env());
            env.put("JINGNEI_LLM_BASE_URL", upstream.baseUrl());
            env.put("JINGNEI_LLM_API_KEY", FakeUpstream.KEY);
            env.put("JINGNEI_CACHE", "off");
            env.put("JINGNEI_RAG_THRESHOLD", "-1"); // every question finds context: every question is an LLM answer
            env.put("JINGNEI_FAQ_BASE_URI", "s3://jingnei-faq/");
            env.put("JINGNEI_FAQ_CONCURRENCY", String.valueOf(CONCURRENCY));
            try (JingneiInstance instance = JingneiInstance.boot(Env.of(env), TimeSource.system(), new CallLog(line -> { }), Optional::empty)) {
                RagService rag = instance.rag().get(120, TimeUnit.SECONDS);
                String file = questions(questions);
                for (String name : List.of("realtime", "batch")) {
                    instance.store().put(URI.create("s3://jingnei-faq/faq-batch/in/" + name + ".jsonl"), file.getBytes(StandardCharsets.UTF_8),
                            "application/x-ndjson").get(60, TimeUnit.SECONDS);
                }

                upstream.reset();
                upstream.fallback(Reply.completion("您好，发票可以在订单详情页申请。", PROMPT_TOKENS, COMPLETION_TOKENS));
                long start = System.nanoTime();
                BatchSummary realtime = (BatchSummary) instance.batch().call(new FaqBatchRequest("faq-batch/in/realtime.jsonl", null, "realtime", null),
                        rag, new CallContext("bench-rt", "faq-batch", null), new ExecutorMapper());
                double realtimeSeconds = (System.nanoTime() - start) / 1e9;
                int realtimeRequests = upstream.requests().size();

                upstream.reset();
                upstream.batchApi(api);
                int calls = 0;
                double batchSeconds = 0;
                Object step;
                do {
                    long t0 = System.nanoTime();
                    step = instance.batch().call(new FaqBatchRequest("faq-batch/in/batch.jsonl", null, "batch", null), rag,
                            new CallContext("bench-b" + calls, "faq-batch", null), new ExecutorMapper());
                    batchSeconds += (System.nanoTime() - t0) / 1e9;
                    calls++;
                } while (step instanceof BatchProgress && calls < 10);
                BatchSummary batch = (BatchSummary) step;
                int batchRequests = upstream.requests().size();

                double modelledWait = realtime.llmCalls * LLM_SECONDS / CONCURRENCY;
                report.heading("faq-batch: real time vs the provider's Batch API (" + String.format("%,d", questions) + " questions)",
                        "One file of distinct questions, every one answered by the LLM (" + PROMPT_TOKENS + " prompt and " + COMPLETION_TOKENS
                                + " completion tokens reported per answer in both modes), deepseek-v3.2 at the default price table; batch at "
                                + "JINGNEI_BATCH_PRICE_RATIO 0.5. Function time is the faq-batch calls' own wall time on this machine (the real-time "
                                + "run against a zero-latency fake, so the LLM wait is modelled at " + LLM_SECONDS + " s per answer over "
                                + CONCURRENCY + " concurrent calls); the batch run is " + calls + " calls: submit, then one per timer tick.");
                report.table(List.of("mode", "LLM answers", "cost CNY", "cost ratio", "upstream requests", "function calls",
                                "function time measured (s)", "function time with the LLM wait (s)"),
                        List.of(
                                List.of("realtime", String.valueOf(realtime.llmCalls), realtime.costCny.toPlainString(), "1.00",
                                        String.valueOf(realtimeRequests), "1", String.format("%.1f", realtimeSeconds),
                                        String.format("%.0f", realtimeSeconds + modelledWait)),
                                List.of("batch", String.valueOf(batch.llmCalls), batch.costCny.toPlainString(),
                                        String.format("%.2f", batch.costCny.doubleValue() / realtime.costCny.doubleValue()),
                                        String.valueOf(batchRequests), String.valueOf(calls), String.format("%.1f", batchSeconds),
                                        String.format("%.1f", batchSeconds))));
            }
        }
    }

    /** Distinct customer questions over the sample shop's topics. */
    private static String questions(int n) {
        String[] topics = {"发票怎么开", "退货要多久能到账", "怎么查快递到哪了", "忘记密码了怎么办", "可以用花呗吗", "双十一什么时候发货", "运费谁出",
                "怎么修改收货地址", "优惠券怎么用", "会员积分怎么算"};
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            out.append("{\"id\":\"q").append(i).append("\",\"question\":\"订单").append(100000 + i).append("：")
                    .append(topics[i % topics.length]).append("？\"}\n");
        }
        return out.toString();
    }
}
