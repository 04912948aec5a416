package io.jingnei.core.pii;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * The placeholders of one request or conversation. Mask every message of it (history included)
 * with the same session so one value keeps one placeholder; unmask the answer with it too.
 *
 * <p>The mapping lives only in this object's memory and dies with it. Not thread-safe and never
 * shared between requests; handing it from the request thread to the thread that reads the answer
 * must happen-before (as submitting to an executor does).
 */
public final class PiiSession {
    private final PiiPolicy policy;
    private final Map<String, String> placeholderByValue = new HashMap<>();
    private final Map<String, String> valueByPlaceholder = new HashMap<>();
    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private final Set<String> labels = new LinkedHashSet<>();

    PiiSession(PiiPolicy policy) {
        this.policy = policy;
    }

    /**
     * Replaces each value with its placeholder, e.g. {@code [手机号1]}. Two spellings of one value
     * (138 1234 5678, +8613812345678, full-width １３８１２３４５６７８) share a placeholder, which
     * unmasks to the first spelling seen, exactly as it was typed (zero-width characters included).
     */
    public String mask(String text) {
        if (text == null) {
            return null;
        }
        List<PiiMatch> matches = policy.find(text);
        if (matches.isEmpty()) {
            return text;
        }
        StringBuilder masked = new StringBuilder(text.length() + 8 * matches.size());
        int copied = 0;
        for (PiiMatch match : matches) {
            String value = text.substring(match.start(), match.end());
            masked.append(text, copied, match.start()).append(placeholderFor(match.detector(), value));
            copied = match.end();
        }
        return masked.append(text, copied, text.length()).toString();
    }

    /**
     * Puts back the value of every placeholder this session handed out, also in mangled forms;
     * placeholders it did not hand out stay as they are.
     */
    public String unmask(String text) {
        if (text == null || valueByPlaceholder.isEmpty() || !PlaceholderSyntax.mayContainPlaceholder(text)) {
            return text;
        }
        Matcher placeholder = policy.placeholders().matcher(text);
        StringBuilder restored = null;
        int copied = 0;
        while (placeholder.find()) {
            String value = valueByPlaceholder.get(PlaceholderSyntax.keyOf(placeholder));
            if (value != null) {
                restored = restored != null ? restored : new StringBuilder(text.length() + 16);
                restored.append(text, copied, placeholder.start()).append(value);
                copied = placeholder.end();
            }
        }
        return restored == null ? text : restored.append(text, copied, text.length()).toString();
    }

    /**
     * Whether every placeholder in {@code text} is one this session handed out: a stored answer that
     * names a placeholder the asker never gave would show them a literal {@code [手机号1]}.
     */
    public boolean restoresAll(String text) {
        if (text == null || !PlaceholderSyntax.mayContainPlaceholder(text) || policy.placeholders().isEmpty()) {
            return true;
        }
        Matcher placeholder = policy.placeholders().matcher(text);
        while (placeholder.find()) {
            if (!valueByPlaceholder.containsKey(PlaceholderSyntax.keyOf(placeholder))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The values this session masked, by placeholder: what another process needs to restore an
     * answer that comes back later (faq-batch's provider batch). Personal data: it may only be kept
     * where the customer's questions already are.
     */
    public Map<String, String> restorable() {
        return Collections.unmodifiableMap(new HashMap<>(valueByPlaceholder));
    }

    /** A session that only restores, from what {@link #restorable()} gave. */
    public static PiiSession restoring(PiiPolicy policy, Map<String, String> values) {
        PiiSession session = new PiiSession(policy);
        session.valueByPlaceholder.putAll(values);
        return session;
    }

    /** For one streamed answer; create it after masking the request. */
    public StreamUnmasker streamUnmasker() {
        return new StreamUnmasker(this);
    }

    /** Kind name to the number of distinct values masked, in order of first sight. Never values. */
    public Map<String, Integer> counts() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    }

    public boolean masked() {
        return !counts.isEmpty();
    }

    /** Where an unclosed placeholder of this session may begin at the end of {@code text}. */
    int unfinishedPlaceholderStart(String text) {
        return PlaceholderSyntax.unfinishedStart(text, labels);
    }

    private String placeholderFor(Detector detector, String value) {
        String valueKey = detector.kind() + '\u0000' + detector.sameValueKey(FoldedText.fold(value));
        String placeholder = placeholderByValue.get(valueKey);
        if (placeholder == null) {
            int number = counts.merge(detector.kind(), 1, Integer::sum);
            placeholder = PlaceholderSyntax.write(detector.label(), number);
            placeholderByValue.put(valueKey, placeholder);
            valueByPlaceholder.put(PlaceholderSyntax.key(detector.label(), number), value);
            labels.add(detector.label());
        }
        return placeholder;
    }
}
