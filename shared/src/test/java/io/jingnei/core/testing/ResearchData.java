package io.jingnei.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/**
 * The LCQMC/AFQMC question-matching research data. It may be used for measuring but never shipped,
 * so it lives outside the repository, in {@code ../shared/data/zh-question-matching} beside the
 * checkout (CI has it). Tests that need it say clearly when it is absent and what they skip.
 */
public final class ResearchData {
    private ResearchData() {
    }

    /** The folder, found from the working directory of any module, or {@code -Djingnei.research.data=...}. */
    public static Optional<Path> zhQuestionMatching() {
        String configured = System.getProperty("jingnei.research.data");
        if (configured != null) {
            Path dir = Paths.get(configured);
            return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
        }
        for (Path start = Paths.get("").toAbsolutePath(); start != null; start = start.getParent()) {
            Path candidate = start.resolveSibling("shared").resolve("data").resolve("zh-question-matching");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The message a skipped test leaves, naming what is missing and what was not checked. */
    public static String absent(String skipped) {
        String message = "LCQMC/AFQMC research data not found (../shared/data/zh-question-matching beside the checkout, "
                + "or -Djingnei.research.data=DIR): skipped " + skipped;
        System.err.println("[research data] " + message);
        return message;
    }
}
