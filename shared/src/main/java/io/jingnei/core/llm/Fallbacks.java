package io.jingnei.core.llm;

import io.jingnei.core.config.ConfigException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fallback chains, {@code JINGNEI_FALLBACK="claude-sonnet-4.5>gemini-2.5-flash,deepseek-v3.2>qwen-plus"}:
 * when every upstream of a model has failed, the next model of its chain is tried.
 */
public final class Fallbacks {
    private final Map<String, List<String>> after;

    private Fallbacks(Map<String, List<String>> after) {
        this.after = after;
    }

    public static Fallbacks none() {
        return new Fallbacks(Map.of());
    }

    public static Fallbacks parse(String spec) {
        Map<String, List<String>> after = new LinkedHashMap<>();
        for (String chainText : spec.split(",")) {
            if (chainText.isBlank()) {
                continue;
            }
            List<String> chain = new ArrayList<>();
            for (String model : chainText.split(">")) {
                String name = model.trim();
                if (name.isEmpty() || chain.contains(name)) {
                    throw new ConfigException("JINGNEI_FALLBACK: '" + chainText.trim()
                            + "' must be model names joined by '>', each once, e.g. claude-sonnet-4.5>gemini-2.5-flash");
                }
                chain.add(name);
            }
            for (int i = 0; i < chain.size() - 1; i++) {
                after.putIfAbsent(chain.get(i), List.copyOf(chain.subList(i + 1, chain.size())));
            }
        }
        return new Fallbacks(Collections.unmodifiableMap(after));
    }

    /** The model itself, then the models to try after it, in order. */
    public List<String> chainOf(String model) {
        List<String> chain = new ArrayList<>();
        chain.add(model);
        chain.addAll(after.getOrDefault(model, List.of()));
        return chain;
    }

    /** Every model named in some chain: they must be served by some upstream. */
    public List<String> models() {
        List<String> all = new ArrayList<>();
        after.forEach((head, tail) -> {
            if (!all.contains(head)) {
                all.add(head);
            }
            tail.forEach(m -> {
                if (!all.contains(m)) {
                    all.add(m);
                }
            });
        });
        return all;
    }
}
