package io.jingnei.deployment;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static io.jingnei.deployment.Descriptors.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Funcraft's code-size limits against the packages the build made: `fun deploy` refuses a package
 * over 50 MiB and exits; `fun package` puts code in OSS and allows 100 MiB. A package over the
 * first needs the deploy guide to deploy through the second.
 */
class FuncraftCodeSizeIT {

    private static Map<String, Long> codeSizes() throws Exception {
        Map<String, Long> sizes = new TreeMap<>();
        for (Map.Entry<String, Map<String, Object>> function : Descriptors.funcraftFunctions().entrySet()) {
            String codeUri = (String) map(function.getValue().get("Properties")).get("CodeUri");
            Path code = Descriptors.ROOT.resolve(codeUri);
            assertThat(code).as(function.getKey() + " CodeUri").exists();
            sizes.put(function.getKey() + " (" + codeUri + ")", Files.size(code));
        }
        return sizes;
    }

    @Test
    void every_package_fits_what_fun_package_uploads_to_oss() throws Exception {
        assertThat(codeSizes()).allSatisfy((function, bytes) ->
                assertThat(bytes).as(function).isLessThanOrEqualTo(FuncraftSchema.PACKAGED_UPLOAD_MAX_BYTES));
    }

    @Test
    void a_package_over_the_direct_upload_limit_is_deployed_through_fun_package_as_the_deploy_guide_says() throws Exception {
        boolean over = codeSizes().values().stream().anyMatch(bytes -> bytes > FuncraftSchema.DIRECT_UPLOAD_MAX_BYTES);
        if (over) {
            String deploy = Descriptors.deployGuide();
            assertThat(deploy).contains("fun package --oss-bucket").contains("fun deploy -t template.packaged.yml");
            assertThat(Descriptors.text("template.yml")).contains("fun package --oss-bucket");
        }
    }
}
