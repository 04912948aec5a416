package io.jingnei.core.rag;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text into chunks of at most {@code maxChars}, on sentence ends first (Chinese 。！？；
 * and English . ! ? ; followed by a space), then paragraphs and lines, with about
 * {@code overlap} characters of the previous chunk's last sentences repeated at the start of the
 * next so an answer spanning a boundary is still found. A sentence longer than a chunk is cut.
 */
public final class TextChunker {
    private static final Pattern SENTENCE_END = Pattern.compile("[。！？；!?;]+[”’\"')）]*|[.](?=\\s)|\\n");

    private final int maxChars;
    private final int overlap;

    public TextChunker(int maxChars, int overlap) {
        if (overlap >= maxChars) {
            throw new IllegalArgumentException("overlap must be smaller than the chunk size");
        }
        this.maxChars = maxChars;
        this.overlap = overlap;
    }

    public List<String> split(String text) {
        List<String> chunks = new ArrayList<>();
        for (String paragraph : text.replace("\r\n", "\n").split("\\n\\s*\\n")) {
            splitParagraph(paragraph.trim(), chunks);
        }
        return chunks;
    }

    private void splitParagraph(String paragraph, List<String> chunks) {
        if (paragraph.isEmpty()) {
            return;
        }
        List<String> sentences = sentences(paragraph);
        List<String> current = new ArrayList<>();
        int length = 0;
        for (String sentence : sentences) {
            if (length + sentence.length() > maxChars && !current.isEmpty()) {
                chunks.add(String.join("", current).trim());
                List<String> carried = new ArrayList<>();
                int carriedLength = 0;
                for (int i = current.size() - 1; i >= 0 && carriedLength + current.get(i).length() <= overlap; i--) {
                    carried.add(0, current.get(i));
                    carriedLength += current.get(i).length();
                }
                current = carried;
                length = carriedLength;
            }
            current.add(sentence);
            length += sentence.length();
        }
        if (!current.isEmpty()) {
            chunks.add(String.join("", current).trim());
        }
    }

    private List<String> sentences(String paragraph) {
        List<String> out = new ArrayList<>();
        Matcher end = SENTENCE_END.matcher(paragraph);
        int start = 0;
        while (end.find()) {
            addCut(paragraph.substring(start, end.end()), out);
            start = end.end();
        }
        addCut(paragraph.substring(start), out);
        return out;
    }

    /** A sentence longer than a chunk is cut into chunk-sized pieces. */
    private void addCut(String sentence, List<String> out) {
        if (sentence.isBlank()) {
            return;
        }
        for (int i = 0; i < sentence.length(); i += maxChars) {
            out.add(sentence.substring(i, Math.min(sentence.length(), i + maxChars)));
        }
    }
}
