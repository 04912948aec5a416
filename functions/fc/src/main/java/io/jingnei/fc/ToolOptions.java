package io.jingnei.fc;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * FC does not document whether its java11 runtime starts the JVM with the function's environment,
 * so whether JAVA_TOOL_OPTIONS (and with it -XX:TieredStopAtLevel=1 or an AppCDS archive) can apply
 * is unknown. When the variable is set, the initializer logs once whether this JVM was started
 * with those options, the options it was started with and its exact build (an AppCDS archive only
 * maps into the JDK build that made it). Costs nothing when the variable is not set.
 */
final class ToolOptions {
    private ToolOptions() {
    }

    /**
     * @param toolOptions  JAVA_TOOL_OPTIONS as this process sees it, or null
     * @param jvmArguments the options the JVM was started with (JAVA_TOOL_OPTIONS's among them when it read them)
     */
    static Optional<Map<String, Object>> report(String toolOptions, List<String> jvmArguments, String jvmBuild) {
        if (toolOptions == null || toolOptions.isBlank()) {
            return Optional.empty();
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("java_tool_options", toolOptions.trim());
        fields.put("applied", jvmArguments.containsAll(Arrays.asList(toolOptions.trim().split("\\s+"))));
        fields.put("jvm_arguments", String.join(" ", jvmArguments));
        fields.put("jvm_build", jvmBuild);
        return Optional.of(fields);
    }
}
