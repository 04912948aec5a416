package io.jingnei.core.documents;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A knowledge-base document before chunking: its sections in reading order. A section is chunked
 * on its own, so a chunk never spans two headings or two PDF pages; its {@code title} (a heading,
 * a question) becomes the chunk's title, its {@code metadata} (page, cite) is added to the chunk's.
 */
public final class SourceDocument {
    public final String id;
    public final String metadataJson;
    public final List<Section> sections;

    public SourceDocument(String id, String content, String metadataJson) {
        this(id, metadataJson, List.of(new Section("", content, Map.of())));
    }

    public SourceDocument(String id, String metadataJson, List<Section> sections) {
        this.id = id;
        this.metadataJson = metadataJson == null ? "{}" : metadataJson;
        this.sections = List.copyOf(sections);
    }

    /** All sections' text, blank-line separated. */
    public String content() {
        return sections.stream().map(s -> s.text).collect(Collectors.joining("\n\n"));
    }

    /** A run of text under one heading (or on one page). */
    public static final class Section {
        public final String title;
        public final String text;
        /** Added to the chunk metadata: e.g. {@code page}, {@code cite} ("退换货政策.pdf · 第3页"). */
        public final Map<String, Object> metadata;

        public Section(String title, String text, Map<String, Object> metadata) {
            this.title = title == null ? "" : title.trim();
            this.text = text;
            this.metadata = new LinkedHashMap<>(metadata);
        }
    }
}
