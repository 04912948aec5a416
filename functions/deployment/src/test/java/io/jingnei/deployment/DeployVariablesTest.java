package io.jingnei.deployment;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.jingnei.deployment.Descriptors.map;
import static io.jingnei.deployment.Descriptors.yaml;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a deployer must set, per descriptor, and the deploy guide's Deploy variables table: the same
 * names both ways. A variable the guide does not name is one nobody sets (and ${env('X')}
 * without a default stops `s deploy`); a row no descriptor reads is a setting that does nothing.
 */
class DeployVariablesTest {
    private static final Pattern ANY_EXPRESSION = Pattern.compile("\\$\\{[^}]*}}?");
    /** Serverless Devs: ${env('NAME')} or ${env('NAME', 'default')}. */
    private static final Pattern S_ENV = Pattern.compile("\\$\\{env\\('([A-Za-z0-9_]+)'(?:\\s*,\\s*'[^']*')?\\)}");
    /** Tencent Serverless Framework components: ${env:NAME}. */
    private static final Pattern SLS_ENV = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)}");
    /** Template-engine style ${{ NAME }}: none used today, but one would be a deploy variable too. */
    private static final Pattern DOUBLE_BRACE = Pattern.compile("\\$\\{\\{\\s*([A-Za-z0-9_.]+)\\s*}}");
    /** ROS (template.yml through --use-ros): a parameter named inside Fn::Sub, ${Name}. */
    private static final Pattern ROS_SUB = Pattern.compile("\\$\\{([A-Za-z][A-Za-z0-9]*)}");
    /** Resolved by the tools themselves, not by the deployer's shell. */
    private static final Pattern TOOL_EXPRESSION = Pattern.compile("\\$\\{(vars\\.[A-Za-z0-9_]+|config\\('AccountID'\\)|stage)}");

    /** Descriptor text without full-line comments (they mention the syntax in prose). */
    private static String withoutComments(String file) throws Exception {
        StringBuilder kept = new StringBuilder();
        for (String line : Descriptors.text(file).split("\n")) {
            if (!line.stripLeading().startsWith("#")) {
                kept.append(line).append('\n');
            }
        }
        return kept.toString();
    }

    private static Set<String> variables(String file, Pattern... forms) throws Exception {
        String text = withoutComments(file);
        Set<String> names = new TreeSet<>();
        List<String> unrecognised = new ArrayList<>();
        Matcher any = ANY_EXPRESSION.matcher(text);
        while (any.find()) {
            String expression = any.group();
            boolean known = TOOL_EXPRESSION.matcher(expression).matches();
            for (Pattern form : forms) {
                Matcher variable = form.matcher(expression);
                if (variable.matches()) {
                    names.add(variable.group(1));
                    known = true;
                }
            }
            if (!known) {
                unrecognised.add(expression);
            }
        }
        assertThat(unrecognised).as(file + ": expressions this check cannot read").isEmpty();
        return names;
    }

    /** Every name a deployer sets: shell variables of s.yaml and the three serverless.yml files, template.yml's parameters. */
    static Set<String> descriptorVariables() throws Exception {
        Set<String> all = new TreeSet<>();
        all.addAll(variables("s.yaml", S_ENV, DOUBLE_BRACE));
        all.addAll(variables("serverless.yml", SLS_ENV, DOUBLE_BRACE));
        all.addAll(variables("scf-web/serverless.yml", SLS_ENV, DOUBLE_BRACE));
        all.addAll(variables("scf-index-build/serverless.yml", SLS_ENV, DOUBLE_BRACE));
        all.addAll(variables("template.yml", DOUBLE_BRACE, ROS_SUB));
        all.addAll(map(yaml("template.yml").get("Parameters")).keySet());
        return all;
    }

    @Test
    void every_variable_a_descriptor_reads_is_in_the_deploy_guides_variables_table() throws Exception {
        assertThat(Descriptors.deployGuideVariables()).containsAll(descriptorVariables());
    }

    @Test
    void every_row_of_the_deploy_guides_variables_table_is_read_by_a_descriptor() throws Exception {
        assertThat(descriptorVariables()).containsAll(Descriptors.deployGuideVariables());
    }

    @Test
    void the_deploy_guides_table_names_each_variable_once() throws Exception {
        List<String> rows = Descriptors.deployGuideVariables();
        assertThat(rows).doesNotHaveDuplicates().isNotEmpty();
    }

    @Test
    void the_core_settings_reach_every_platform_the_same_way() throws Exception {
        // s.yaml and both serverless.yml files pass the same JINGNEI_* settings: a security setting
        // that only one platform (or function) receives is one that runs with the default.
        Set<String> fc = new TreeSet<>(variables("s.yaml", S_ENV));
        Set<String> scf = new TreeSet<>(variables("serverless.yml", SLS_ENV));
        Set<String> scfWeb = new TreeSet<>(variables("scf-web/serverless.yml", SLS_ENV));
        Set<String> scfIndexBuild = new TreeSet<>(variables("scf-index-build/serverless.yml", SLS_ENV));
        fc.removeIf(name -> !name.startsWith("JINGNEI_"));
        scf.removeIf(name -> !name.startsWith("JINGNEI_"));
        scfWeb.removeIf(name -> !name.startsWith("JINGNEI_"));
        scfIndexBuild.removeIf(name -> !name.startsWith("JINGNEI_"));
        assertThat(scf).isEqualTo(fc);
        assertThat(scfWeb).isEqualTo(fc);
        assertThat(scfIndexBuild).isEqualTo(fc);
    }
}
