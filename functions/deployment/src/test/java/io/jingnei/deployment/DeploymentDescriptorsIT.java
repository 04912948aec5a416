package io.jingnei.deployment;

import io.jingnei.core.testing.CodePackage;
import io.jingnei.core.testing.FakeUpstream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * s.yaml, template.yml and serverless.yml against what `mvn package` built: every handler named
 * exists in the package the descriptor points at and loads on Java 11; the web function's package
 * starts with its bootstrap and serves the app; the declared triggers are the ones promised.
 */
class DeploymentDescriptorsIT {
    private static final Path ROOT = Paths.get("../..");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(String file) throws IOException {
        return new Yaml().load(Files.readString(ROOT.resolve(file)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return (List<Object>) value;
    }

    /** "pkg.Class::method" exists with that public method in the package at {@code code}. */
    private static void assertHandler(CodePackage code, String handler) throws Exception {
        String[] parts = handler.split("::");
        Class<?> type = code.newLoader().loadClass(parts[0]);
        assertThat(java.util.Arrays.stream(type.getMethods()).map(java.lang.reflect.Method::getName)).as(handler).contains(parts[1]);
    }

    @Test
    void every_java11_function_in_s_yaml_points_at_a_package_that_exists_and_loads_on_java_11() throws Exception {
        Map<String, Object> resources = map(yaml("s.yaml").get("resources"));
        Set<String> triggerTypes = new TreeSet<>();
        int java11 = 0;
        for (Map.Entry<String, Object> resource : resources.entrySet()) {
            Map<String, Object> props = map(map(resource.getValue()).get("props"));
            assertThat(map(resource.getValue()).get("component")).isEqualTo("fc3");
            for (Object trigger : list(props.get("triggers"))) {
                triggerTypes.add((String) map(trigger).get("triggerType"));
            }
            Path code = ROOT.resolve((String) props.get("code"));
            assertThat(code).as(resource.getKey() + " code").exists();
            if ("java11".equals(props.get("runtime"))) {
                java11++;
                CodePackage unpacked = CodePackage.unzip(code);
                assertThat(unpacked.classesNewerThan(55)).isEmpty();
                Map<String, Object> hooks = map(props.get("instanceLifecycleConfig"));
                assertHandler(unpacked, (String) props.get("handler"));
                assertHandler(unpacked, (String) map(hooks.get("initializer")).get("handler"));
                assertHandler(unpacked, (String) map(hooks.get("preStop")).get("handler"));
            }
        }
        assertThat(java11).as("chat, rag-query, faq-batch, index-build").isEqualTo(4);
        assertThat(triggerTypes).contains("http", "oss", "timer");
    }

    @Test
    void the_custom_runtime_function_starts_with_its_bootstrap_and_serves_the_app_including_rag() throws Exception {
        Map<String, Object> web = map(map(map(yaml("s.yaml").get("resources")).get("web")).get("props"));
        assertThat(web.get("runtime")).isEqualTo("custom.debian10");
        assertThat(list(web.get("layers")).get(0).toString()).contains("official:layers/Java17");
        assertThat(map(web.get("customRuntimeConfig")).get("port")).isEqualTo(9000);
        assertThat(((Number) web.get("instanceConcurrency")).intValue()).isGreaterThan(1);
        CodePackage code = CodePackage.unzip(ROOT.resolve((String) web.get("code")));
        Path bootstrap = code.root.resolve("bootstrap");
        assertThat(Files.readString(bootstrap)).doesNotContain("\r");
        assertThat(Files.readString(code.root.resolve("scf_bootstrap"))).startsWith("#!/bin/bash").doesNotContain("\r");
        assertThat(code.entriesContaining("fastjson")).isEmpty();

        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        try (FakeUpstream upstream = FakeUpstream.start()) {
            ProcessBuilder start = new ProcessBuilder("bash", bootstrap.toString()).redirectErrorStream(true)
                    .redirectOutput(code.root.resolve("web.log").toFile());
            start.environment().put("FC_CUSTOM_LISTEN_PORT", String.valueOf(port));
            start.environment().put("JAVA_HOME", System.getProperty("java.home"));
            start.environment().put("JINGNEI_LLM_BASE_URL", upstream.baseUrl());
            start.environment().put("JINGNEI_LLM_API_KEY", FakeUpstream.KEY);
            // FC_CUSTOM_LISTEN_PORT makes this FC, where callers need credentials: give it a client key as a deployment would.
            start.environment().put("JINGNEI_CLIENT_KEYS", "ck-deploy-check-0001:ops");
            Process process = start.start();
            try {
                HttpClient client = HttpClient.newHttpClient();
                HttpResponse<String> chat = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (chat == null && System.nanoTime() < deadline && process.isAlive()) {
                    try {
                        chat = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/chat"))
                                .header("Content-Type", "application/json").header("Authorization", "Bearer ck-deploy-check-0001")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"你好\"}")).build(), HttpResponse.BodyHandlers.ofString());
                    } catch (IOException notYet) {
                        Thread.sleep(100);
                    }
                }
                assertThat(chat).as(Files.readString(code.root.resolve("web.log"))).isNotNull();
                assertThat(chat.statusCode()).isEqualTo(200);
                assertThat(chat.body()).contains("\"status\":\"success\"");
                HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + map(web.get("customRuntimeConfig")).get("healthCheckConfig").toString().replaceAll(".*httpGetUrl=([^,}]*).*", "$1")))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
                // The package carries ONNX Runtime and the tokenizer with linux-x86_64 natives only: RAG must still work.
                HttpResponse<String> rag = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/rag-query"))
                        .header("Content-Type", "application/json").header("Authorization", "Bearer ck-deploy-check-0001")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"退货要多久能到账？\"}")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(rag.statusCode()).as(rag.body()).isEqualTo(200);
                assertThat(rag.body()).contains("refund-time");
                // The hooks s.yaml turns on: FC calls them with its control-path header.
                HttpResponse<String> initialize = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/initialize"))
                        .header("x-fc-control-path", "/initialize").POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(initialize.statusCode()).as(initialize.body()).isEqualTo(200);
                HttpResponse<String> preStop = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/pre-stop"))
                        .header("x-fc-control-path", "/pre-stop").GET().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(preStop.statusCode()).as(preStop.body()).isEqualTo(200);
            } finally {
                process.destroy();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void template_yml_is_a_funcraft_template_whose_handlers_exist() throws Exception {
        Map<String, Object> template = yaml("template.yml");
        assertThat(template.get("ROSTemplateFormatVersion")).isEqualTo("2015-09-01");
        assertThat(template.get("Transform")).isEqualTo("Aliyun::Serverless-2018-04-03");
        Map<String, Object> service = map(map(template.get("Resources")).get("jingnei"));
        assertThat(service.get("Type")).isEqualTo("Aliyun::Serverless::Service");
        Set<String> eventTypes = new TreeSet<>();
        List<String> functions = new ArrayList<>();
        for (Map.Entry<String, Object> entry : service.entrySet()) {
            if (!(entry.getValue() instanceof Map) || !"Aliyun::Serverless::Function".equals(map(entry.getValue()).get("Type"))) {
                continue;
            }
            functions.add(entry.getKey());
            Map<String, Object> props = map(map(entry.getValue()).get("Properties"));
            Path code = ROOT.resolve((String) props.get("CodeUri"));
            assertThat(code).exists();
            if ("java11".equals(props.get("Runtime"))) {
                CodePackage unpacked = CodePackage.unzip(code);
                assertHandler(unpacked, (String) props.get("Handler"));
                assertHandler(unpacked, (String) props.get("Initializer"));
                assertHandler(unpacked, (String) map(map(props.get("InstanceLifecycleConfig")).get("PreStop")).get("Handler"));
            } else {
                assertThat(props.get("Runtime")).isEqualTo("custom");
                assertThat(CodePackage.unzip(code).root.resolve("bootstrap")).exists();
            }
            for (Object event : Descriptors.map(map(entry.getValue()).get("Events")).values()) {
                eventTypes.add((String) map(event).get("Type"));
            }
        }
        assertThat(functions).containsExactlyInAnyOrder("chat", "rag-query", "faq-batch", "index-build");
        assertThat(eventTypes).containsExactlyInAnyOrder("OSS", "Timer");
    }

    @Test
    void serverless_yml_declares_apigw_cos_and_timer_on_an_scf_handler_that_exists() throws Exception {
        Map<String, Object> sls = yaml("serverless.yml");
        assertThat(sls.get("component")).isEqualTo("scf");
        Map<String, Object> inputs = map(sls.get("inputs"));
        assertThat(inputs.get("runtime")).isEqualTo("Java11");
        Path src = ROOT.resolve((String) map(inputs.get("src")).get("src"));
        assertThat(src).isDirectory();
        Set<String> events = new TreeSet<>();
        for (Object event : list(inputs.get("events"))) {
            events.addAll(map(event).keySet());
        }
        assertThat(events).containsExactlyInAnyOrder("apigw", "cos", "timer");
        CodePackage code = CodePackage.unzip(ROOT.resolve("functions/scf/target/jingnei-scf.zip"));
        assertHandler(code, (String) inputs.get("handler"));
        assertThat(code.classesNewerThan(55)).isEmpty();
        assertThat(code.entriesContaining("fastjson")).isEmpty();
    }

    @Test
    void scf_index_build_is_an_event_function_with_cos_and_timer_on_the_index_build_package_with_its_parsers() throws Exception {
        Map<String, Object> inputs = map(yaml("scf-index-build/serverless.yml").get("inputs"));
        assertThat(inputs.get("runtime")).isEqualTo("Java11");
        Path src = ROOT.resolve("scf-index-build").resolve((String) map(inputs.get("src")).get("src")).normalize();
        assertThat(src).isEqualTo(ROOT.resolve("functions/scf/target/jingnei-scf-index-build").normalize()).isDirectory();
        Set<String> events = new TreeSet<>();
        for (Object event : list(inputs.get("events"))) {
            events.addAll(map(event).keySet());
        }
        assertThat(events).containsExactlyInAnyOrder("cos", "timer");
        CodePackage code = CodePackage.at(src);
        assertHandler(code, (String) inputs.get("handler"));
        assertThat(code.classesNewerThan(55)).isEmpty();
        assertThat(code.entriesContaining("org/apache/pdfbox/")).isNotEmpty();
    }

    @Test
    void scf_web_is_a_web_function_on_the_unpacked_web_package_which_brings_its_own_scf_bootstrap() throws Exception {
        Map<String, Object> inputs = map(yaml("scf-web/serverless.yml").get("inputs"));
        assertThat(inputs.get("type")).isEqualTo("web");
        // Where the walkthrough unpacks jingnei-web.zip.
        assertThat(ROOT.resolve("scf-web").resolve((String) map(inputs.get("src")).get("src")).normalize())
                .isEqualTo(ROOT.resolve("functions/app/target/jingnei-web").normalize());
        assertThat(Descriptors.deployGuide()).contains("unzip -o functions/app/target/jingnei-web.zip -d functions/app/target/jingnei-web");
        // With an scf_bootstrap at the root, the scf component injects none of its own.
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(ROOT.resolve("functions/app/target/jingnei-web.zip").toFile())) {
            assertThat(zip.getEntry("scf_bootstrap")).isNotNull();
        }
    }
}
