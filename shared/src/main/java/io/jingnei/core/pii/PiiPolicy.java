package io.jingnei.core.pii;

import io.jingnei.core.config.Env;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Which personal information is kept from the LLM and how ({@code JINGNEI_PII},
 * {@code JINGNEI_PII_KINDS}, {@code JINGNEI_PII_PATTERNS}). Read once per instance; immutable and
 * thread-safe, patterns compiled here once. Per request, {@link #newSession()} is cheap.
 */
public final class PiiPolicy {
    private final PiiMode mode;
    /** As configured, also when the mode is OFF: the answer cache masks with them regardless. */
    private final List<Detector> configured;
    private final List<Detector> detectors;
    private final PlaceholderSyntax placeholders;

    /** {@code detectors} in priority order; with mode OFF none are used. */
    PiiPolicy(PiiMode mode, List<Detector> detectors) {
        this.mode = mode;
        this.configured = List.copyOf(detectors);
        this.detectors = mode == PiiMode.OFF ? List.of() : this.configured;
        List<String> labels = new ArrayList<>();
        for (Detector detector : this.detectors) {
            labels.add(detector.label());
        }
        this.placeholders = new PlaceholderSyntax(labels);
    }

    /**
     * Built-in kinds first, in their priority order, then custom patterns in configured order.
     * Settings are checked even when the mode is OFF, so a typo fails at start-up either way.
     */
    public static PiiPolicy from(Env env) {
        PiiMode mode = PiiSettings.mode(env);
        List<Detector> detectors = new ArrayList<>();
        for (PiiKind kind : PiiSettings.kinds(env)) {
            detectors.add(kind.detector());
        }
        detectors.addAll(PiiSettings.customPatterns(env));
        return new PiiPolicy(mode, detectors);
    }

    /** The built-in kinds, masking: for texts checked outside any configuration (user ids). */
    public static PiiPolicy builtIn() {
        return BuiltIn.POLICY;
    }

    private static final class BuiltIn {
        static final PiiPolicy POLICY = PiiPolicy.from(Env.of(Map.of()));
    }

    public PiiMode mode() {
        return mode;
    }

    /**
     * The same kinds, always masking: what the answer cache keys on and stores, whatever
     * JINGNEI_PII says, so that with masking off upstream one customer's data is still never kept
     * in the cache nor served to another.
     */
    public PiiPolicy masking() {
        return mode == PiiMode.MASK ? this : new PiiPolicy(PiiMode.MASK, configured);
    }

    /** Block mode's answer: the kinds found, never the values. */
    public static JingneiException refusal(Collection<String> kinds) {
        return new JingneiException(ErrorKind.PII_DETECTED, "the request contains personal information ("
                + String.join(", ", kinds) + ") and JINGNEI_PII=block refuses to send it upstream");
    }

    /** One per request or conversation; never shared between them. */
    public PiiSession newSession() {
        return new PiiSession(this);
    }

    /**
     * The personal information in {@code text}, in text order, without overlaps, as offsets in
     * {@code text} itself. Detectors read the text folded ({@link FoldedText}: full-width digits,
     * ideographic spaces and dots, zero-width characters), so {@code １３８１２３４５６７８} is found
     * like {@code 13812345678}. Empty when OFF.
     */
    public List<PiiMatch> find(String text) {
        if (text == null || text.isEmpty() || detectors.isEmpty()) {
            return List.of();
        }
        FoldedText folded = FoldedText.of(text);
        List<PiiMatch> found = new ArrayList<>(4);
        for (Detector detector : detectors) {
            detector.addMatches(folded.text(), found);
        }
        found.sort(Comparator.comparingInt(PiiMatch::start));
        if (folded.changed()) {
            found.replaceAll(match -> new PiiMatch(match.detector(), folded.originalStart(match.start()), folded.originalEnd(match.end())));
        }
        return Collections.unmodifiableList(found);
    }

    /**
     * Masks one text on its own (a fresh session), for texts sent upstream outside a conversation:
     * remote embeddings. Block mode masks too here: an embedding request has no caller to refuse.
     */
    public String maskAlone(String text) {
        return mode == PiiMode.OFF || text == null ? text : newSession().mask(text);
    }

    PlaceholderSyntax placeholders() {
        return placeholders;
    }
}
