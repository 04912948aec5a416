package io.jingnei.core.text;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * RFC 4180 CSV, the one reader for knowledge bases and faq-batch inputs: quoted fields may hold
 * commas, quotes ({@code ""}) and line breaks. Push-style, so a large file read in ranges is
 * parsed as it arrives: {@link #feed} any piece of text, {@link #finish} at the end. Each row comes
 * with the line it started on. Not thread-safe.
 */
public final class CsvReader {
    /** One record and the (1-based) line it starts on. */
    public static final class Row {
        public final int line;
        public final List<String> fields;

        Row(int line, List<String> fields) {
            this.line = line;
            this.fields = fields;
        }
    }

    private final Consumer<Row> onRow;
    private List<String> row = new ArrayList<>();
    private final StringBuilder field = new StringBuilder();
    private boolean quoted;
    /** A quote seen inside a quoted field: either the end of the field or the first of "". */
    private boolean quoteInQuoted;
    private boolean lastWasCr;
    private int line = 1;
    private int rowStart = 1;

    public CsvReader(Consumer<Row> onRow) {
        this.onRow = onRow;
    }

    /** Parses a whole text at once. */
    public static List<Row> parse(String text) {
        List<Row> rows = new ArrayList<>();
        CsvReader reader = new CsvReader(rows::add);
        reader.feed(text);
        reader.finish();
        return rows;
    }

    public void feed(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            accept(text.charAt(i));
        }
    }

    private void accept(char c) {
        if (c == '\n' && lastWasCr) {
            lastWasCr = false;
            return; // the LF of a CRLF already ended the line
        }
        lastWasCr = c == '\r';
        if (quoteInQuoted) {
            quoteInQuoted = false;
            if (c == '"') {
                field.append('"');
                return;
            }
            quoted = false; // that quote closed the field; c is handled below
        }
        if (quoted) {
            if (c == '"') {
                quoteInQuoted = true;
            } else {
                if (c == '\n' || c == '\r') {
                    line++;
                    field.append('\n');
                } else {
                    field.append(c);
                }
            }
            return;
        }
        switch (c) {
            case '"':
                if (field.length() == 0) {
                    quoted = true;
                } else {
                    field.append(c); // a stray quote inside an unquoted field is kept as text
                }
                break;
            case ',':
                row.add(field.toString());
                field.setLength(0);
                break;
            case '\n':
            case '\r':
                endRow();
                line++;
                rowStart = line;
                break;
            default:
                field.append(c);
        }
    }

    private void endRow() {
        row.add(field.toString());
        field.setLength(0);
        if (!(row.size() == 1 && row.get(0).isEmpty())) {
            onRow.accept(new Row(rowStart, row));
        }
        row = new ArrayList<>();
    }

    /** The end of the text: a last row without its line break is still delivered. */
    public void finish() {
        quoteInQuoted = false;
        quoted = false;
        if (field.length() > 0 || !row.isEmpty()) {
            endRow();
        }
    }
}
