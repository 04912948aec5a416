package io.jingnei.core.batch;

import io.jingnei.core.config.ConfigException;
import io.jingnei.core.config.Env;
import io.jingnei.core.config.Settings;

/** faq-batch settings (docs/configuration.md). */
public final class BatchLimits {
    final long maxInputBytes;
    final int maxQuestions;
    final int maxQuestionChars;
    public final int concurrency;
    /** Where event-triggered inputs live; outputs go to the same path with in/ replaced by out/. */
    public final String inputPrefix;
    /** Resolves relative inputs such as a timer's "faq-batch/in/nightly.jsonl". */
    public final String baseUri;
    /** JINGNEI_FAQ_MODE: {@code realtime} (answers now) or {@code batch} (the provider's Batch API, half the price). */
    public final String mode;
    /** Lines and bytes of one provider batch's input file; larger runs are split (Bailian: 50,000 requests, 500 MB). */
    final int batchMaxLines;
    final long batchMaxBytes;
    /** How long a submission in progress is left to the instance doing it before another takes over. */
    final java.time.Duration batchLease;

    private BatchLimits(Env env) {
        this.maxInputBytes = Settings.longValue(env, "JINGNEI_FAQ_MAX_INPUT_BYTES", 256L << 20, 1, Long.MAX_VALUE);
        this.maxQuestions = Settings.integer(env, "JINGNEI_FAQ_MAX_QUESTIONS", 100_000, 1, Integer.MAX_VALUE);
        this.maxQuestionChars = Settings.integer(env, "JINGNEI_FAQ_MAX_QUESTION_CHARS", 2000, 1, 1_000_000);
        this.concurrency = Settings.integer(env, "JINGNEI_FAQ_CONCURRENCY", 8, 1, 256);
        this.inputPrefix = env.get("JINGNEI_FAQ_INPUT_PREFIX").orElse("faq-batch/in/");
        this.baseUri = env.get("JINGNEI_FAQ_BASE_URI").orElse("");
        this.mode = Settings.choice(env, "JINGNEI_FAQ_MODE", "realtime", "realtime", "batch");
        this.batchMaxLines = Settings.integer(env, "JINGNEI_FAQ_BATCH_MAX_LINES", 50_000, 1, 1_000_000);
        this.batchMaxBytes = Settings.bytes(env, "JINGNEI_FAQ_BATCH_MAX_BYTES", 500L << 20, 1024, 4L << 30);
        this.batchLease = Settings.duration(env, "JINGNEI_FAQ_BATCH_LEASE", "10m");
        if (!inputPrefix.contains("in/")) {
            throw new ConfigException("JINGNEI_FAQ_INPUT_PREFIX must contain 'in/' (answers go to the same path with 'out/'), got '" + inputPrefix + "'");
        }
        String outputPrefix = OutputLocation.swapInOut(inputPrefix);
        if (outputPrefix.startsWith(inputPrefix)) {
            throw new ConfigException("faq-batch output prefix '" + outputPrefix + "' lies under the input prefix '" + inputPrefix
                    + "': every answer file would trigger the function again; choose an input prefix whose out/ sibling is outside it");
        }
    }

    public static BatchLimits from(Env env) {
        return new BatchLimits(env);
    }
}
