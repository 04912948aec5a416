package io.jingnei.fc;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ToolOptionsTest {
    private static final List<String> STARTED_WITH = List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

    @Test
    void nothing_is_said_when_the_variable_is_not_set() {
        assertThat(ToolOptions.report(null, STARTED_WITH, "11.0.2+9")).isEmpty();
        assertThat(ToolOptions.report("  ", STARTED_WITH, "11.0.2+9")).isEmpty();
    }

    @Test
    void options_the_jvm_was_started_with_are_reported_as_applied() {
        Map<String, Object> report = ToolOptions.report(" -XX:TieredStopAtLevel=1  -Xshare:auto ", STARTED_WITH, "11.0.2+9").orElseThrow();

        assertThat(report).containsEntry("applied", true).containsEntry("java_tool_options", "-XX:TieredStopAtLevel=1  -Xshare:auto")
                .containsEntry("jvm_build", "11.0.2+9").containsEntry("jvm_arguments", String.join(" ", STARTED_WITH));
    }

    @Test
    void a_variable_the_jvm_never_read_is_reported_as_not_applied() {
        // The runtime's JVM was up before the function's environment: the variable is visible, the options are not in force.
        Map<String, Object> report = ToolOptions.report("-XX:SharedArchiveFile=/code/app.jsa", STARTED_WITH, "11.0.2+9").orElseThrow();

        assertThat(report).containsEntry("applied", false);
    }
}
