package io.jingnei.core.rag;

import io.jingnei.core.index.Ranking;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RejectionRuleTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // case | cosines best first | lead | cosine floor | confidence bar | passages kept
            "answerable: one passage stands out            | 0.72 0.61 0.58 | 0.10 | 0.50 | 0.655 | 3",
            "same-domain, nothing answers: close to many    | 0.62 0.61 0.60 | 0.02 | 0.50 | 0.655 | 0",
            "off-topic: low everywhere                      | 0.40 0.38 0.37 | 0.03 | 0.50 | 0.655 | 0",
            "confidence exactly at the bar is answered      | 0.60 0.52 0.45 | 0.055 | 0.50 | 0.655 | 2",
            "passages under the floor are dropped           | 0.75 0.49 0.30 | 0.20 | 0.50 | 0.655 | 1",
            "bar off: the first round's cosine rule         | 0.62 0.61 0.45 | 0.02 | 0.50 | 0    | 2",
            "request threshold 0: the plain ranking         | 0.30 0.20 0.10 | 0.01 | 0    | 0    | 3",
            "request threshold above every cosine           | 0.80 0.70 0.60 | 0.20 | 0.90 | 0    | 0",
            "empty index                                    | ''             | 0    | 0.50 | 0.655 | 0",
    })
    void keeps_the_passages_the_rule_allows(String name, String cosines, double lead, double floor, double bar, int kept) {
        List<Ranking.Candidate> candidates = new ArrayList<>();
        for (String cosine : cosines.isBlank() ? new String[0] : cosines.trim().split(" ")) {
            candidates.add(new Ranking.Candidate(candidates.size(), Float.parseFloat(cosine), 0, -candidates.size()));
        }
        Ranking ranking = new Ranking(candidates, lead);

        List<Ranking.Candidate> passages = new RejectionRule(floor, bar).passages(ranking);

        assertThat(passages).hasSize(kept);
        assertThat(passages).isEqualTo(candidates.subList(0, kept));
    }

    @ParameterizedTest(name = "threshold {0}")
    @CsvSource({"0", "-1", "0.0"})
    void a_request_threshold_of_zero_or_less_rejects_nothing(double threshold) {
        Ranking ranking = new Ranking(List.of(new Ranking.Candidate(0, -0.2f, 0, 1), new Ranking.Candidate(1, 0.1f, 0, 0)), 0);

        assertThat(RejectionRule.plainThreshold(threshold).passages(ranking)).hasSize(2);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // case | confidence in context (cosine + lead) | new words in the passage | follow-up
            //      | confidence alone | coverage alone (NaN: its best is another article) | answered
            "the conversation points at it confidently, none of the new words: rejected | 0.72 0.06 | 0.0 | true  | 0.72 0.06 | NaN | false",
            "the same with the new words: answered                                      | 0.72 0.06 | 1.0 | true  | 0.72 0.06 | NaN | true",
            "confident enough to answer, not more, no new words: answered               | 0.66 0.04 | 0.0 | true  | 0.66 0.04 | NaN | true",
            "in context below the bar: rejected as any question                         | 0.50 0.02 | 1.0 | true  | 0.50 0.02 | NaN | false",
            "a single question is never rejected for a conversation                     | 0.72 0.06 | 0.0 | false | 0.72 0.06 | NaN | true",
            "below the bar in context, stands alone on the same article                 | 0.50 0.02 | 1.0 | true  | 0.70 0.08 | 0.9 | true",
            "stands alone, but on another article than the answer's                     | 0.50 0.02 | 1.0 | true  | 0.70 0.08 | NaN | false",
            "alone below the single-question bar: judged in context                     | 0.50 0.02 | 1.0 | true  | 0.62 0.02 | 0.6 | false",
            "stands alone, yet only its conversation answers it                         | 0.72 0.06 | 0.0 | true  | 0.70 0.08 | 0.9 | false",
    })
    void a_follow_up_that_only_its_conversation_answers_is_rejected(String name, String confidence, double newWords, boolean followUp,
                                                                     String alone, double aloneCoverage, boolean answered) {
        Ranking ranking = ranking(confidence);
        FollowUpSearch.Result found = new FollowUpSearch.Result(ranking, ranking(alone), followUp ? ranking : null, newWords, aloneCoverage);
        RejectionRule rule = new RejectionRule(0.50, RejectionRule.DEFAULT_MIN_CONFIDENCE);

        assertThat(rule.passages(found).isEmpty()).isEqualTo(!answered);
        assertThat(RejectionRule.plainThreshold(0).passages(found)).as("nothing is rejected with the rule off").isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // case | cosine | lead | coverage (NaN: none) | answered at the default bar
            "below the bar alone, its passage names what it asks: answered        | 0.60 | 0.04 | 0.90 | true",
            "the same confidence, its passage names little of it: rejected         | 0.60 | 0.04 | 0.20 | false",
            "above the bar alone, its passage lacks more than typical: rejected     | 0.62 | 0.04 | 0.70 | false",
            "well above the bar: answered though its passage lacks a third of it    | 0.70 | 0.08 | 0.66 | true",
            "well above the bar, but none of what the index knows of it: rejected   | 0.70 | 0.08 | 0.00 | false",
            "no coverage (follow-up, dense-only index): cosine + lead as before     | 0.62 | 0.04 | NaN  | true",
            "coverage exactly typical: the score is the confidence                 | 0.61 | 0.045 | 0.80 | true",
    })
    void a_single_question_is_scored_with_how_much_of_it_its_best_passage_covers(String name, double cosine, double lead,
                                                                                 double coverage, boolean answered) {
        Ranking ranking = new Ranking(List.of(new Ranking.Candidate(0, (float) cosine, 0, 1)), lead);
        RejectionRule rule = new RejectionRule(0.50, RejectionRule.DEFAULT_MIN_CONFIDENCE);

        assertThat(rule.passages(ranking, coverage).isEmpty()).isEqualTo(!answered);
        assertThat(RejectionRule.plainThreshold(0).passages(ranking, coverage)).as("a request threshold of 0 ignores it").hasSize(1);
    }

    @org.junit.jupiter.api.Test
    void a_follow_up_is_judged_without_coverage() {
        Ranking alone = ranking("0.60 0.02");
        Ranking inContext = ranking("0.66 0.04");
        FollowUpSearch.Result followUp = new FollowUpSearch.Result(inContext, alone, inContext);
        RejectionRule rule = new RejectionRule(0.50, RejectionRule.DEFAULT_MIN_CONFIDENCE);

        assertThat(rule.passages(followUp, 0.0)).as("a low coverage would reject it as a single question").isNotEmpty();
        assertThat(rule.passages(new FollowUpSearch.Result(inContext, inContext, null), 0.0)).isEmpty();
    }

    private static Ranking ranking(String cosineAndLead) {
        String[] parts = cosineAndLead.trim().split(" ");
        return new Ranking(List.of(new Ranking.Candidate(0, Float.parseFloat(parts[0]), 0, 1)), Double.parseDouble(parts[1]));
    }
}
