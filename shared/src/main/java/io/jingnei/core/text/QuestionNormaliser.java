package io.jingnei.core.text;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Two questions are the same when they differ only in white space (none at all next to Chinese
 * characters), full-width versus half-width
 * forms (NFKC: "？" and "?", "ＡＢＣ" and "ABC") and letter case.
 */
public final class QuestionNormaliser {
    private QuestionNormaliser() {
    }

    public static String normalise(String question) {
        String folded = Normalizer.normalize(question, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        return folded
                // spaces carry no meaning next to Chinese characters; elsewhere they separate words
                .replaceAll("(?<=[^\\x00-\\x7F])\\s+|\\s+(?=[^\\x00-\\x7F])", "")
                .replaceAll("\\s+", " ").trim()
                // NFKC leaves the ideographic full stop and comma alone; fold them too.
                .replace('。', '.').replace('、', ',');
    }
}
