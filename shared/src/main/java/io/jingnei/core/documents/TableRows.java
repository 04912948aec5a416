package io.jingnei.core.documents;

import java.util.List;

/**
 * A table kept row by row with its header: each row becomes one line "列名: 值；列名: 值", so a
 * chunk cut between rows still says what each value is.
 */
final class TableRows {
    private TableRows() {
    }

    /** {@code rows} with the header first; blank rows are left out. */
    static String render(List<List<String>> rows) {
        if (rows.isEmpty()) {
            return "";
        }
        List<String> header = rows.get(0);
        StringBuilder out = new StringBuilder();
        if (rows.size() == 1) {
            return String.join("；", header);
        }
        for (List<String> row : rows.subList(1, rows.size())) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.size(); c++) {
                String value = row.get(c).trim();
                if (value.isEmpty()) {
                    continue;
                }
                String name = c < header.size() ? header.get(c).trim() : "";
                line.append(line.length() == 0 ? "" : "；").append(name.isEmpty() ? value : name + ": " + value);
            }
            if (line.length() > 0) {
                out.append(line).append('\n');
            }
        }
        return out.toString().trim();
    }
}
