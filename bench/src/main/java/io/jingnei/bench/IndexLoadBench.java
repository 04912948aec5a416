package io.jingnei.bench;

import io.jingnei.core.config.Env;
import io.jingnei.core.http.SharedHttpClient;
import io.jingnei.core.index.Chunk;
import io.jingnei.core.index.IndexFormat;
import io.jingnei.core.index.VectorIndex;
import io.jingnei.core.storage.CredentialsProvider;
import io.jingnei.core.storage.S3ObjectStore;
import io.jingnei.core.storage.S3Settings;
import io.jingnei.core.testing.S3ProxyServer;
import io.jingnei.core.util.TimeSource;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** An index object in S3Proxy read and parsed into a searchable index, as an instance does at init. */
final class IndexLoadBench {
    private final int count;
    private final int runs;

    IndexLoadBench(int count, int runs) {
        this.count = count;
        this.runs = runs;
    }

    void run(Report report) throws Exception {
        report.heading("Index load", String.format("%,d x 512 index from S3Proxy (loopback, filesystem backend) through the shared "
                + "HttpClient 5 client and SigV4: GET the object, verify the CRC32C, parse vectors and chunk records. Median of %d.", count, runs));
        List<Chunk> chunks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            chunks.add(new Chunk("doc-" + i, 0, "第" + i + "条：商品七天无理由退货说明。", "{\"category\":\"售后\"}"));
        }
        float[] vectors = SearchBench.random(count, 3);
        List<List<String>> rows = new ArrayList<>();
        try (S3ProxyServer s3 = S3ProxyServer.start("jingnei-bench");
             SharedHttpClient http = new SharedHttpClient(8, Duration.ofSeconds(5), Duration.ofSeconds(120))) {
            S3ObjectStore store = new S3ObjectStore(http, S3Settings.from(Env.of(s3.env())),
                    CredentialsProvider.chain(Env.of(s3.env()), Optional::empty), TimeSource.system());
            for (boolean int8 : new boolean[] {false, true}) {
                byte[] bytes = IndexFormat.write(vectors, 512, chunks, "bench", int8);
                URI uri = URI.create("s3://jingnei-bench/index-" + (int8 ? "int8" : "float32") + ".jnix");
                store.put(uri, bytes, "application/octet-stream").get(120, TimeUnit.SECONDS);
                List<Double> times = new ArrayList<>();
                for (int i = 0; i < runs + 1; i++) {
                    long start = System.nanoTime();
                    VectorIndex index = IndexFormat.read(store.get(uri).get(120, TimeUnit.SECONDS).bytes);
                    double ms = (System.nanoTime() - start) / 1e6;
                    if (index.size() != count) {
                        throw new IllegalStateException("loaded " + index.size());
                    }
                    if (i > 0) {
                        times.add(ms); // the first read warms the JIT
                    }
                }
                double median = Stats.median(times);
                rows.add(List.of(int8 ? "int8" : "float32", String.format("%.1f", bytes.length / 1e6),
                        String.format("%.2f", median / 1000), String.format("%.0f", bytes.length / 1e6 / (median / 1000))));
            }
        }
        report.table(List.of("vectors", "object MB", "median s to ready", "MB/s"), rows);
    }
}
