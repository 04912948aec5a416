package io.jingnei.core.testing;

import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFTable;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Knowledge-base files made by the tools that make them for real: DOCX and XLSX written by POI,
 * PDFs printed by Chromium from HTML, encrypted by qpdf, a scan (a PDF of a picture of text) by
 * Chromium twice, a zip bomb by the JDK's zip writer inside a POI document. Nothing is hand-written bytes.
 */
public final class KnowledgeFiles {
    private KnowledgeFiles() {
    }

    /** {@code html} printed to {@code pdf} by headless Chromium (its {@code <title>} becomes the PDF's title). */
    public static Path pdf(Path pdf, String html) throws IOException, InterruptedException {
        Path page = Files.writeString(pdf.resolveSibling(pdf.getFileName() + ".src.html"), html);
        run(List.of("/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                "--user-data-dir=" + Files.createTempDirectory("jingnei-chromium"), "--print-to-pdf=" + pdf.toAbsolutePath(),
                page.toUri().toString()));
        Files.delete(page);
        return pdf;
    }

    /** A PDF whose pages are pictures of text (no text layer): a screenshot of {@code html}, printed. */
    public static Path scannedPdf(Path pdf, String html) throws IOException, InterruptedException {
        Path page = Files.writeString(pdf.resolveSibling("scan-src.html"), html);
        Path png = pdf.resolveSibling("scan.png");
        run(List.of("/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--user-data-dir=" + Files.createTempDirectory("jingnei-chromium"), "--window-size=800,600",
                "--screenshot=" + png.toAbsolutePath(), page.toUri().toString()));
        pdf(pdf, "<html><body style='margin:0'><img src='" + png.toUri() + "' width='700'></body></html>");
        Files.delete(page);
        Files.delete(png);
        return pdf;
    }

    /** {@code plain} encrypted by qpdf with a user password (AES-256): it cannot be opened without it. */
    public static Path encrypted(Path plain, Path out) throws IOException, InterruptedException {
        run(List.of("qpdf", "--encrypt", "user-secret", "owner-secret", "256", "--", plain.toString(), out.toString()));
        return out;
    }

    /** A Word document: headings (Word's Heading1/Heading2 styles) over paragraphs, and a table. */
    public static Path docx(Path file, List<String[]> headingsAndText, List<List<String>> table) throws IOException {
        try (XWPFDocument doc = new XWPFDocument(); OutputStream out = Files.newOutputStream(file)) {
            for (String[] part : headingsAndText) {
                XWPFParagraph heading = doc.createParagraph();
                heading.setStyle("Heading1");
                heading.createRun().setText(part[0]);
                for (int i = 1; i < part.length; i++) {
                    doc.createParagraph().createRun().setText(part[i]);
                }
            }
            if (!table.isEmpty()) {
                XWPFTable t = doc.createTable(table.size(), table.get(0).size());
                for (int r = 0; r < table.size(); r++) {
                    for (int c = 0; c < table.get(r).size(); c++) {
                        t.getRow(r).getCell(c).setText(table.get(r).get(c));
                    }
                }
            }
            doc.write(out);
        }
        return file;
    }

    /** A workbook with one sheet per entry: name, then rows (the first the header). */
    public static Path xlsx(Path file, List<Object[]> sheets) throws IOException {
        try (XSSFWorkbook book = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(file)) {
            for (Object[] sheetSpec : sheets) {
                Sheet sheet = book.createSheet((String) sheetSpec[0]);
                @SuppressWarnings("unchecked")
                List<List<String>> rows = (List<List<String>>) sheetSpec[1];
                for (int r = 0; r < rows.size(); r++) {
                    Row row = sheet.createRow(r);
                    for (int c = 0; c < rows.get(r).size(); c++) {
                        row.createCell(c).setCellValue(rows.get(r).get(c));
                    }
                }
            }
            book.write(out);
        }
        return file;
    }

    /** The first half of a file: an upload that broke off. */
    public static Path truncated(Path whole, Path out) throws IOException {
        byte[] bytes = Files.readAllBytes(whole);
        return Files.write(out, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    }

    /**
     * A copy of a real OOXML file with one more entry: {@code megabytes} of zeros, which deflate about
     * a thousand to one (a zip bomb in miniature).
     */
    public static Path zipBomb(Path real, Path out, int megabytes) throws IOException {
        try (ZipFile in = new ZipFile(real.toFile()); ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            for (ZipEntry entry : java.util.Collections.list(in.entries())) {
                zip.putNextEntry(new ZipEntry(entry.getName()));
                in.getInputStream(entry).transferTo(zip);
                zip.closeEntry();
            }
            zip.putNextEntry(new ZipEntry("word/media/padding.bin"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < megabytes; i++) {
                zip.write(zeros);
            }
            zip.closeEntry();
        }
        return out;
    }

    /** A help-centre page: navigation, a header, scripts and styles around the article. */
    public static String helpPage(String title, String heading, String body, String tableHtml) {
        return "<!doctype html><html><head><meta charset='utf-8'><title>" + title + "</title>"
                + "<style>.nav{color:red} body{font-family:sans-serif}</style>"
                + "<script>var tracking = '埋点脚本不应被索引';</script></head><body>"
                + "<header><a href='/'>帮助中心首页</a> 登录 注册</header>"
                + "<nav><ul><li><a href='/a'>导航：账户设置</a></li><li><a href='/b'>导航：联系我们</a></li></ul></nav>"
                + "<main><h1>" + heading + "</h1><p>" + body + "</p>" + tableHtml + "</main>"
                + "<aside>猜你喜欢：热门商品推荐</aside><footer>版权所有 © 示例公司 备案号</footer>"
                + "<script>document.write('脚本写入的文字');</script></body></html>";
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(command.get(0) + " failed: " + new String(output, StandardCharsets.UTF_8));
        }
    }

    /** Rows from literals: {@code rows("问题|答案", "a|b")}. */
    public static List<List<String>> rows(String... lines) {
        List<List<String>> out = new ArrayList<>();
        for (String line : lines) {
            out.add(List.of(line.split("\\|", -1)));
        }
        return out;
    }
}
