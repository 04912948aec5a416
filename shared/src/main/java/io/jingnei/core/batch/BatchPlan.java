package io.jingnei.core.batch;

import io.jingnei.core.storage.ObjectStore;
import io.jingnei.core.text.QuestionNormaliser;
import io.jingnei.core.util.Hashing;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a batch will do, decided before any question is asked: where it reads and writes, the
 * questions, which of them are the same question (normalised), and which answers an earlier run
 * already left in the answer cache.
 */
final class BatchPlan {
    final URI input;
    final URI output;
    final List<Question> questions;
    /** Cache key of each distinct question, in first-seen order. */
    final Map<String, Question> unique;
    final List<Map.Entry<String, Question>> toAsk;
    final AnswerCheckpoint cache;
    final String version;

    private BatchPlan(URI input, URI output, List<Question> questions, Map<String, Question> unique,
                      List<Map.Entry<String, Question>> toAsk, AnswerCheckpoint cache, String version) {
        this.input = input;
        this.output = output;
        this.questions = questions;
        this.unique = unique;
        this.toAsk = toAsk;
        this.cache = cache;
        this.version = version;
    }

    /** Blocks while the input and the answer cache are read. */
    static BatchPlan make(ObjectStore store, BatchLimits limits, URI input, URI output, String version) {
        OutputLocation.guard(input, output, limits.inputPrefix);
        List<Question> questions = new QuestionReader(store, limits).read(input);
        AnswerCheckpoint cache = AnswerCheckpoint.open(store, URI.create(output + ".cache.jsonl"));
        Map<String, Question> unique = new LinkedHashMap<>();
        for (Question q : questions) {
            if (q.problem == null) {
                unique.putIfAbsent(key(q.text, version), q);
            }
        }
        List<Map.Entry<String, Question>> toAsk = new ArrayList<>();
        for (Map.Entry<String, Question> entry : unique.entrySet()) {
            if (!cache.contains(entry.getKey())) {
                toAsk.add(entry);
            }
        }
        return new BatchPlan(input, output, questions, unique, toAsk, cache, version);
    }

    /** Same normalised question, model, index version and prompt version: same answer. */
    static String key(String question, String version) {
        return Hashing.sha256Hex(QuestionNormaliser.normalise(question) + "\n" + version);
    }

    int problems() {
        int n = 0;
        for (Question q : questions) {
            n += q.problem == null ? 0 : 1;
        }
        return n;
    }
}
