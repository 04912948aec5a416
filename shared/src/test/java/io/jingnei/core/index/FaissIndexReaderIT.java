package io.jingnei.core.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real FAISS (Debian's python3-faiss) writes the files and is the oracle for the top-k. */
class FaissIndexReaderIT {
    @TempDir
    static Path dir;
    private static JsonNode results;
    private static byte[] metadata;

    @BeforeAll
    static void writeWithFaiss() throws Exception {
        Path script = Paths.get(FaissIndexReaderIT.class.getResource("/faiss/write_flat.py").toURI());
        // Debian's python3-faiss lives in the system interpreter, not in any pyenv one.
        Process python = new ProcessBuilder("/usr/bin/python3", script.toString(), dir.toString()).inheritIO().start();
        assertThat(python.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(python.exitValue()).as("python3-faiss must be installed (apt-get install python3-faiss)").isZero();
        results = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        metadata = Files.readAllBytes(dir.resolve("metadata.json"));
    }

    @Test
    void reads_an_index_flat_ip_and_finds_what_faiss_finds() throws Exception {
        VectorIndex index = FaissIndexReader.read(Files.readAllBytes(dir.resolve("ip.faiss")), metadata, "bge-small-zh-v1.5");

        assertThat(index.size()).isEqualTo(3000);
        assertThat(index.dimension()).isEqualTo(512);
        assertSameAsFaiss(index, results.path("ip"), false);
        Chunk chunk = index.chunk(17);
        assertThat(chunk.docId).isEqualTo("faq-17");
        assertThat(chunk.text).isEqualTo("问题17的答案");
        assertThat(chunk.metadataJson).contains("售后");
    }

    @Test
    void reads_an_index_flat_l2_and_reports_cosine_similarity() throws Exception {
        VectorIndex index = FaissIndexReader.read(Files.readAllBytes(dir.resolve("l2.faiss")), metadata, "m");

        assertSameAsFaiss(index, results.path("l2"), true);
    }

    @Test
    void a_metadata_list_of_another_length_is_refused() throws Exception {
        byte[] faiss = Files.readAllBytes(dir.resolve("ip.faiss"));
        assertThatThrownBy(() -> FaissIndexReader.read(faiss, "[{\"id\":\"a\",\"content\":\"x\"}]".getBytes(), "m"))
                .hasMessageContaining("3000 vectors").hasMessageContaining("1 entries");
        assertThatThrownBy(() -> FaissIndexReader.read(java.util.Arrays.copyOf(faiss, 5000), metadata, "m"))
                .hasMessageContaining("truncated");
    }

    private static void assertSameAsFaiss(VectorIndex index, JsonNode expected, boolean l2) {
        JsonNode queries = results.path("queries");
        for (int q = 0; q < queries.size(); q++) {
            float[] query = new float[512];
            for (int i = 0; i < 512; i++) {
                query[i] = (float) queries.get(q).get(i).asDouble();
            }
            List<Hit> hits = index.search(query, 5);
            for (int r = 0; r < 5; r++) {
                assertThat(hits.get(r).position).isEqualTo(expected.path("ids").get(q).get(r).asInt());
                double faissScore = expected.path("distances").get(q).get(r).asDouble();
                double similarity = l2 ? 1 - faissScore / 2 : faissScore;
                assertThat((double) hits.get(r).score).isCloseTo(similarity, org.assertj.core.data.Offset.offset(1e-4));
            }
        }
    }
}
