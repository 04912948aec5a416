package io.jingnei.core.batch;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The faq-batch loop guard as a table: an output the trigger would read as an input again is refused, in any spelling. */
class OutputLocationTest {
    private static final String INPUT = "oss://jingnei-faq/faq-batch/in/a.jsonl";

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "oss://jingnei-faq/faq-batch/out/a.jsonl          | allowed",
            "oss://jingnei-faq/answers/a.jsonl                | allowed",
            "oss://other-bucket/faq-batch/in/a.jsonl          | allowed",
            "file:///srv/faq-batch/in/a.jsonl                 | allowed",
            "oss://jingnei-faq/faq-batch/in/b.jsonl           | refused",
            "oss://jingnei-faq//faq-batch/in/x                | refused",
            "oss://jingnei-faq/faq-batch//in/x                | refused",
            "oss://jingnei-faq///faq-batch///in///x           | refused",
            "oss://jingnei-faq/faq-batch/./in/x               | refused",
            "oss://jingnei-faq/faq-batch/out/../in/x          | refused",
            "oss://jingnei-faq/x/../../faq-batch/in/x         | refused",
            "OSS://Jingnei-FAQ/faq-batch/in/x                 | refused",
            "s3://jingnei-faq/faq-batch/in/x                  | refused",
            "cos://jingnei-faq/faq-batch/in/x                 | refused",
            "oss://jingnei-faq/faq-batch/in                   | refused",
            "oss://jingnei-faq/faq-batch/in/a.jsonl           | refused",
            "oss://jingnei-faq//faq-batch/in/a.jsonl          | refused",
    })
    void refuses_an_output_under_the_input_prefix_however_it_is_spelled(String output, String outcome) {
        URI out = URI.create(output);
        if (outcome.equals("allowed")) {
            assertThatCode(() -> OutputLocation.guard(URI.create(INPUT), out, "faq-batch/in/")).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> OutputLocation.guard(URI.create(INPUT), out, "faq-batch/in/")).isInstanceOf(BatchException.class);
        }
    }
}
