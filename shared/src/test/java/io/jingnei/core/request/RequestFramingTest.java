package io.jingnei.core.request;

import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Header sets in, accepted or refused out: the framing and access headers must have one reading. */
class RequestFramingTest {

    /** "name: value; name: value" as a request would carry them, repeated names kept. */
    private static Function<String, List<String>> headers(String spec) {
        List<String[]> pairs = new ArrayList<>();
        for (String header : spec == null ? new String[0] : spec.split(";")) {
            if (!header.isBlank()) {
                String[] nv = header.split(":", 2);
                pairs.add(new String[] {nv[0].trim().toLowerCase(Locale.ROOT), nv[1].trim()});
            }
        }
        return name -> {
            List<String> values = new ArrayList<>();
            pairs.stream().filter(p -> p[0].equals(name)).forEach(p -> values.add(p[1]));
            return values;
        };
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', value = {
            // headers                                                     | outcome
            "                                                              | accepted",
            "Content-Length: 12                                            | accepted",
            "Transfer-Encoding: chunked                                    | accepted",
            "Transfer-Encoding: Chunked                                    | accepted",
            "x-fc-control-path: /http-invoke                               | accepted",
            "Authorization: Bearer a                                       | accepted",
            "Transfer-Encoding: xchunked; Content-Length: 5                | both",
            "Transfer-Encoding: chunked; Content-Length: 5                 | both",
            "Transfer-Encoding: xchunked                                   | must be 'chunked'",
            "Transfer-Encoding: gzip, chunked                              | must be 'chunked'",
            "Transfer-Encoding: chunked; Transfer-Encoding: chunked        | must be 'chunked'",
            "Transfer-Encoding: identity                                   | must be 'chunked'",
            "x-fc-control-path: /initialize; x-fc-control-path: /http-invoke | more than one 'x-fc-control-path'",
            "Authorization: Bearer a; Authorization: Bearer b              | more than one 'authorization'",
            "x-api-key: a; x-api-key: b                                    | more than one 'x-api-key'",
            "Content-Length: 5; Content-Length: 6                          | more than one 'content-length'",
    })
    void one_reading_or_a_400(String spec, String outcome) {
        Function<String, List<String>> values = headers(spec);
        if (outcome.equals("accepted")) {
            RequestFraming.check(values);
            return;
        }
        assertThatThrownBy(() -> RequestFraming.check(values)).isInstanceOf(JingneiException.class).hasMessageContaining(outcome)
                .satisfies(e -> assertThat(((JingneiException) e).kind()).isEqualTo(ErrorKind.INVALID_REQUEST));
    }
}
