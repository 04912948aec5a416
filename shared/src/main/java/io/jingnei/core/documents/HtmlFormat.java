package io.jingnei.core.documents;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A help-centre page (jsoup): its main content only ({@code main}, {@code article} or
 * {@code [role=main]}, else the body), without navigation, headers, footers, scripts, styles or
 * forms; a section per heading, tables row by row with their header. Text before the first
 * heading is titled by the page's {@code <title>}.
 */
final class HtmlFormat implements FormatReader {
    private static final String NOT_CONTENT = "script, style, noscript, template, nav, header, footer, aside, form, iframe, svg, "
            + "button, select, [role=navigation], [role=banner], [role=contentinfo], [role=search], [aria-hidden=true], [hidden]";

    @Override
    public List<SourceDocument> read(FileInput file) throws UnreadableFileException {
        try {
            Document page = Jsoup.parse(file.text(), file.uri.toString());
            String pageTitle = page.title().isBlank() ? file.stem() : page.title().trim();
            Element main = page.selectFirst("main, article, [role=main]");
            Element root = main != null ? main : page.body();
            root.select(NOT_CONTENT).remove();
            Sections sections = new Sections(file, pageTitle);
            walk(root, sections);
            return sections.document();
        } catch (RuntimeException e) {
            throw new UnreadableFileException("unreadable HTML: " + e.getMessage(), e);
        }
    }

    private static void walk(Element element, Sections sections) {
        for (Node node : element.childNodes()) {
            if (node instanceof TextNode) {
                sections.append(((TextNode) node).text());
            } else if (node instanceof Element) {
                Element child = (Element) node;
                String tag = child.normalName();
                if (tag.length() == 2 && tag.charAt(0) == 'h' && Character.isDigit(tag.charAt(1))) {
                    sections.heading(child.text());
                } else if (tag.equals("table")) {
                    sections.append("\n").append(TableRows.render(rows(child))).append("\n\n");
                } else if (tag.equals("br")) {
                    sections.append("\n");
                } else {
                    boolean block = child.isBlock();
                    sections.append(block ? "\n" : "");
                    walk(child, sections);
                    sections.append(block ? "\n" : "");
                }
            }
        }
    }

    private static List<List<String>> rows(Element table) {
        List<List<String>> rows = new ArrayList<>();
        for (Element row : table.select("tr")) {
            List<String> cells = new ArrayList<>();
            for (Element cell : row.select("> th, > td")) {
                cells.add(cell.text());
            }
            rows.add(cells);
        }
        return rows;
    }
}
