package io.jingnei.deployment;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.jingnei.deployment.Descriptors.fc3Functions;
import static io.jingnei.deployment.Descriptors.list;
import static io.jingnei.deployment.Descriptors.map;
import static org.assertj.core.api.Assertions.assertThat;

/** s.yaml against the fc3 component's own property names, enums and FC 3.0's rules. */
class Fc3DescriptorTest {

    @Test
    void every_key_in_s_yaml_is_an_fc3_property() throws Exception {
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> function : fc3Functions().entrySet()) {
            String path = function.getKey() + ".props";
            unknown.addAll(Fc3Schema.FUNCTION.unknown(path, function.getValue()));
            List<Object> triggers = list(function.getValue().get("triggers"));
            for (int i = 0; i < triggers.size(); i++) {
                Map<String, Object> trigger = map(triggers.get(i));
                AllowedKeys config = Fc3Schema.TRIGGER_CONFIG.get((String) trigger.get("triggerType"));
                assertThat(config).as(path + ".triggers[" + i + "].triggerType").isNotNull();
                unknown.addAll(config.unknown(path + ".triggers[" + i + "].triggerConfig", trigger.get("triggerConfig")));
            }
        }
        assertThat(unknown).as("keys fc3 does not know (it drops them without a word)").isEmpty();
    }

    @Test
    void runtimes_trigger_methods_and_environment_values_are_what_fc3_accepts() throws Exception {
        for (Map.Entry<String, Map<String, Object>> function : fc3Functions().entrySet()) {
            Map<String, Object> props = function.getValue();
            assertThat(Fc3Schema.RUNTIMES).as(function.getKey() + " runtime").contains((String) props.get("runtime"));
            // fc3's environmentVariables is a map of strings: an unquoted false or 100 is not one.
            map(props.get("environmentVariables")).forEach((name, value) ->
                    assertThat(value).as(function.getKey() + " " + name).isInstanceOf(String.class));
            for (Object trigger : list(props.get("triggers"))) {
                if ("http".equals(map(trigger).get("triggerType"))) {
                    assertThat(list(map(map(trigger).get("triggerConfig")).get("methods")))
                            .as(function.getKey() + " methods").isNotEmpty().allMatch(Fc3Schema.HTTP_METHODS::contains);
                }
            }
        }
    }

    @Test
    void every_function_has_an_initializer_and_a_pre_stop_hook_within_fc_limits() throws Exception {
        for (Map.Entry<String, Map<String, Object>> function : fc3Functions().entrySet()) {
            Map<String, Object> hooks = map(function.getValue().get("instanceLifecycleConfig"));
            assertHook(function.getKey() + " initializer", map(hooks.get("initializer")), Fc3Schema.INITIALIZER_MAX_SECONDS);
            assertHook(function.getKey() + " preStop", map(hooks.get("preStop")), Fc3Schema.PRE_STOP_MAX_SECONDS);
        }
    }

    private static void assertHook(String what, Map<String, Object> hook, int maxSeconds) {
        assertThat((String) hook.get("handler")).as(what + " handler (an empty one turns the hook off)").isNotBlank();
        assertThat(hook.get("timeout")).as(what + " timeout").isInstanceOf(Integer.class);
        assertThat((Integer) hook.get("timeout")).as(what + " timeout").isBetween(1, maxSeconds);
    }

    @Test
    void instance_concurrency_is_set_only_on_custom_runtimes() throws Exception {
        // FC 3.0: "standard runtimes no longer support the instance concurrency feature".
        fc3Functions().forEach((name, props) -> {
            if (props.containsKey("instanceConcurrency")) {
                assertThat((String) props.get("runtime")).as(name + " has instanceConcurrency").startsWith("custom");
            }
        });
    }

    @Test
    void every_function_logs_to_sls() throws Exception {
        fc3Functions().forEach((name, props) -> {
            Object logConfig = props.get("logConfig");
            if (!"auto".equals(logConfig)) {
                assertThat(map(logConfig)).as(name + " logConfig: auto or {project, logstore}").containsKeys("project", "logstore");
            }
        });
    }

    @Test
    void the_chat_only_function_does_not_load_the_embedding_model() throws Exception {
        assertThat(map(fc3Functions().get("chat").get("environmentVariables"))).containsEntry("JINGNEI_RAG_ENABLED", "false");
    }

    @Test
    void no_variable_must_be_set_in_the_shell_to_deploy() throws Exception {
        // ${env('NAME')} without a default stops `s deploy` when NAME is unset or empty; every
        // setting needs a default ('' = the core's own default). JINGNEI_UPSTREAMS alone configures
        // the LLM, so not even the key is required (DescriptorToolsIT runs the parser on these cases).
        Matcher withoutDefault = Pattern.compile("\\$\\{env\\('([A-Za-z0-9_]+)'\\)}").matcher(Descriptors.text("s.yaml"));
        List<String> required = new ArrayList<>();
        while (withoutDefault.find()) {
            required.add(withoutDefault.group(1));
        }
        assertThat(required).isEmpty();
    }
}
