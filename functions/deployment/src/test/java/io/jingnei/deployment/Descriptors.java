package io.jingnei.deployment;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the deployment descriptors and the deploy guide at the repository root, the way the deploy tools do. */
final class Descriptors {
    static final Path ROOT = Paths.get("../..");

    private Descriptors() {
    }

    static String text(String file) throws IOException {
        return Files.readString(ROOT.resolve(file));
    }

    /**
     * A safe loader without custom tags, as Funcraft (js-yaml safeLoad) and Serverless Devs parse:
     * a CloudFormation-style short tag such as {@code !Ref} fails here as it fails there.
     */
    static Map<String, Object> yaml(String file) throws IOException {
        return map(new Yaml(new SafeConstructor(new LoaderOptions())).load(text(file)));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        if (value != null && !(value instanceof Map)) {
            throw new AssertionError("expected a mapping, found: " + value);
        }
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value == null ? List.of() : (List<Object>) value;
    }

    /** fc3 functions of s.yaml by resource name: their {@code props}. */
    static Map<String, Map<String, Object>> fc3Functions() throws IOException {
        Map<String, Map<String, Object>> functions = new LinkedHashMap<>();
        map(yaml("s.yaml").get("resources")).forEach((name, resource) -> functions.put(name, map(map(resource).get("props"))));
        return functions;
    }

    /** Funcraft functions of template.yml by name: the whole resource (Type, Properties, Events). */
    static Map<String, Map<String, Object>> funcraftFunctions() throws IOException {
        Map<String, Map<String, Object>> functions = new LinkedHashMap<>();
        map(map(yaml("template.yml").get("Resources")).get("jingnei")).forEach((name, value) -> {
            if (value instanceof Map && "Aliyun::Serverless::Function".equals(map(value).get("Type"))) {
                functions.put(name, map(value));
            }
        });
        return functions;
    }

    /** The deploy guide, {@code docs/deploy.md}: what a deployer reads. */
    static String deployGuide() throws IOException {
        return text("docs/deploy.md");
    }

    /** The first cell of every row of the table under the "## Deploy variables" heading, without backticks. */
    static List<String> deployGuideVariables() throws IOException {
        String section = deployGuide();
        int heading = section.indexOf("\n## Deploy variables\n");
        if (heading < 0) {
            throw new AssertionError("docs/deploy.md has no '## Deploy variables' table");
        }
        List<String> names = new ArrayList<>();
        boolean inTable = false;
        for (String line : section.substring(heading + 1).split("\n")) {
            if (line.startsWith("|")) {
                inTable = true;
                String cell = line.split("\\|")[1].trim();
                if (cell.startsWith("`") && cell.endsWith("`")) {
                    names.add(cell.substring(1, cell.length() - 1));
                }
            } else if (inTable) {
                break;
            }
        }
        return names;
    }
}
