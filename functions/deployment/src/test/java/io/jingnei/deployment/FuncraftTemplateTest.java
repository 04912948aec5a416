package io.jingnei.deployment;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.jingnei.deployment.Descriptors.funcraftFunctions;
import static io.jingnei.deployment.Descriptors.map;
import static io.jingnei.deployment.Descriptors.yaml;
import static org.assertj.core.api.Assertions.assertThat;

/** template.yml against Funcraft's validator and what FC 2.0 does with each function. */
class FuncraftTemplateTest {

    @Test
    void every_key_in_template_yml_is_a_funcraft_property() throws Exception {
        Map<String, Object> template = yaml("template.yml");
        List<String> unknown = new ArrayList<>(FuncraftSchema.TEMPLATE.unknown("template", template));
        Map<String, Object> service = map(map(template.get("Resources")).get("jingnei"));
        unknown.addAll(FuncraftSchema.SERVICE_PROPERTIES.unknown("jingnei.Properties", service.get("Properties")));
        for (Map.Entry<String, Map<String, Object>> function : funcraftFunctions().entrySet()) {
            unknown.addAll(FuncraftSchema.FUNCTION.unknown(function.getKey(), function.getValue()));
            map(function.getValue().get("Events")).forEach((name, event) -> {
                AllowedKeys properties = FuncraftSchema.EVENT_PROPERTIES.get((String) map(event).get("Type"));
                assertThat(properties).as(function.getKey() + " event " + name + " Type").isNotNull();
                unknown.addAll(properties.unknown(function.getKey() + ".Events." + name + ".Properties", map(event).get("Properties")));
            });
        }
        assertThat(unknown).as("keys Funcraft's validator refuses").isEmpty();
    }

    @Test
    void runtimes_methods_and_parameter_types_are_what_funcraft_accepts() throws Exception {
        funcraftFunctions().forEach((name, function) -> {
            assertThat(FuncraftSchema.RUNTIMES).as(name + " Runtime").contains((String) map(function.get("Properties")).get("Runtime"));
            map(function.get("Events")).values().stream().filter(event -> "HTTP".equals(map(event).get("Type")))
                    .forEach(event -> assertThat(Descriptors.list(map(map(event).get("Properties")).get("Methods")))
                            .as(name + " Methods").allMatch(FuncraftSchema.HTTP_METHODS::contains));
        });
        map(yaml("template.yml").get("Parameters")).forEach((name, parameter) ->
                assertThat(FuncraftSchema.PARAMETER_TYPES).as(name + " Type").contains((String) map(parameter).get("Type")));
    }

    @Test
    void http_triggers_are_only_on_the_custom_runtime_because_fc_2_java_http_handlers_are_servlets() throws Exception {
        funcraftFunctions().forEach((name, function) -> {
            boolean http = map(function.get("Events")).values().stream().anyMatch(event -> "HTTP".equals(map(event).get("Type")));
            if (http) {
                assertThat(map(function.get("Properties")).get("Runtime")).as(name + " has an HTTP trigger").isEqualTo("custom");
            }
        });
        assertThat(map(funcraftFunctions().get("web").get("Events")).values())
                .anyMatch(event -> "HTTP".equals(map(event).get("Type")));
    }

    @Test
    void every_function_has_an_initializer_and_a_pre_stop_hook() throws Exception {
        funcraftFunctions().forEach((name, function) -> {
            Map<String, Object> properties = map(function.get("Properties"));
            assertThat((String) properties.get("Initializer")).as(name + " Initializer").isNotBlank();
            assertThat(properties.get("InitializationTimeout")).as(name + " InitializationTimeout").isInstanceOf(Integer.class);
            Map<String, Object> preStop = map(map(properties.get("InstanceLifecycleConfig")).get("PreStop"));
            assertThat((String) preStop.get("Handler")).as(name + " PreStop Handler").isNotBlank();
            assertThat(preStop.get("Timeout")).as(name + " PreStop Timeout").isInstanceOf(Integer.class);
        });
    }

    @Test
    void the_llm_key_is_a_no_echo_parameter_never_a_literal() throws Exception {
        Map<String, Object> parameters = map(yaml("template.yml").get("Parameters"));
        funcraftFunctions().forEach((name, function) -> {
            Object key = map(map(function.get("Properties")).get("EnvironmentVariables")).get("JINGNEI_LLM_API_KEY");
            assertThat(key).as(name + " JINGNEI_LLM_API_KEY").isInstanceOf(Map.class);
            String parameter = (String) map(key).get("Ref");
            assertThat(map(parameters.get(parameter))).as(name + " key parameter " + parameter)
                    .containsEntry("NoEcho", true).doesNotContainKey("Default");
        });
    }

    @Test
    void every_ref_names_a_declared_parameter_and_every_other_value_is_a_string() throws Exception {
        Map<String, Object> parameters = map(yaml("template.yml").get("Parameters"));
        funcraftFunctions().forEach((name, function) ->
                map(map(function.get("Properties")).get("EnvironmentVariables")).forEach((variable, value) -> {
                    if (value instanceof Map) {
                        assertThat(map(value).keySet()).as(name + " " + variable).containsExactly("Ref");
                        assertThat(parameters).as(name + " " + variable).containsKey((String) map(value).get("Ref"));
                    } else {
                        assertThat(value).as(name + " " + variable).isInstanceOf(String.class);
                    }
                }));
    }

    @Test
    void the_web_function_has_the_index_faq_and_model_settings() throws Exception {
        assertThat(map(map(funcraftFunctions().get("web").get("Properties")).get("EnvironmentVariables")))
                .containsKeys("JINGNEI_INDEX_URI", "JINGNEI_FAQ_BASE_URI", "JINGNEI_LLM_MODEL", "JINGNEI_CLIENT_KEYS", "JAVA_HOME");
    }

    @Test
    void the_chat_only_function_does_not_load_the_embedding_model() throws Exception {
        assertThat(map(map(funcraftFunctions().get("chat").get("Properties")).get("EnvironmentVariables")))
                .containsEntry("JINGNEI_RAG_ENABLED", "false");
    }
}
