package io.jingnei.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.testing.FakeUpstream;
import io.jingnei.core.testing.KnowledgeFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.jingnei.core.testing.KnowledgeFiles.rows;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A folder of the files a customer-service team has (PDF printed by Chromium, one encrypted by
 * qpdf, Word and Excel written by POI, a help page with navigation and scripts, Markdown, JSONL,
 * CSV, text) indexed through the packaged app's /index-build with an admin key; the running
 * instance, started before any index existed, loads it by itself and answers a question for each format with that file as its
 * source. Chat, rag-query and rag-stream load no parser class; index-build does.
 */
class MixedKnowledgeBaseIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "ak-admin-mixed-0001";
    private static final String CLIENT = "ck-mixed-client-01";
    private static final List<String> PARSER_PACKAGES = List.of("org.apache.pdfbox.", "org.apache.poi.", "org.jsoup.", "org.apache.xmlbeans.");
    private static FakeUpstream upstream;
    private static AppProcess app;
    private static Path root;
    private static Path classLog;

    @BeforeAll
    static void start() throws Exception {
        upstream = FakeUpstream.start();
        root = Files.createTempDirectory("jingnei-mixed-").toRealPath();
        Files.createDirectories(root.resolve("index"));
        classLog = root.resolve("classes.log");
        Map<String, String> env = new HashMap<>();
        env.put("JINGNEI_LLM_BASE_URL", upstream.baseUrl());
        env.put("JINGNEI_LLM_API_KEY", FakeUpstream.KEY);
        env.put("JINGNEI_ADMIN_KEYS", ADMIN);
        env.put("JINGNEI_CLIENT_KEYS", CLIENT + ":shop");
        env.put("JINGNEI_CACHE", "off");
        env.put("JINGNEI_INDEX_URI", root.resolve("index/kb.jnix").toUri().toString());
        env.put("JINGNEI_INDEX_RELOAD_INTERVAL", "1s");
        env.put("JINGNEI_STORAGE_ALLOW", root.toUri().toString());
        env.put("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + classLog);
        app = AppProcess.start(env);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        upstream.close();
    }

    private static Path knowledgeBase() throws Exception {
        Path kb = Files.createDirectories(root.resolve("kb"));
        Path policy = KnowledgeFiles.pdf(kb.resolve("退换货政策.pdf"), "<!doctype html><html><head><meta charset='utf-8'><title>退换货政策</title></head>"
                + "<body><h1>退换货政策</h1><p>自签收之日起七天内，商品完好可以无理由退货。</p><div style='page-break-before: always'></div>"
                + "<h2>退款时效</h2><p>退货验收通过后，退款会在三个工作日内原路退回到您的支付账户。</p></body></html>");
        KnowledgeFiles.encrypted(policy, kb.resolve("内部价格表.pdf"));
        KnowledgeFiles.docx(kb.resolve("售后手册.docx"), List.<String[]>of(
                new String[] {"保修服务", "电子产品整机保修一年，电池和屏幕等主要部件保修三年。"},
                new String[] {"维修网点", "全国三百多个城市设有授权维修网点，可在官网查询地址。"}), List.of());
        KnowledgeFiles.xlsx(kb.resolve("常见问题.xlsx"), List.<Object[]>of(
                new Object[] {"发票", rows("问题|答案", "可以开增值税专用发票吗|可以，在订单详情页申请增值税专用发票，需要填写公司税号和开户行。")}));
        Files.writeString(kb.resolve("会员积分.html"), KnowledgeFiles.helpPage("会员积分 - 帮助中心", "积分有效期",
                "会员积分的有效期为一年，每年十二月三十一日统一清零，请及时使用。", ""));
        Files.writeString(kb.resolve("配送说明.md"), "# 偏远地区配送\n新疆、西藏地区的订单配送需要七到十天。\n");
        Files.writeString(kb.resolve("gift.jsonl"), "{\"id\":\"gift-card\",\"content\":\"礼品卡不能兑换现金，也不能找零，有效期三年。\"}\n");
        Files.writeString(kb.resolve("account.csv"), "id,content\npassword-reset,忘记登录密码时，可以通过绑定手机的短信验证码重置密码。\n");
        Files.writeString(kb.resolve("客服时间.txt"), "人工客服的工作时间为每天早上九点到晚上九点，节假日照常服务。");
        Files.writeString(kb.resolve("logo.png"), "not a document");
        return kb;
    }

    @Test
    void a_folder_of_mixed_files_is_indexed_and_each_format_answers_with_its_file_as_the_source() throws Exception {
        // Before any build: chat, rag-query and rag-stream run and load no parser class.
        app.post("/chat", CLIENT, "{\"query\":\"你好\"}");
        app.post("/rag-query", CLIENT, "{\"query\":\"退货要多久\"}");
        app.post("/rag-stream", CLIENT, "{\"query\":\"退货要多久\"}");
        assertThat(loadedParserClasses()).as("parser classes loaded by chat, rag-query and rag-stream").isEmpty();

        Path kb = knowledgeBase();
        HttpResponse<String> built = app.post("/index-build", ADMIN,
                "{\"input\":\"" + kb.toUri() + "\",\"output\":\"" + root.resolve("index/kb.jnix").toUri() + "\"}");

        assertThat(built.statusCode()).as(built.body()).isEqualTo(200);
        JsonNode result = JSON.readTree(built.body()).path("result");
        Map<String, String> status = new LinkedHashMap<>();
        result.path("files").forEach(f -> status.put(f.path("file").asText(), f.path("status").asText() + " " + f.path("reason").asText("")));
        assertThat(status).hasSize(10);
        assertThat(status.get("内部价格表.pdf")).startsWith("skipped encrypted PDF");
        assertThat(status.get("logo.png")).startsWith("skipped unknown extension .png");
        assertThat(status.values().stream().filter(s -> s.startsWith("indexed"))).hasSize(8);
        assertThat(result.path("version").asLong()).isEqualTo(1);
        assertThat(loadedParserClasses()).as("index-build loads the parsers").isNotEmpty();

        Map<String, String[]> questions = new LinkedHashMap<>();
        questions.put("退款多久能原路退回？", new String[] {"退换货政策.pdf", "退换货政策.pdf · 第2页"});
        questions.put("电子产品保修多久？", new String[] {"售后手册.docx", "售后手册.docx · 保修服务"});
        questions.put("能开增值税专用发票吗？", new String[] {"常见问题.xlsx#发票!2", "常见问题.xlsx · 发票 · 第2行"});
        questions.put("会员积分什么时候清零？", new String[] {"会员积分.html", "会员积分.html · 积分有效期"});
        questions.put("新疆的订单配送要几天？", new String[] {"配送说明.md", "配送说明.md · 偏远地区配送"});
        questions.put("礼品卡能兑换现金吗？", new String[] {"gift-card", null});
        questions.put("忘记登录密码怎么办？", new String[] {"password-reset", null});
        questions.put("人工客服几点上班？", new String[] {"客服时间.txt", "客服时间.txt"});
        awaitServed("退款多久能原路退回？", "退换货政策.pdf");
        for (Map.Entry<String, String[]> question : questions.entrySet()) {
            JsonNode answer = JSON.readTree(app.post("/rag-query", CLIENT, "{\"query\":\"" + question.getKey() + "\"}").body());
            JsonNode source = answer.path("sources").path(0);
            assertThat(answer.path("status").asText()).as(question.getKey() + ": " + answer).isEqualTo("success");
            assertThat(source.path("id").asText()).as(question.getKey()).isEqualTo(question.getValue()[0]);
            if (question.getValue()[1] != null) {
                assertThat(source.path("metadata").path("cite").asText()).as(question.getKey()).isEqualTo(question.getValue()[1]);
            }
        }
        assertThat(JSON.readTree(app.post("/rag-query", CLIENT, "{\"query\":\"电子产品保修多久？\"}").body()).toString())
                .doesNotContain("导航").doesNotContain("埋点");
    }

    /**
     * The instance started without an index and loads it again with backoff (up to 30 s between
     * tries): ask until the new version answers (bounded).
     */
    private static void awaitServed(String question, String sourceId) throws Exception {
        for (int i = 0; i < 400; i++) {
            JsonNode answer = JSON.readTree(app.post("/rag-query", CLIENT, "{\"query\":\"" + question + "\"}").body());
            if (answer.path("sources").path(0).path("id").asText().equals(sourceId)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the instance never served the new index version");
    }

    private static List<String> loadedParserClasses() throws Exception {
        return Files.readAllLines(classLog).stream()
                .filter(line -> PARSER_PACKAGES.stream().anyMatch(line::contains) || line.contains("io.jingnei.core.documents.PdfFormat")
                        || line.contains("io.jingnei.core.documents.DocxFormat") || line.contains("io.jingnei.core.documents.HtmlFormat"))
                .collect(java.util.stream.Collectors.toList());
    }
}
