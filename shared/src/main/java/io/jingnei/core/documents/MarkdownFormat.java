package io.jingnei.core.documents;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Markdown file: one document, a section per ATX heading ({@code # ...}), the heading its title. */
final class MarkdownFormat implements FormatReader {
    private static final Pattern HEADING = Pattern.compile("^ {0,3}#{1,6}\\s+(.*?)\\s*#*\\s*$");

    @Override
    public List<SourceDocument> read(FileInput file) {
        Sections sections = new Sections(file, "");
        boolean fenced = false;
        for (String line : file.text().replace("\r\n", "\n").split("\n", -1)) {
            if (line.trim().startsWith("```")) {
                fenced = !fenced;
            }
            Matcher heading = fenced ? null : HEADING.matcher(line);
            if (heading != null && heading.matches()) {
                sections.heading(heading.group(1));
            } else {
                sections.append(line).append("\n");
            }
        }
        return sections.document();
    }
}
