package io.jingnei.core.documents;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.util.Json;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An Excel workbook (POI). A sheet whose header names a question and an answer column (问题/答案,
 * 标准问/答案, question/answer) gives one document per row: the question its title, the answer its
 * text, the sheet name its {@code category}, other columns metadata. Any other sheet is a table:
 * one section per sheet, rows kept with their header.
 */
final class XlsxFormat implements FormatReader {
    private static final ObjectMapper JSON = Json.mapper();
    private static final Set<String> QUESTION = Set.of("问题", "标准问", "标准问题", "常见问题", "问", "question", "q");
    private static final Set<String> ANSWER = Set.of("答案", "标准答案", "回答", "答复", "答", "answer", "a");

    private final DataFormatter formatter = new DataFormatter(Locale.ROOT);

    @Override
    public List<SourceDocument> read(FileInput file) throws UnreadableFileException {
        OoxmlLimits.apply();
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(file.bytes))) {
            List<SourceDocument> documents = new ArrayList<>();
            Sections tables = new Sections(file, "");
            for (Sheet sheet : workbook) {
                List<List<String>> rows = rows(sheet);
                if (rows.isEmpty()) {
                    continue;
                }
                int question = column(rows.get(0), QUESTION);
                int answer = column(rows.get(0), ANSWER);
                if (question >= 0 && answer >= 0) {
                    questionRows(file, sheet, rows, question, answer, documents);
                } else {
                    tables.heading(sheet.getSheetName());
                    tables.append(TableRows.render(rows));
                }
            }
            documents.addAll(tables.document());
            return documents;
        } catch (Exception | LinkageError e) {
            throw new UnreadableFileException(OoxmlLimits.reason("XLSX", e), e);
        }
    }

    private void questionRows(FileInput file, Sheet sheet, List<List<String>> rows, int question, int answer, List<SourceDocument> out) {
        List<String> header = rows.get(0);
        for (int r = 1; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            String q = cell(row, question);
            String a = cell(row, answer);
            if (q.isEmpty() || a.isEmpty()) {
                continue;
            }
            ObjectNode metadata = (ObjectNode) JSON.createObjectNode()
                    .put("source", file.uri.toString()).put("file", file.fileName()).put("category", sheet.getSheetName());
            for (int c = 0; c < header.size(); c++) {
                if (c != question && c != answer && !header.get(c).isBlank() && !cell(row, c).isEmpty()) {
                    metadata.put(header.get(c).trim(), cell(row, c));
                }
            }
            String cite = Cite.of(file, sheet.getSheetName() + " · 第" + (r + 1) + "行");
            out.add(new SourceDocument(file.name + "#" + sheet.getSheetName() + "!" + (r + 1), metadata.toString(),
                    List.of(new SourceDocument.Section(q, a, Cite.metadata(cite, "row", r + 1)))));
        }
    }

    /** The sheet's rows from its first non-empty one (the header), as text; blank rows dropped. */
    private List<List<String>> rows(Sheet sheet) {
        List<List<String>> rows = new ArrayList<>();
        for (Row row : sheet) {
            List<String> cells = new ArrayList<>();
            boolean any = false;
            for (int c = 0; c < Math.max(0, row.getLastCellNum()); c++) {
                String value = text(row.getCell(c));
                cells.add(value);
                any |= !value.isEmpty();
            }
            if (any) {
                rows.add(cells);
            }
        }
        return rows;
    }

    /** A cell as shown; a formula cell by the value Excel saved with it (nothing is recalculated). */
    private String text(Cell cell) {
        if (cell == null) {
            return "";
        }
        if (cell.getCellType() == CellType.FORMULA) {
            switch (cell.getCachedFormulaResultType()) {
                case NUMERIC: return formatter.formatRawCellContents(cell.getNumericCellValue(), cell.getCellStyle().getDataFormat(),
                        cell.getCellStyle().getDataFormatString()).trim();
                case STRING: return cell.getStringCellValue().trim();
                case BOOLEAN: return String.valueOf(cell.getBooleanCellValue());
                default: return "";
            }
        }
        return formatter.formatCellValue(cell).trim();
    }

    private static int column(List<String> header, Set<String> names) {
        for (int c = 0; c < header.size(); c++) {
            if (names.contains(header.get(c).trim().toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        return -1;
    }

    private static String cell(List<String> row, int c) {
        return c < row.size() ? row.get(c).trim() : "";
    }
}
