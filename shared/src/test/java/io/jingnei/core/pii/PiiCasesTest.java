package io.jingnei.core.pii;

import io.jingnei.core.config.Env;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The masking policy as a table: {@code pii/cases.tsv}, one case a line. */
class PiiCasesTest {
    private static final PiiPolicy POLICY = PiiPolicy.from(Env.of(Map.of()));
    private static final Pattern ESCAPE = Pattern.compile("\\\\u([0-9A-Fa-f]{4})");

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        try (InputStream in = PiiCasesTest.class.getResourceAsStream("/pii/cases.tsv");
             BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] columns = line.split("\t", -1);
                assertThat(columns).as("kind, input, expected: %s", line).hasSize(3);
                cases.add(Arguments.of(columns[0], unescape(columns[1]), unescape(columns[2])));
            }
        }
        assertThat(cases).hasSizeGreaterThanOrEqualTo(70);
        return cases.stream();
    }

    /** {@code \\uXXXX} to its character, so invisible characters are visible in the table. */
    private static String unescape(String column) {
        return ESCAPE.matcher(column).replaceAll(escape -> String.valueOf((char) Integer.parseInt(escape.group(1), 16)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void masks_exactly_what_the_table_says_and_unmasks_it_back(String kind, String input, String expected) {
        PiiSession session = POLICY.newSession();

        String masked = session.mask(input);

        assertThat(masked).isEqualTo(expected);
        assertThat(session.unmask(masked)).isEqualTo(input);
    }
}
