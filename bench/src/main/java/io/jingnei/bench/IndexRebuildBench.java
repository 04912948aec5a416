package io.jingnei.bench;

import io.jingnei.core.embed.OnnxEmbedder;
import io.jingnei.core.rag.IndexBuilder;
import io.jingnei.core.rag.TextChunker;
import io.jingnei.core.storage.FileObjectStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * index-build over a folder of {@code documents} Markdown files with the local model: a full build,
 * a rebuild with nothing changed, and one with one file changed (its vectors embedded again, the
 * rest reused from the previous version). Wall time of the whole build, reading and writing included.
 */
final class IndexRebuildBench {
    private final int documents;

    IndexRebuildBench(int documents) {
        this.documents = documents;
    }

    void run(Report report, Path work) throws Exception {
        report.heading("Incremental index rebuild", String.format("index-build (the CLI's code path) over a folder of %,d Markdown files "
                + "(a heading and about 120 characters each, one chunk), local bge-small-zh-v1.5 on all cores, file:// storage. "
                + "Rebuilds reuse the vectors of chunks whose text and title are unchanged.", documents));
        Path kb = Files.createDirectories(work.resolve("rebuild-kb"));
        for (int i = 0; i < documents; i++) {
            Files.writeString(kb.resolve("doc-" + i + ".md"), document(i, "七天无理由退货"));
        }
        String out = work.resolve("rebuild-index/kb.jnix").toUri().toString();
        List<List<String>> rows = new ArrayList<>();
        try (OnnxEmbedder embedder = OnnxEmbedder.load(Runtime.getRuntime().availableProcessors())) {
            IndexBuilder builder = new IndexBuilder(new FileObjectStore(), embedder, new TextChunker(300, 50));
            embedder.embed(List.of("预热")); // the model's first call is not the build's
            IndexBuilder.Result full = builder.build(kb.toUri().toString(), out, false, (d, a) -> { });
            rows.add(row("full build", full, full));
            IndexBuilder.Result same = builder.build(kb.toUri().toString(), out, false, (d, a) -> { });
            rows.add(row("rebuild, nothing changed", same, full));
            Files.writeString(kb.resolve("doc-17.md"), document(17, "三十天无理由退货（已更新）"));
            IndexBuilder.Result one = builder.build(kb.toUri().toString(), out, false, (d, a) -> { });
            rows.add(row("rebuild, one file changed", one, full));
        }
        report.table(List.of("build", "seconds", "of a full build", "documents embedded", "reused", "removed"), rows);
    }

    private static List<String> row(String name, IndexBuilder.Result result, IndexBuilder.Result full) {
        return List.of(name, String.format("%.2f", result.millis / 1000.0), String.format("%.1f %%", 100.0 * result.millis / full.millis),
                String.valueOf(result.embedded), String.valueOf(result.reused), String.valueOf(result.removed));
    }

    private static String document(int i, String policy) {
        return "# 商品" + i + "的售后说明\n商品" + i + "支持" + policy + "，签收后请保留包装和配件；质量问题由商家承担运费，"
                + "退款在验收通过后三个工作日内原路退回，编号" + i + "的订单可在订单详情页申请。\n";
    }

    /** {@code java ... io.jingnei.bench.IndexRebuildBench <out.md> [documents]}: this table alone. */
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Report report = new Report(out);
        new IndexRebuildBench(args.length > 1 ? Integer.parseInt(args[1]) : 1000).run(report, Files.createTempDirectory("jingnei-rebuild"));
        System.exit(0);
    }
}
