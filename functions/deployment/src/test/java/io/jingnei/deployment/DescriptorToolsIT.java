package io.jingnei.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The descriptors through the platforms' own code (src/test/node/check-descriptors.cjs, versions
 * pinned in its package-lock.json, installed by `npm ci` when node_modules is missing or older than
 * the lock): Serverless Devs' parser with fake credentials plus fc3's schema, Funcraft's
 * `fun validate`, the Serverless Components resolver; each ${env} case (unset, empty, an upstream
 * list only, a full configuration). A broken copy of each descriptor is refused, so the check checks.
 */
class DescriptorToolsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path NODE = Paths.get("src/test/node").toAbsolutePath();

    private record Result(int exit, String out) {
        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }
    }

    @BeforeAll
    static void install() throws Exception {
        Path installed = NODE.resolve("node_modules/.package-lock.json");
        if (!Files.exists(installed) || Files.getLastModifiedTime(installed).compareTo(Files.getLastModifiedTime(NODE.resolve("package-lock.json"))) < 0) {
            Result ci = run(List.of("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"), 600);
            assertThat(ci.exit).as(ci.out).isZero();
        }
    }

    private static Result run(List<String> command, long seconds) throws Exception {
        Path log = Files.createTempFile("jingnei-node-", ".log");
        Process process = new ProcessBuilder(command).directory(NODE.toFile()).redirectErrorStream(false)
                .redirectError(log.toFile()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(seconds, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        return new Result(process.exitValue(), out.isEmpty() ? Files.readString(log) : out);
    }

    private static Result check(String mode, Path file) throws Exception {
        return run(List.of("node", "check-descriptors.cjs", mode, file.toAbsolutePath().toString()), 120);
    }

    /** A copy of {@code file} with one change, at the same path under a new root beside unchanged copies of the root's serverless.yml (a parent the CLI reads). */
    private static Path broken(String file, String from, String to) throws IOException {
        String text = Descriptors.text(file);
        assertThat(text).contains(from);
        Path root = Files.createTempDirectory("jingnei-broken-");
        Path copy = root.resolve(file);
        Files.createDirectories(copy.getParent());
        if (!file.equals("serverless.yml")) {
            Files.writeString(root.resolve("serverless.yml"), Descriptors.text("serverless.yml"));
        }
        Files.writeString(copy, text.replace(from, to));
        return copy;
    }

    @Test
    void s_yaml_parses_in_every_env_case_and_every_function_meets_fc3s_schema_within_4_kb_of_environment() throws Exception {
        Result result = check("s", Descriptors.ROOT.resolve("s.yaml"));
        assertThat(result.exit).as(result.out).isZero();
        JsonNode report = result.json();
        assertThat(report.fieldNames()).toIterable().containsExactly("unset", "empty", "upstreams only", "full");
        for (JsonNode envCase : report) {
            assertThat(envCase.path("errors")).as(envCase.toString()).isEmpty();
            assertThat(envCase.path("functions").fieldNames()).toIterable().containsExactlyInAnyOrder("chat", "rag-query", "faq-batch", "index-build", "web");
            envCase.path("functions").forEach(function -> assertThat(function.path("env_bytes").asInt()).isLessThan(4096));
        }
        JsonNode web = report.path("full").path("functions").path("web");
        assertThat(web.path("layers").get(0).asText()).isEqualTo("acs:fc:cn-shanghai:official:layers/Java17/versions/3");
        assertThat(web.path("faq").asText()).isEqualTo("oss://jingnei-faq-1234567890123456/");
    }

    @Test
    void values_and_types_are_checked_not_only_names() throws Exception {
        Result disk = check("s", broken("s.yaml", "diskSize: 512", "diskSize: 1024"));
        assertThat(disk.exit).as(disk.out).isEqualTo(1);
        assertThat(disk.out).contains("web/diskSize");
        Result noDefault = check("s", broken("s.yaml", "${env('JINGNEI_LLM_API_KEY', '')}", "${env('JINGNEI_LLM_API_KEY')}"));
        assertThat(noDefault.exit).isEqualTo(1);
        assertThat(noDefault.out).contains("env('JINGNEI_LLM_API_KEY') not found");
        Result authType = check("s", broken("s.yaml", "authType: anonymous", "authType: NOBODY"));
        assertThat(authType.exit).as(authType.out).isEqualTo(1);
        assertThat(authType.out).contains("triggerConfig/authType");
    }

    @Test
    void template_yml_passes_funcrafts_own_validator_and_a_wrong_value_does_not() throws Exception {
        Result result = check("fun", Descriptors.ROOT.resolve("template.yml"));
        assertThat(result.exit).as(result.out).isZero();
        Path nobody = broken("template.yml", "          Type: Timer\n          Properties:\n",
                "          Type: Timer\n          Properties:\n            InvocationRole: 7\n");
        Result wrong = check("fun", nobody);
        assertThat(wrong.exit).as(wrong.out).isEqualTo(1);
        assertThat(wrong.out).contains("template is not valid");
    }

    @Test
    void serverless_yml_resolves_without_an_app_id_and_an_unset_faq_bucket_names_no_cos_bucket() throws Exception {
        Result result = check("sls", Descriptors.ROOT.resolve("serverless.yml"));
        assertThat(result.exit).as(result.out).isZero();
        JsonNode report = result.json();
        for (JsonNode envCase : report) {
            assertThat(envCase.path("errors")).as(envCase.toString()).isEmpty();
            assertThat(envCase.path("role").asText()).isEqualTo("jingnei-scf-runtime");
            assertThat(envCase.path("env_bytes").asInt()).isLessThan(4096);
        }
        // No case sets TENCENT_APP_ID: the bucket is the deployer's one variable, whole.
        assertThat(report.path("full").path("bucket").asText()).isEqualTo("jingnei-faq-1250000000.cos.ap-guangzhou.myqcloud.com");
        assertThat(report.path("full").path("faq").asText()).isEqualTo("cos://jingnei-faq-1250000000/");
        assertThat(report.path("full").path("bucket_has_appid").asBoolean()).isTrue();
        assertThat(report.path("full").path("undefined_values")).isEmpty();
        // The resolver has no defaults or errors: unset, the value reads "undefined", which is no COS
        // bucket's name (they all end in -<APPID>), so the trigger cannot be made on someone's bucket.
        assertThat(report.path("unset").path("bucket").asText()).isEqualTo("undefined.cos.ap-guangzhou.myqcloud.com");
        assertThat(report.path("unset").path("bucket_has_appid").asBoolean()).isFalse();
        assertThat(report.path("unset").path("faq").asText()).isEqualTo("cos://undefined/");
    }

    @Test
    void the_scf_web_function_resolves_as_a_web_function_of_the_same_app_and_stage_with_the_java17_layer() throws Exception {
        Result result = check("sls", Descriptors.ROOT.resolve("scf-web/serverless.yml"));
        assertThat(result.exit).as(result.out).isZero();
        JsonNode report = result.json();
        for (JsonNode envCase : report) {
            assertThat(envCase.path("errors")).as(envCase.toString()).isEmpty();
            assertThat(envCase.path("component").asText()).isEqualTo("scf");
            assertThat(envCase.path("type").asText()).isEqualTo("web");
            assertThat(envCase.path("app").asText()).as("from ../serverless.yml").isEqualTo("jingnei");
            assertThat(envCase.path("role").asText()).isEqualTo("jingnei-scf-runtime");
            assertThat(envCase.path("env_bytes").asInt()).isLessThan(4096);
        }
        JsonNode full = report.path("full");
        assertThat(full.path("stage").asText()).as("../serverless.yml's ${env:STAGE}").isEqualTo("prod");
        assertThat(full.path("layers").get(0).path("name").asText()).isEqualTo("jingnei-java17");
        assertThat(full.path("faq").asText()).isEqualTo("cos://jingnei-faq-1250000000/");
        assertThat(full.path("undefined_values")).isEmpty();
    }

    @Test
    void the_scf_index_build_function_resolves_with_its_knowledge_base_bucket_and_an_unset_one_names_no_cos_bucket() throws Exception {
        Result result = check("sls", Descriptors.ROOT.resolve("scf-index-build/serverless.yml"));
        assertThat(result.exit).as(result.out).isZero();
        JsonNode report = result.json();
        for (JsonNode envCase : report) {
            assertThat(envCase.path("errors")).as(envCase.toString()).isEmpty();
            assertThat(envCase.path("component").asText()).isEqualTo("scf");
            assertThat(envCase.path("type").asText()).isEqualTo("event");
            assertThat(envCase.path("app").asText()).as("from ../serverless.yml").isEqualTo("jingnei");
            assertThat(envCase.path("role").asText()).isEqualTo("jingnei-scf-runtime");
            assertThat(envCase.path("env_bytes").asInt()).isLessThan(4096);
        }
        JsonNode full = report.path("full");
        assertThat(full.path("bucket").asText()).isEqualTo("jingnei-kb-1250000000.cos.ap-guangzhou.myqcloud.com");
        assertThat(full.path("kb").asText()).isEqualTo("cos://jingnei-kb-1250000000/docs/");
        assertThat(full.path("undefined_values")).isEmpty();
        assertThat(report.path("unset").path("bucket").asText()).isEqualTo("undefined.cos.ap-guangzhou.myqcloud.com");
        assertThat(report.path("unset").path("bucket_has_appid").asBoolean()).isFalse();
    }

    @Test
    void the_scf_components_own_input_rules_refuse_a_wrong_value() throws Exception {
        Result java17 = check("sls", broken("scf-web/serverless.yml", "runtime: Java11", "runtime: Java17"));
        assertThat(java17.exit).as(java17.out).isEqualTo(1);
        assertThat(java17.out).contains("inputs/runtime: ").contains("Java17").contains("is not one of");
        Result type = check("sls", broken("scf-web/serverless.yml", "type: web", "type: http"));
        assertThat(type.exit).as(type.out).isEqualTo(1);
        assertThat(type.out).contains("inputs/type");
        Result layerVersion = check("sls", broken("scf-web/serverless.yml", "version: 1", "version: latest"));
        assertThat(layerVersion.exit).as(layerVersion.out).isEqualTo(1);
        assertThat(layerVersion.out).contains("inputs/layers/0/version: expected number");
        Result memory = check("sls", broken("serverless.yml", "memorySize: 2048", "memorySize: 2000"));
        assertThat(memory.exit).as(memory.out).isEqualTo(1);
        assertThat(memory.out).contains("inputs/memorySize: 2000 is not one of");
    }
}
