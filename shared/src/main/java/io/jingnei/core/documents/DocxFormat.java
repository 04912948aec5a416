package io.jingnei.core.documents;

import org.apache.poi.xwpf.usermodel.IBodyElement;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFStyle;
import org.apache.poi.xwpf.usermodel.XWPFTable;
import org.apache.poi.xwpf.usermodel.XWPFTableCell;
import org.apache.poi.xwpf.usermodel.XWPFTableRow;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A Word document (POI): one document, a section per heading (the heading its title), tables row
 * by row with their header. Headings are paragraphs in a heading or title style, by id or name:
 * Word writes {@code Heading1}, Chinese Word {@code 1} named "heading 1" (shown as 标题 1).
 */
final class DocxFormat implements FormatReader {
    private static final Pattern HEADING = Pattern.compile("(?i)(heading|标题)\\s*[1-9]|title|[1-9]");

    @Override
    public List<SourceDocument> read(FileInput file) throws UnreadableFileException {
        OoxmlLimits.apply();
        try (XWPFDocument docx = new XWPFDocument(new ByteArrayInputStream(file.bytes))) {
            Sections sections = new Sections(file, "");
            for (IBodyElement element : docx.getBodyElements()) {
                if (element instanceof XWPFParagraph) {
                    XWPFParagraph paragraph = (XWPFParagraph) element;
                    String line = paragraph.getText().trim();
                    if (isHeading(docx, paragraph) && !line.isEmpty()) {
                        sections.heading(line);
                    } else if (!line.isEmpty()) {
                        sections.append(line).append("\n");
                    }
                } else if (element instanceof XWPFTable) {
                    sections.append("\n").append(TableRows.render(rows((XWPFTable) element))).append("\n\n");
                }
            }
            return sections.document();
        } catch (Exception | LinkageError e) {
            throw new UnreadableFileException(OoxmlLimits.reason("DOCX", e), e);
        }
    }

    private static boolean isHeading(XWPFDocument docx, XWPFParagraph paragraph) {
        String id = paragraph.getStyleID();
        if (id == null) {
            return false;
        }
        if (HEADING.matcher(id).matches()) {
            return true;
        }
        XWPFStyle style = docx.getStyles() == null ? null : docx.getStyles().getStyle(id);
        String name = style == null || style.getName() == null ? "" : style.getName().toLowerCase(Locale.ROOT);
        return HEADING.matcher(name).matches();
    }

    private static List<List<String>> rows(XWPFTable table) {
        List<List<String>> rows = new ArrayList<>();
        for (XWPFTableRow row : table.getRows()) {
            List<String> cells = new ArrayList<>();
            for (XWPFTableCell cell : row.getTableCells()) {
                cells.add(cell.getText().replace('\n', ' ').trim());
            }
            rows.add(cells);
        }
        return rows;
    }
}
