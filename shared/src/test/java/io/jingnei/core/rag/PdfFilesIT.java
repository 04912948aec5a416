package io.jingnei.core.rag;

import io.jingnei.core.documents.SourceDocument;
import io.jingnei.core.storage.FileObjectStore;
import io.jingnei.core.testing.KnowledgeFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** PDFs printed by Chromium (and encrypted by qpdf) read by index-build's reader: pages, title, and the two PDFs it cannot read. */
class PdfFilesIT {
    static final String POLICY = "<!doctype html><html><head><meta charset='utf-8'><title>退换货政策</title></head><body>"
            + "<h1>退换货政策</h1><p>自签收之日起七天内，商品完好可无理由退货。</p>"
            + "<div style='page-break-before: always'></div>"
            + "<h2>退款时效</h2><p>退货验收通过后，退款在三个工作日内原路退回。</p></body></html>";

    @TempDir
    Path dir;

    @Test
    void a_printed_pdf_gives_a_section_per_page_titled_by_the_pdf_and_cited_with_its_page() throws Exception {
        Path pdf = KnowledgeFiles.pdf(dir.resolve("退换货政策.pdf"), POLICY);

        SourceDocument doc = new DocumentReader(new FileObjectStore(), RagConfig.DEFAULT_MAX_FILE_BYTES).read(pdf.toUri()).get(0).documents.get(0);

        assertThat(doc.id).isEqualTo("退换货政策.pdf");
        assertThat(doc.sections).hasSize(2);
        assertThat(doc.sections.get(0).title).isEqualTo("退换货政策");
        assertThat(doc.sections.get(0).text).contains("七天内").doesNotContain("三个工作日");
        assertThat(doc.sections.get(1).text).contains("三个工作日内原路退回");
        assertThat(doc.sections.get(1).metadata).containsEntry("page", 2).containsEntry("cite", "退换货政策.pdf · 第2页");
    }

    @Test
    void an_encrypted_pdf_and_a_scan_without_text_are_skipped_with_their_reasons_and_the_readable_one_is_read() throws Exception {
        Path kb = Files.createDirectories(dir.resolve("kb"));
        Path plain = KnowledgeFiles.pdf(kb.resolve("退换货政策.pdf"), POLICY);
        KnowledgeFiles.encrypted(plain, kb.resolve("locked.pdf"));
        KnowledgeFiles.scannedPdf(kb.resolve("scan.pdf"), "<html><body><h1 style='font-size:40px'>扫描件：保修条款一年</h1></body></html>");

        List<DocumentReader.FileDocuments> files = new DocumentReader(new FileObjectStore(), RagConfig.DEFAULT_MAX_FILE_BYTES).read(kb.toUri());
        Map<String, String> skipped = files.stream().filter(f -> f.skipped != null).collect(Collectors.toMap(f -> f.name, f -> f.skipped));

        assertThat(skipped.get("locked.pdf")).startsWith("encrypted PDF");
        assertThat(skipped.get("scan.pdf")).startsWith("no text layer: OCR it first");
        assertThat(files.stream().filter(f -> f.skipped == null).map(f -> f.name)).containsExactly("退换货政策.pdf");
    }
}
