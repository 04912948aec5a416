package io.jingnei.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** bench/RESULTS.md, written section by section so a failed section still leaves the others. */
final class Report {
    private final StringBuilder text = new StringBuilder();
    private final Path file;

    Report(Path file) {
        this.file = file;
    }

    void heading(String title, String note) throws IOException {
        text.append("\n## ").append(title).append("\n\n");
        if (note != null && !note.isEmpty()) {
            text.append(note).append("\n\n");
        }
        save();
    }

    void paragraph(String line) throws IOException {
        text.append(line).append("\n\n");
        save();
    }

    void table(List<String> header, List<List<String>> rows) throws IOException {
        text.append("| ").append(String.join(" | ", header)).append(" |\n");
        text.append("|").append(" --- |".repeat(header.size())).append("\n");
        for (List<String> row : rows) {
            text.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        text.append("\n");
        save();
        System.out.println(header + "\n" + rows);
    }

    void raw(String markdown) throws IOException {
        text.append(markdown);
        save();
    }

    private void save() throws IOException {
        Files.writeString(file, text.toString());
    }
}
