package io.jingnei.core.rag;

import io.jingnei.core.embed.Embedder;
import io.jingnei.core.index.HybridIndex;
import io.jingnei.core.index.IndexFormat;
import io.jingnei.core.index.IndexPointer;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.storage.FileObjectStore;
import io.jingnei.core.storage.ObjectStore;
import io.jingnei.core.storage.StoredStream;
import io.jingnei.core.testing.FakeTime;
import io.jingnei.core.text.BigramSplitter;
import io.jingnei.core.util.TimeSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Incremental rebuilds and index versions: what is embedded again, what the pointer serves, rollback, pruning, a failed build. */
class IndexVersionsTest {
    @TempDir
    Path dir;

    private final ObjectStore store = new FileObjectStore();
    private final CountingEmbedder embedder = new CountingEmbedder();

    /** Counts the texts it embeds; can be told to fail. */
    static final class CountingEmbedder implements Embedder {
        final Embedder inner = new EvalCliTest.CharacterEmbedder();
        final List<String> seen = new ArrayList<>();
        volatile boolean broken;

        @Override
        public String modelId() {
            return inner.modelId();
        }

        @Override
        public int dimension() {
            return inner.dimension();
        }

        @Override
        public List<float[]> embed(List<String> texts) {
            if (broken) {
                throw new io.jingnei.core.embed.EmbeddingException("the model failed half-way", null);
            }
            seen.addAll(texts);
            return inner.embed(texts);
        }
    }

    private Path kb() throws Exception {
        Path kb = Files.createDirectories(dir.resolve("kb"));
        for (int i = 1; i <= 20; i++) {
            Files.writeString(kb.resolve("doc" + i + ".md"), "# 文档" + i + "\n第" + i + "篇：订单" + i + "的退货说明。");
        }
        return kb;
    }

    private IndexBuilder builder(int keep) {
        return new IndexBuilder(store, embedder, new TextChunker(300, 50), RagConfig.DEFAULT_MAX_FILE_BYTES, keep, TimeSource.system());
    }

    private String out() {
        return dir.resolve("index/faq.jnix").toUri().toString();
    }

    private HybridIndex served() throws Exception {
        try (StoredStream stream = IndexPointer.open(store, java.net.URI.create(out()), Runnable::run).get(5, TimeUnit.SECONDS)) {
            return IndexFormat.load(stream.in, BigramSplitter.INSTANCE);
        }
    }

    private static String allText(HybridIndex index) {
        return IntStream.range(0, index.size()).mapToObj(i -> index.chunk(i).text).collect(Collectors.joining("|"));
    }

    @Test
    void a_rebuild_embeds_only_changed_and_new_documents_reuses_the_rest_and_drops_deleted_ones() throws Exception {
        Path kb = kb();
        IndexBuilder.Result first = builder(5).build(kb.toUri().toString(), out(), false, (d, a) -> { });
        assertThat(first.version).isEqualTo(1);
        assertThat(first.embedded).isEqualTo(20);
        assertThat(first.reused).isZero();
        embedder.seen.clear();

        Files.writeString(kb.resolve("doc3.md"), "# 文档3\n第3篇：改过了，退货期限延长到三十天。");
        Files.delete(kb.resolve("doc7.md"));
        Files.writeString(kb.resolve("doc21.md"), "# 文档21\n新文档：发票说明。");
        IndexBuilder.Result second = builder(5).build(kb.toUri().toString(), out(), false, (d, a) -> { });

        assertThat(second.version).isEqualTo(2);
        assertThat(second.documents).isEqualTo(20);
        assertThat(second.embedded).isEqualTo(2);
        assertThat(second.reused).isEqualTo(18);
        assertThat(second.removed).isEqualTo(1);
        assertThat(second.chunksEmbedded).isEqualTo(2);
        assertThat(embedder.seen).hasSize(2).allMatch(t -> t.contains("三十天") || t.contains("发票说明"));
        HybridIndex index = served();
        assertThat(allText(index)).contains("三十天").contains("发票说明").doesNotContain("订单7的");
        float[] fresh = embedder.inner.embed(List.of("文档5\n第5篇：订单5的退货说明。")).get(0);
        int five = IntStream.range(0, index.size()).filter(i -> index.chunk(i).docId.equals("doc5.md")).findFirst().getAsInt();
        assertThat(index.vectors().vector(five)).containsExactly(fresh);
    }

    @Test
    void each_build_is_a_new_version_the_pointer_moves_and_a_rollback_serves_an_older_one_again() throws Exception {
        Path kb = kb();
        builder(5).build(kb.toUri().toString(), out(), false, (d, a) -> { });
        Files.writeString(kb.resolve("doc1.md"), "# 文档1\n第二版：退货期限三十天。");
        builder(5).build(kb.toUri().toString(), out(), false, (d, a) -> { });
        assertThat(allText(served())).contains("第二版");

        IndexBuilder.Result rolledBack = builder(5).rollback(out(), 1);

        assertThat(rolledBack.version).isEqualTo(1);
        assertThat(rolledBack.keptVersions).containsExactly(2L, 1L);
        assertThat(allText(served())).doesNotContain("第二版").contains("订单1的退货说明");
        assertThatThrownBy(() -> builder(5).rollback(out(), 9)).hasMessageContaining("version 9 is not kept; kept versions: [2, 1]");
        IndexBuilder.Result third = builder(5).build(kb.toUri().toString(), out(), false, (d, a) -> { });
        assertThat(third.version).isEqualTo(3);
        assertThat(third.embedded).isEqualTo(1);
    }

    @Test
    void only_the_last_keep_versions_are_kept_and_older_version_objects_are_deleted() throws Exception {
        Path kb = kb();
        for (int i = 0; i < 4; i++) {
            Files.writeString(kb.resolve("doc1.md"), "# 文档1\n第" + i + "版。");
            builder(2).build(kb.toUri().toString(), out(), false, (d, a) -> { });
        }
        try (var versions = Files.list(dir.resolve("index/faq.jnix.versions"))) {
            assertThat(versions.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jnix")))
                    .hasSize(2).allMatch(n -> n.startsWith("4-") || n.startsWith("3-"));
        }
        try (var versions = Files.list(dir.resolve("index/faq.jnix.versions"))) {
            assertThat(versions.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".claim")))
                    .as("a pruned version's claim goes with it").containsExactlyInAnyOrder("3.claim", "4.claim");
        }
        assertThatThrownBy(() -> builder(2).rollback(out(), 1)).hasMessageContaining("kept versions: [4, 3]");
    }

    @Test
    void a_build_that_fails_half_way_leaves_the_served_version_as_it_was() throws Exception {
        Path kb = kb();
        builder(5).build(kb.toUri().toString(), out(), false, (d, a) -> { });
        byte[] pointer = Files.readAllBytes(dir.resolve("index/faq.jnix"));
        Files.writeString(kb.resolve("doc1.md"), "# 文档1\n这一版不会上线。");
        embedder.broken = true;

        assertThatThrownBy(() -> builder(5).build(kb.toUri().toString(), out(), false, (d, a) -> { })).hasMessageContaining("half-way");

        assertThat(Files.readAllBytes(dir.resolve("index/faq.jnix"))).isEqualTo(pointer);
        assertThat(allText(served())).doesNotContain("不会上线");
    }

    @Test
    void an_instance_picks_up_a_new_version_and_a_rollback_on_its_usual_refresh() throws Exception {
        Path kb = kb();
        builder(5).build(kb.toUri().toString(), out(), false, (d, a) -> { });
        FakeTime time = new FakeTime();
        IndexHolder holder = new IndexHolder(store, java.net.URI.create(out()), null, embedder.modelId(), Duration.ofSeconds(60),
                time, Runnable::run, new CallLog(line -> { }));
        holder.load().get(5, TimeUnit.SECONDS);
        assertThat(allText(holder.require())).doesNotContain("第二版");

        Files.writeString(kb.resolve("doc1.md"), "# 文档1\n第二版：退货期限三十天。");
        builder(5).build(kb.toUri().toString(), out(), false, (d, a) -> { });
        time.advance(Duration.ofSeconds(61));
        holder.refreshIfDue().get(5, TimeUnit.SECONDS);
        assertThat(allText(holder.require())).contains("第二版");

        builder(5).rollback(out(), 1);
        time.advance(Duration.ofSeconds(61));
        holder.refreshIfDue().get(5, TimeUnit.SECONDS);
        assertThat(allText(holder.require())).doesNotContain("第二版");
    }

    @Test
    void two_builds_racing_into_one_index_make_two_versions_and_the_pointer_serves_the_later_claim() throws Exception {
        Path kb = kb();
        builder(5).build(kb.toUri().toString(), out(), false, (d, a) -> { });
        Files.writeString(kb.resolve("doc1.md"), "# 文档1\n第二版：退货期限三十天。");
        // Both builds have read the pointer, claimed a number and read the knowledge base before either embeds.
        java.util.concurrent.CyclicBarrier bothEmbedding = new java.util.concurrent.CyclicBarrier(2);
        Embedder racing = new Embedder() {
            final ThreadLocal<Boolean> waited = ThreadLocal.withInitial(() -> false);

            @Override
            public String modelId() {
                return embedder.modelId();
            }

            @Override
            public int dimension() {
                return embedder.dimension();
            }

            @Override
            public List<float[]> embed(List<String> texts) {
                if (!waited.get()) {
                    waited.set(true);
                    try {
                        bothEmbedding.await(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
                return embedder.embed(texts);
            }
        };
        java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<IndexBuilder.Result>> builds = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                builds.add(two.submit(() -> new IndexBuilder(store, racing, new TextChunker(300, 50), RagConfig.DEFAULT_MAX_FILE_BYTES, 5, TimeSource.system())
                        .build(kb.toUri().toString(), out(), false, (d, a) -> { })));
            }
            List<Long> numbers = new ArrayList<>();
            for (var build : builds) {
                numbers.add(build.get(60, TimeUnit.SECONDS).version);
            }

            assertThat(numbers).containsExactlyInAnyOrder(2L, 3L);
            IndexPointer pointer = IndexPointer.current(store, java.net.URI.create(out()));
            assertThat(pointer.version).as("the higher claim is served, whichever finished last").isEqualTo(3);
            assertThat(pointer.versions.stream().map(v -> v.version)).containsExactly(3L, 2L, 1L);
            for (IndexPointer.Version version : pointer.versions) {
                assertThat(Files.exists(Path.of(java.net.URI.create(out()).resolve(version.index)))).as(version.index).isTrue();
            }
            assertThat(allText(served())).contains("第二版");
            assertThat(Files.exists(dir.resolve("index/faq.jnix.versions/pointer.lock"))).as("the lock is given back").isFalse();
        } finally {
            two.shutdownNow();
        }
    }

    @Test
    void a_pointer_lock_left_by_a_build_that_died_is_taken_over_and_a_failed_build_gives_its_number_back() throws Exception {
        Path kb = kb();
        Files.createDirectories(dir.resolve("index/faq.jnix.versions"));
        Files.writeString(dir.resolve("index/faq.jnix.versions/pointer.lock"), "{\"request_id\":\"died\",\"at\":0}");

        assertThat(builder(5).build(kb.toUri().toString(), out(), false, (d, a) -> { }).version).isEqualTo(1);

        Files.writeString(kb.resolve("doc1.md"), "# 文档1\n这一版不会上线。");
        embedder.broken = true;
        assertThatThrownBy(() -> builder(5).build(kb.toUri().toString(), out(), false, (d, a) -> { })).hasMessageContaining("half-way");
        embedder.broken = false;
        assertThat(Files.exists(dir.resolve("index/faq.jnix.versions/2.claim"))).isFalse();
        assertThat(builder(5).build(kb.toUri().toString(), out(), false, (d, a) -> { }).version).isEqualTo(2);
    }

    @Test
    void the_report_names_each_file_indexed_with_its_chunks_or_skipped_with_its_reason() throws Exception {
        Path kb = kb();
        Files.writeString(kb.resolve("notes.xyz"), "?");
        AtomicInteger calls = new AtomicInteger();

        IndexBuilder.Result result = builder(5).build(kb.toUri().toString(), out(), false, (d, a) -> calls.incrementAndGet());

        assertThat(result.files).hasSize(21);
        IndexBuilder.FileReport skipped = result.files.stream().filter(f -> f.file.equals("notes.xyz")).findFirst().get();
        assertThat(skipped.status).isEqualTo("skipped");
        assertThat(skipped.reason).startsWith("unknown extension .xyz");
        assertThat(result.files.stream().filter(f -> f.file.equals("doc1.md")).findFirst().get())
                .satisfies(f -> assertThat(f.status).isEqualTo("indexed")).satisfies(f -> assertThat(f.chunks).isEqualTo(1));
        assertThat(calls.get()).isPositive();
    }
}
