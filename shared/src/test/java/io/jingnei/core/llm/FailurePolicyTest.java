package io.jingnei.core.llm;

import io.jingnei.core.error.JingneiException;
import io.jingnei.core.error.RetryAfter;
import io.jingnei.core.log.Redactor;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upstream-failure decision as a table: {@code llm/failure-decisions.tsv}, one case a line, from
 * what the upstream answered (status and headers through the same {@link UpstreamErrors} and
 * {@link RetryAfter} the endpoint uses, or a transport failure) and what is left, to the decision.
 */
class FailurePolicyTest {
    private static final long NOW = 1_440_938_160_000L; // Sun, 30 Aug 2015 12:36:00 GMT
    private static final FailurePolicy POLICY = new FailurePolicy(Duration.ofMillis(500), Duration.ofSeconds(4), Duration.ofSeconds(3), () -> 0.5);

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        try (InputStream in = FailurePolicyTest.class.getResourceAsStream("/llm/failure-decisions.tsv");
             BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] columns = line.split("\t", -1);
                assertThat(columns).as("moment, upstream, left, decision: %s", line).hasSize(4);
                cases.add(Arguments.of(columns[0], columns[1], columns[2], columns[3]));
            }
        }
        assertThat(cases).hasSizeGreaterThanOrEqualTo(75);
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} | {1} | {2} -> {3}")
    @MethodSource("cases")
    void decides_what_the_table_says(String moment, String upstream, String left, String expected) {
        Throwable failure = "-".equals(upstream) ? null : failure(upstream);
        Map<String, String> facts = facts(left);
        UpstreamOutcome outcome = "attempt".equals(moment)
                ? UpstreamOutcome.attemptFailed("deepseek-v3.2", failure, facts.containsKey("other-key"))
                : UpstreamOutcome.roundOver("deepseek-v3.2", failure, Integer.parseInt(facts.getOrDefault("round", "0")),
                facts.containsKey("retries-left"), facts.containsKey("models-left"), duration(facts.getOrDefault("deadline", "60s")),
                facts.containsKey("keys-rest") ? duration(facts.get("keys-rest")) : null,
                facts.containsKey("probe") ? duration(facts.get("probe")) : null,
                facts.containsKey("set-aside-keys"), facts.containsKey("last-resort"));

        assertThat(describe(POLICY.decide(outcome))).isEqualTo(expected);
    }

    @Test
    void backoff_doubles_until_the_cap_and_jitters_within_the_upper_half() {
        FailurePolicy top = new FailurePolicy(Duration.ofMillis(500), Duration.ofSeconds(4), Duration.ofSeconds(3), () -> 0.999999);
        assertThat(top.backoff(1)).isEqualTo(Duration.ofMillis(499));
        assertThat(top.backoff(2)).isEqualTo(Duration.ofMillis(999));
        assertThat(top.backoff(3)).isEqualTo(Duration.ofMillis(1999));
        assertThat(top.backoff(4)).isEqualTo(Duration.ofMillis(3999));
        assertThat(top.backoff(9)).isEqualTo(Duration.ofMillis(3999));
        FailurePolicy bottom = new FailurePolicy(Duration.ofMillis(500), Duration.ofSeconds(4), Duration.ofSeconds(3), () -> 0.0);
        assertThat(bottom.backoff(3)).isEqualTo(Duration.ofMillis(1000));
    }

    /** "429; retry-after=20; code=x" through UpstreamErrors, as the endpoint builds it; or a transport failure. */
    private static Throwable failure(String upstream) {
        String[] parts = upstream.split(";\\s*");
        switch (parts[0]) {
            case "timeout":
                return UpstreamErrors.fromTransport(new SocketTimeoutException("Read timed out"), "api.example.com", Duration.ofSeconds(30));
            case "connect-timeout":
                return UpstreamErrors.fromTransport(new ConnectTimeoutException("Connect timed out"), "api.example.com", Duration.ofSeconds(30));
            case "refused":
                return UpstreamErrors.fromTransport(new ConnectException("Connection refused"), "api.example.com", Duration.ofSeconds(30));
            case "unknown-host":
                return UpstreamErrors.fromTransport(new UnknownHostException("api.example.com"), "api.example.com", Duration.ofSeconds(30));
            case "reset":
                return UpstreamErrors.fromTransport(new SocketException("Connection reset"), "api.example.com", Duration.ofSeconds(30));
            default:
                Map<String, String> headers = new HashMap<>();
                for (int i = 1; i < parts.length; i++) {
                    String[] pair = parts[i].split("=", 2);
                    headers.put(pair[0], pair[1]);
                }
                String code = headers.get("code");
                byte[] body = ("{\"error\":{\"message\":\"the upstream says no\",\"type\":\"error\""
                        + (code == null ? "" : ",\"code\":\"" + code + "\"") + "}}").getBytes(StandardCharsets.UTF_8);
                Duration retryAfter = RetryAfter.parse(headers.get("retry-after-ms"), headers.get("retry-after"), NOW).orElse(null);
                return UpstreamErrors.fromResponse("primary", Integer.parseInt(parts[0]), body, retryAfter, Redactor.patternsOnly());
        }
    }

    private static Map<String, String> facts(String left) {
        Map<String, String> facts = new HashMap<>();
        if (!"-".equals(left)) {
            for (String fact : left.split(" ")) {
                String[] pair = fact.split("=", 2);
                facts.put(pair[0], pair.length > 1 ? pair[1] : "");
            }
        }
        return facts;
    }

    private static Duration duration(String text) {
        if (text.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
    }

    private static String describe(Decision d) {
        StringBuilder out = new StringBuilder(d.step.name());
        switch (d.step) {
            case NEXT_KEY:
            case NEXT_UPSTREAM:
                out.append(d.key == Decision.Key.SET_ASIDE ? " set-aside" : d.key == Decision.Key.REST ? " rest=" + format(d.keyRest) : "");
                out.append(d.breakerFailure ? " breaker" : "").append(d.dropUpstream ? " drop" : "");
                break;
            case RETRY_SAME:
            case WAIT:
                out.append(' ').append(format(d.wait));
                break;
            case GIVE_UP:
                JingneiException e = JingneiException.from(d.error);
                out.append(' ').append(e.kind().httpStatus).append(' ').append(e.kind().status);
                e.retryAfter().ifPresent(wait -> out.append(" retry-after=").append(RetryAfter.seconds(wait)));
                break;
            default:
                break;
        }
        return out.toString();
    }

    private static String format(Duration d) {
        long nanos = d.toNanos();
        return nanos % 1_000_000_000 == 0 ? nanos / 1_000_000_000 + "s" : nanos % 1_000_000 == 0 ? nanos / 1_000_000 + "ms" : nanos + "ns";
    }
}
