package io.jingnei.core.rag;

import io.jingnei.core.storage.FileObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DocumentReaderTest {
    @TempDir
    Path dir;

    private List<SourceDocument> read(Path path) throws Exception {
        return new DocumentReader(new FileObjectStore()).read(path.toUri()).get(5, TimeUnit.SECONDS);
    }

    @Test
    void reads_jsonl_with_ids_and_metadata() throws Exception {
        Path file = Files.writeString(dir.resolve("kb.jsonl"),
                "{\"id\":\"a\",\"content\":\"退货政策\",\"metadata\":{\"category\":\"售后\"}}\n\n{\"id\":\"b\",\"content\":\"发票\"}\n");
        List<SourceDocument> docs = read(file);

        assertThat(docs).extracting(d -> d.id).containsExactly("a", "b");
        assertThat(docs.get(0).metadataJson).isEqualTo("{\"category\":\"售后\"}");
    }

    @Test
    void reads_csv_with_quoted_commas_quotes_and_line_breaks_and_a_bom() throws Exception {
        Path file = dir.resolve("kb.csv");
        Files.write(file, ("\uFEFFid,content,category\n1,\"退货，需要\"\"完好\"\"包装\n第二行\",售后\n2,发票说明,财务\n").getBytes(StandardCharsets.UTF_8));
        List<SourceDocument> docs = read(file);

        assertThat(docs).hasSize(2);
        assertThat(docs.get(0).id).isEqualTo("1");
        assertThat(docs.get(0).content()).isEqualTo("退货，需要\"完好\"包装\n第二行");
        assertThat(docs.get(1).metadataJson).isEqualTo("{\"category\":\"财务\"}");
    }

    @Test
    void reads_a_folder_of_markdown_and_text_files() throws Exception {
        Files.createDirectories(dir.resolve("kb/sub"));
        Files.writeString(dir.resolve("kb/returns.md"), "# 退货\n七天无理由。");
        Files.writeString(dir.resolve("kb/sub/invoice.txt"), "发票三天内发送。");
        Files.writeString(dir.resolve("kb/image.png"), "not text");
        List<SourceDocument> docs = read(dir.resolve("kb"));

        assertThat(docs).extracting(d -> d.id).containsExactly("returns.md", "sub/invoice.txt");
    }

    @Test
    void a_broken_line_is_named() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.jsonl"), "{\"id\":\"a\",\"content\":\"x\"}\n{oops\n");
        assertThatThrownBy(() -> read(file)).isInstanceOf(ExecutionException.class).hasMessageContaining("line 2");
    }
}
