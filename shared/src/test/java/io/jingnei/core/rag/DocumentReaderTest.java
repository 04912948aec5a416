package io.jingnei.core.rag;

import io.jingnei.core.documents.SourceDocument;
import io.jingnei.core.storage.FileObjectStore;
import io.jingnei.core.testing.KnowledgeFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.jingnei.core.testing.KnowledgeFiles.rows;
import static org.assertj.core.api.Assertions.assertThat;

class DocumentReaderTest {
    @TempDir
    Path dir;

    private List<DocumentReader.FileDocuments> readFiles(Path path, long maxFileBytes) {
        return new DocumentReader(new FileObjectStore(), maxFileBytes).read(path.toUri());
    }

    private List<SourceDocument> read(Path path) {
        return readFiles(path, RagConfig.DEFAULT_MAX_FILE_BYTES).stream().flatMap(f -> f.documents.stream()).collect(Collectors.toList());
    }

    private static Map<String, String> skipped(List<DocumentReader.FileDocuments> files) {
        return files.stream().filter(f -> f.skipped != null).collect(Collectors.toMap(f -> f.name, f -> f.skipped));
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
    void reads_a_folder_of_markdown_and_text_files_and_names_what_it_skipped() throws Exception {
        Files.createDirectories(dir.resolve("kb/sub"));
        Files.writeString(dir.resolve("kb/returns.md"), "# 退货\n七天无理由。\n\n## 运费\n质量问题由我们承担运费。");
        Files.writeString(dir.resolve("kb/sub/invoice.txt"), "发票三天内发送。");
        Files.writeString(dir.resolve("kb/image.png"), "not text");
        List<DocumentReader.FileDocuments> files = readFiles(dir.resolve("kb"), RagConfig.DEFAULT_MAX_FILE_BYTES);

        assertThat(files.stream().flatMap(f -> f.documents.stream())).extracting(d -> d.id).containsExactly("returns.md", "sub/invoice.txt");
        SourceDocument returns = files.get(1).documents.get(0);
        assertThat(returns.sections).extracting(s -> s.title).containsExactly("退货", "运费");
        assertThat(returns.sections.get(1).metadata).containsEntry("cite", "returns.md · 运费");
        assertThat(skipped(files)).containsOnlyKeys("image.png");
        assertThat(skipped(files).get("image.png")).startsWith("unknown extension .png");
    }

    @Test
    void a_broken_line_skips_its_file_with_the_line_named_and_the_rest_is_read() throws Exception {
        Files.createDirectories(dir.resolve("kb"));
        Files.writeString(dir.resolve("kb/bad.jsonl"), "{\"id\":\"a\",\"content\":\"x\"}\n{oops\n");
        Files.writeString(dir.resolve("kb/good.txt"), "发票三天内发送。");
        List<DocumentReader.FileDocuments> files = readFiles(dir.resolve("kb"), RagConfig.DEFAULT_MAX_FILE_BYTES);

        assertThat(skipped(files)).containsEntry("bad.jsonl", "line 2 is not valid JSON");
        assertThat(files.stream().flatMap(f -> f.documents.stream())).extracting(d -> d.id).containsExactly("good.txt");
    }

    @Test
    void a_word_document_gives_a_section_per_heading_and_keeps_its_table_row_by_row() throws Exception {
        Path docx = KnowledgeFiles.docx(dir.resolve("售后手册.docx"), List.<String[]>of(
                new String[] {"退货流程", "在订单页点击申请退货，填写原因。", "客服审核后会短信通知。"},
                new String[] {"运费规则", "质量问题的退货运费由商家承担。"}),
                rows("商品类别|退货期限", "服装|30天", "生鲜|不支持退货"));

        SourceDocument doc = read(docx).get(0);

        assertThat(doc.id).isEqualTo("售后手册.docx");
        assertThat(doc.sections).extracting(s -> s.title).containsExactly("退货流程", "运费规则");
        assertThat(doc.sections.get(0).text).contains("申请退货").contains("短信通知");
        assertThat(doc.sections.get(1).text).contains("商品类别: 服装；退货期限: 30天").contains("商品类别: 生鲜；退货期限: 不支持退货");
        assertThat(doc.sections.get(1).metadata).containsEntry("cite", "售后手册.docx · 运费规则");
    }

    @Test
    void an_excel_question_sheet_gives_a_document_per_row_and_other_sheets_read_as_tables() throws Exception {
        Path xlsx = KnowledgeFiles.xlsx(dir.resolve("常见问题.xlsx"), List.of(
                new Object[] {"售后", rows("标准问|答案|负责人", "退款多久到账|原路退回，1-3个工作日到账。|小王", "|空问题不算|")},
                new Object[] {"Shipping", rows("Question|Answer", "Do you ship abroad?|Only to Hong Kong and Macau.")},
                new Object[] {"运费表", rows("地区|首重|续重", "江浙沪|8元|2元", "新疆|20元|10元")}));

        List<SourceDocument> docs = read(xlsx);

        assertThat(docs).extracting(d -> d.id).containsExactly("常见问题.xlsx#售后!2", "常见问题.xlsx#Shipping!2", "常见问题.xlsx");
        SourceDocument refund = docs.get(0);
        assertThat(refund.sections.get(0).title).isEqualTo("退款多久到账");
        assertThat(refund.sections.get(0).text).isEqualTo("原路退回，1-3个工作日到账。");
        assertThat(refund.metadataJson).contains("\"category\":\"售后\"").contains("\"负责人\":\"小王\"");
        assertThat(refund.sections.get(0).metadata).containsEntry("cite", "常见问题.xlsx · 售后 · 第2行");
        SourceDocument tables = docs.get(2);
        assertThat(tables.sections).extracting(s -> s.title).containsExactly("运费表");
        assertThat(tables.sections.get(0).text).isEqualTo("地区: 江浙沪；首重: 8元；续重: 2元\n地区: 新疆；首重: 20元；续重: 10元");
    }

    @Test
    void a_help_page_keeps_its_main_content_without_navigation_scripts_or_styles() throws Exception {
        Path html = Files.writeString(dir.resolve("help/invoice.html".replace("help/", "")), KnowledgeFiles.helpPage("发票说明 - 帮助中心", "如何开具发票",
                "订单完成后，在订单详情页点击申请发票，电子发票三天内发到邮箱。",
                "<table><tr><th>发票类型</th><th>开具时间</th></tr><tr><td>电子普票</td><td>3天</td></tr></table>"));

        SourceDocument doc = read(html).get(0);
        String all = doc.content();

        assertThat(doc.sections).extracting(s -> s.title).containsExactly("如何开具发票");
        assertThat(all).contains("电子发票三天内发到邮箱").contains("发票类型: 电子普票；开具时间: 3天");
        assertThat(all).doesNotContain("导航").doesNotContain("埋点").doesNotContain("脚本写入").doesNotContain("color")
                .doesNotContain("版权所有").doesNotContain("猜你喜欢").doesNotContain("登录");
        assertThat(doc.sections.get(0).metadata).containsEntry("cite", "invoice.html · 如何开具发票");
    }

    @Test
    void corrupt_office_files_zip_bombs_oversized_and_unknown_files_are_skipped_with_their_reason_and_the_rest_is_read() throws Exception {
        Path kb = Files.createDirectories(dir.resolve("kb"));
        Path good = KnowledgeFiles.docx(kb.resolve("good.docx"), List.<String[]>of(new String[] {"发票", "电子发票三天内发送。"}), List.of());
        Path book = KnowledgeFiles.xlsx(dir.resolve("book.xlsx"), List.<Object[]>of(new Object[] {"售后", rows("问题|答案", "退款|三天到账")}));
        KnowledgeFiles.truncated(good, kb.resolve("truncated.docx"));
        KnowledgeFiles.truncated(book, kb.resolve("truncated.xlsx"));
        KnowledgeFiles.zipBomb(good, kb.resolve("bomb.docx"), 40);
        Files.write(kb.resolve("big.txt"), new byte[2048]);
        Files.writeString(kb.resolve("notes.xyz"), "?");

        List<DocumentReader.FileDocuments> files = readFiles(kb, 1024 * 1024);
        Map<String, String> skipped = skipped(files);

        assertThat(skipped.get("truncated.docx")).startsWith("corrupt or truncated DOCX");
        assertThat(skipped.get("truncated.xlsx")).startsWith("corrupt or truncated XLSX");
        assertThat(skipped.get("bomb.docx")).startsWith("zip bomb");
        assertThat(skipped.get("notes.xyz")).startsWith("unknown extension .xyz");
        assertThat(skipped).doesNotContainKey("big.txt");
        assertThat(skipped(readFiles(kb.resolve("big.txt"), 1000)).get("big.txt")).contains("JINGNEI_INDEX_MAX_FILE_BYTES (1000)");
        assertThat(files.stream().flatMap(f -> f.documents.stream())).extracting(d -> d.id).contains("good.docx");
    }
}
