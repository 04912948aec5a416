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
    void there_is_no_web_function_because_ros_functions_have_no_layers_and_no_http_trigger_on_a_java11_function() throws Exception {
        // --use-ros hands the template to ROS, whose ALIYUN::FC::Function has no Layers: the web
        // function would run without its Java 17. FC 2.0 HTTP triggers call java11 functions as
        // servlets, not with the event our handlers read. So: event functions only.
        assertThat(funcraftFunctions()).containsOnlyKeys("chat", "rag-query", "faq-batch", "index-build");
        funcraftFunctions().forEach((name, function) -> {
            assertThat(map(function.get("Properties"))).as(name).doesNotContainKey("Layers");
            assertThat(map(function.get("Events")).values()).as(name).noneMatch(event -> "HTTP".equals(map(event).get("Type")));
        });
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
                    if (value instanceof Map && map(value).containsKey("Fn::Sub")) {
                        String template = (String) map(value).get("Fn::Sub");
                        java.util.regex.Matcher ref = java.util.regex.Pattern.compile("\\$\\{([A-Za-z0-9]+)}").matcher(template);
                        while (ref.find()) {
                            assertThat(parameters).as(name + " " + variable).containsKey(ref.group(1));
                        }
                    } else if (value instanceof Map) {
                        assertThat(map(value).keySet()).as(name + " " + variable).containsExactly("Ref");
                        assertThat(parameters).as(name + " " + variable).containsKey((String) map(value).get("Ref"));
                    } else {
                        assertThat(value).as(name + " " + variable).isInstanceOf(String.class);
                    }
                }));
    }

    @Test
    void faq_batch_reads_its_bucket_from_a_parameter_because_bucket_names_are_global() throws Exception {
        Map<String, Object> faq = funcraftFunctions().get("faq-batch");
        assertThat(map(map(faq.get("Properties")).get("EnvironmentVariables")).get("JINGNEI_FAQ_BASE_URI"))
                .isEqualTo(Map.of("Fn::Sub", "oss://${FaqBucket}/"));
        assertThat(map(map(map(faq.get("Events")).get("questions-uploaded")).get("Properties")).get("BucketName"))
                .isEqualTo(Map.of("Ref", "FaqBucket"));
    }

    @Test
    void the_chat_only_function_does_not_load_the_embedding_model() throws Exception {
        assertThat(map(map(funcraftFunctions().get("chat").get("Properties")).get("EnvironmentVariables")))
                .containsEntry("JINGNEI_RAG_ENABLED", "false");
    }
}
