package io.jingnei.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** bench/RESULTS.md, written section by section so a failed section still leaves the others. */
final class Report {
    private final StringBuilder text = new StringBuilder();
    private final Path file;
    /** Where the targets table goes (after the header), and its rows as the benchmarks report them. */
    private int targetsAt = -1;
    private final List<List<String>> targets = new ArrayList<>();

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

    /** Marks where the performance targets table is printed: the rows come in later, from the benchmarks that measure them. */
    void targetsHere() {
        targetsAt = text.length();
    }

    /**
     * One row of the targets table: the figure, Jingnei's and Portkey's measurements in this run, the target, and
     * whether it was met; when it was not, {@code limit} says what was measured to limit it (where to read more).
     */
    void target(String figure, String measured, String portkey, String target, boolean met, String limit) throws IOException {
        targets.add(List.of(figure, measured, portkey, target, met ? "met" : "**not met**: " + limit));
        save();
    }

    void raw(String markdown) throws IOException {
        text.append(markdown);
        save();
    }

    /**
     * Puts the sections of a partial run ({@code --only}) into the full results: a section with the
     * same heading is replaced, a new one is appended; the header and the targets table are left as
     * the last full run wrote them.
     */
    static void splice(Path partial, Path results) throws IOException {
        Map<String, String> fresh = sections(Files.readString(partial));
        String full = Files.readString(results);
        StringBuilder out = new StringBuilder();
        int at = full.indexOf("\n## ");
        out.append(at < 0 ? full : full.substring(0, at));
        Map<String, String> old = sections(full);
        for (Map.Entry<String, String> section : old.entrySet()) {
            out.append(fresh.getOrDefault(section.getKey(), section.getValue()));
        }
        for (Map.Entry<String, String> section : fresh.entrySet()) {
            if (!old.containsKey(section.getKey()) && !section.getKey().equals("## Performance targets")) {
                out.append(section.getValue());
            }
        }
        Files.writeString(results, out.toString());
    }

    /** "## heading" line to the section's text (from its newline to the next heading), in order. */
    private static Map<String, String> sections(String markdown) {
        Map<String, String> sections = new java.util.LinkedHashMap<>();
        int at = markdown.indexOf("\n## ");
        while (at >= 0) {
            int next = markdown.indexOf("\n## ", at + 1);
            String section = markdown.substring(at, next < 0 ? markdown.length() : next);
            int lineEnd = section.indexOf('\n', 1);
            sections.put(section.substring(1, lineEnd < 0 ? section.length() : lineEnd).trim(), section);
            at = next;
        }
        return sections;
    }

    private void save() throws IOException {
        if (targetsAt < 0 || targets.isEmpty()) {
            Files.writeString(file, text.toString());
            return;
        }
        StringBuilder table = new StringBuilder("\n## Performance targets\n\nThe figures issue 15 set, as this run measured them; "
                + "the sections below have the details. \"Not met\" says what limits the figure, as measured.\n\n"
                + "| figure | Jingnei | Portkey 1.15 | target | |\n| --- | --- | --- | --- | --- |\n");
        for (List<String> row : targets) {
            table.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        Files.writeString(file, text.substring(0, targetsAt) + table + text.substring(targetsAt));
    }
}
