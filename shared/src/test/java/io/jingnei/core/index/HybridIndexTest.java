package io.jingnei.core.index;

import io.jingnei.core.text.BigramSplitter;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HybridIndexTest {
    private static final int DIM = 32;
    private final List<Chunk> chunks = List.of(
            new Chunk("return-fee", 0, "质量问题退货的运费由商家承担，七天无理由退货的运费由买家承担。", "{\"title\":\"退货运费谁承担\"}"),
            new Chunk("invoice", 0, "订单完成后可在订单详情页申请电子发票，增值税专用发票需上传资质。", "{\"title\":\"发票开具\"}"),
            new Chunk("puk", 0, "连续三次输错PIN码后SIM卡会被锁定，需要输入PUK码解锁。", "{\"title\":\"PUK码解锁\"}"),
            new Chunk("points", 0, "积分每年12月31日清零，下单即可获得积分。", "{}"));
    private final float[] vectors = RandomVectors.normalised(chunks.size(), DIM, 3);

    @Test
    void a_version_2_index_round_trips_its_lexical_part() {
        LexicalIndex built = IndexFormat.lexical(chunks, BigramSplitter.INSTANCE);
        HybridIndex loaded = IndexFormat.load(IndexFormat.write(vectors, DIM, chunks, "m", false));

        assertThat(loaded.lexical().terms()).isEqualTo(built.terms());
        assertThat(loaded.lexical().bytes()).isEqualTo(built.bytes());
        for (String question : List.of("退货运费谁出", "PUK码是什么", "积分什么时候清零", "专票怎么开")) {
            assertThat(loaded.lexical().scores(question, LexicalIndex.Bm25.DEFAULT))
                    .containsExactly(built.scores(question, LexicalIndex.Bm25.DEFAULT));
        }
    }

    @Test
    void a_version_1_index_is_still_read_and_gets_its_lexical_part_at_load() {
        HybridIndex loaded = IndexFormat.load(versionOne(vectors, chunks));

        assertThat(loaded.size()).isEqualTo(4);
        assertThat(loaded.chunk(2).docId).isEqualTo("puk");
        assertThat(loaded.lexical()).isNotNull();
        assertThat(loaded.lexical().scores("puk码", LexicalIndex.Bm25.DEFAULT))
                .containsExactly(IndexFormat.lexical(chunks, BigramSplitter.INSTANCE).scores("puk码", LexicalIndex.Bm25.DEFAULT));
    }

    @Test
    void words_lift_the_chunk_that_names_them_above_a_closer_vector() {
        HybridIndex index = IndexFormat.load(IndexFormat.write(vectors, DIM, chunks, "m", false));
        float[] nearInvoice = java.util.Arrays.copyOfRange(vectors, DIM, 2 * DIM);

        Ranking dense = index.search(nearInvoice, "PUK码怎么解锁", 3, Fusion.DENSE_ONLY);
        Ranking hybrid = index.search(nearInvoice, "PUK码怎么解锁", 3, new Fusion(3, 20, LexicalIndex.Bm25.DEFAULT));

        assertThat(index.chunk(dense.best().position).docId).isEqualTo("invoice");
        assertThat(index.chunk(hybrid.best().position).docId).isEqualTo("puk");
        assertThat(hybrid.best().cosine).as("the cosine of a chunk only words found is still exact")
                .isEqualTo(index.vectors().similarity(nearInvoice, hybrid.best().position));
    }

    @Test
    void coverage_is_the_idf_weighted_share_of_the_question_the_passage_names() {
        HybridIndex index = IndexFormat.load(IndexFormat.write(vectors, DIM, chunks, "m", false));

        assertThat(index.coverage("PUK码解锁", 2)).as("every known term in the PUK passage").isEqualTo(1.0);
        assertThat(index.coverage("PUK码解锁", 3)).as("none in the points passage").isZero();
        assertThat(index.coverage("运费发票", 0)).as("运费 is the return passage's, 发票 is not").isStrictlyBetween(0.0, 1.0);
        assertThat(index.coverage("运费瞿", 0)).as("a term no chunk has is left out").isEqualTo(index.coverage("运费", 0));
        assertThat(index.coverage("哈喽", 0)).as("nothing the index knows").isZero();
        assertThat(new HybridIndex(index.vectors(), null).coverage("PUK码", 2)).as("dense-only: unknown").isNaN();
    }

    @Test
    void coverage_counting_unknown_is_one_minus_the_share_of_the_question_known_elsewhere_but_not_in_the_passage() {
        HybridIndex index = IndexFormat.load(IndexFormat.write(vectors, DIM, chunks, "m", false));

        assertThat(index.coverageCountingUnknown("PUK码解锁", 2)).as("every term in the PUK passage").isEqualTo(1.0);
        assertThat(index.coverageCountingUnknown("PUK码解锁", 3)).as("all known, none in the points passage").isZero();
        assertThat(index.coverageCountingUnknown("运费发票", 0)).as("运费 is the return passage's, 发票 is not").isStrictlyBetween(0.0, 1.0);
        assertThat(index.coverageCountingUnknown("运费瞿", 0)).as("a term no chunk has counts as covered").isEqualTo(1.0);
        assertThat(index.coverageCountingUnknown("运费发票瞿", 0)).as("and weighs in the whole, so the missing 发票 weighs less")
                .isGreaterThan(index.coverageCountingUnknown("运费发票", 0));
        assertThat(index.coverage("运费发票瞿", 0)).as("where coverage leaves it out").isEqualTo(index.coverage("运费发票", 0));
        assertThat(index.coverageCountingUnknown("哈喽", 0)).as("nothing the index knows").isZero();
        assertThat(new HybridIndex(index.vectors(), null).coverageCountingUnknown("PUK码", 2)).as("dense-only: unknown").isNaN();
    }

    @Test
    void a_title_counts_as_a_field_of_its_own() {
        LexicalIndex lexical = IndexFormat.lexical(chunks, BigramSplitter.INSTANCE);

        float[] scores = lexical.scores("解锁", LexicalIndex.Bm25.DEFAULT);
        float[] titleHeavy = lexical.scores("解锁", new LexicalIndex.Bm25(1.2, 0.75, 3));

        assertThat(scores[2]).isPositive();
        assertThat(titleHeavy[2]).isGreaterThan(scores[2]);
        assertThat(scores[0]).isZero();
    }

    @Test
    void a_dense_only_index_has_no_lexical_section_and_a_corrupt_one_is_refused() {
        byte[] dense = IndexFormat.write(vectors, DIM, chunks, "m", false, null);
        assertThat(IndexFormat.load(dense).lexical()).as("rebuilt at load").isNotNull();

        byte[] full = IndexFormat.write(vectors, DIM, chunks, "m", false);
        byte[] padded = resealed(full, 7);
        assertThatThrownBy(() -> IndexFormat.load(padded)).isInstanceOf(IndexException.class).hasMessageContaining("lexical section");
    }

    /** A version 1 file: the same header and payload, without flags or lexical section. */
    static byte[] versionOne(float[] vectors, List<Chunk> chunks) {
        byte[] dense = IndexFormat.write(vectors, DIM, chunks, "m", false, null);
        ByteBuffer.wrap(dense).order(ByteOrder.LITTLE_ENDIAN).putShort(4, (short) 1);
        return dense;
    }

    /** The file with {@code extra} zero bytes added to its payload and the header's length and checksum fixed. */
    private static byte[] resealed(byte[] file, int extra) {
        ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int modelLength = in.getShort(18) & 0xffff;
        int lengthAt = 20 + modelLength;
        int payloadAt = lengthAt + 12;
        byte[] out = java.util.Arrays.copyOf(file, file.length + extra);
        CRC32C crc = new CRC32C();
        crc.update(out, payloadAt, out.length - payloadAt);
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putLong(lengthAt, out.length - payloadAt).putInt(lengthAt + 8, (int) crc.getValue());
        return out;
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "int8 {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void one_pass_for_several_queries_finds_what_each_search_finds(boolean int8) {
        // 3000 chunks of 512 dimensions span many of the cache-sized blocks a multi-query scan reads
        int dim = 512;
        float[] stored = RandomVectors.normalised(3000, dim, 11);
        float[] queries = RandomVectors.normalised(3, dim, 12);
        VectorIndex index = IndexFormat.inMemory(stored, dim, RandomVectors.chunks(3000), "m", int8);
        float[][] asked = new float[3][];
        for (int q = 0; q < 3; q++) {
            asked[q] = java.util.Arrays.copyOfRange(queries, q * dim, (q + 1) * dim);
        }

        List<List<Hit>> together = index.search(asked, 20);

        for (int q = 0; q < 3; q++) {
            List<Hit> alone = index.search(asked[q], 20);
            assertThat(together.get(q)).extracting(h -> h.position).containsExactlyElementsOf(alone.stream().map(h -> h.position)
                    .collect(java.util.stream.Collectors.toList()));
            assertThat(together.get(q)).extracting(h -> h.score).containsExactlyElementsOf(alone.stream().map(h -> h.score)
                    .collect(java.util.stream.Collectors.toList()));
        }
    }
}
