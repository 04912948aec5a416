package io.jingnei.deployment;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The web package's start scripts as the platforms run them: SCF requires the start command to be
 * an absolute path, and neither platform's image has the Java 17 the app needs, so a script must
 * find Java where the layer or JAVA_HOME puts it, and say so when there is none; never a java from PATH.
 */
class StartScriptsIT {
    /** "java" as a command word: at a line start or after space, =, ;, |, &, ( or a quote. */
    private static final Pattern BARE_JAVA = Pattern.compile("(^|[\\s=;|&(\"'])java([\\s;|&)\"']|$)");
    /** The zip itself, with the entries' Unix modes (SCF wants 755 or 777). */
    private static FileSystem web;

    @BeforeAll
    static void open() throws Exception {
        web = FileSystems.newFileSystem(Descriptors.ROOT.resolve("functions/app/target/jingnei-web.zip"),
                Map.of("enablePosixFileAttributes", "true"));
    }

    @AfterAll
    static void close() throws Exception {
        web.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"scf_bootstrap", "bootstrap"})
    void the_script_never_names_a_bare_java(String script) throws Exception {
        List<String> bare = new ArrayList<>();
        Path entry = web.getPath(script);
        for (String line : Files.readAllLines(entry)) {
            if (!line.stripLeading().startsWith("#") && BARE_JAVA.matcher(line).find()) {
                bare.add(line);
            }
        }
        assertThat(bare).as(script + " lines that run a java found on PATH").isEmpty();
        assertThat(Files.readString(entry)).startsWith("#!/bin/bash\n").doesNotContain("\r");
        assertThat(Files.getPosixFilePermissions(entry)).as(script + " mode")
                .contains(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"scf_bootstrap", "bootstrap"})
    void without_java_17_the_script_stops_with_a_clear_message_and_never_runs_a_java_from_path(String script) throws Exception {
        // given: no JAVA_HOME, no layer, and a "java" on PATH that would leave a mark if run
        assumeThat(Paths.get("/opt/java17")).as("a Java at /opt/java17 on this machine").doesNotExist();
        assumeThat(Files.newDirectoryStream(Paths.get("/opt"), "jdk-17*").iterator().hasNext()).isFalse();
        Path fakeBin = Files.createTempDirectory("fake-java");
        Path mark = fakeBin.resolve("ran");
        Path fakeJava = fakeBin.resolve("java");
        Files.writeString(fakeJava, "#!/bin/sh\ntouch '" + mark + "'\n");
        Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));

        Path copy = Files.createTempDirectory("start-script").resolve(script);
        Files.copy(web.getPath(script), copy);

        // when
        ProcessBuilder start = new ProcessBuilder("bash", copy.toString()).redirectErrorStream(true);
        start.environment().clear();
        start.environment().put("PATH", fakeBin + ":/usr/bin:/bin");
        Process process = start.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes());

        // then
        assertThat(process.exitValue()).as(output).isNotZero();
        assertThat(output).contains("no Java 17").contains("JAVA_HOME").contains("/opt/java17");
        assertThat(mark).as("the java on PATH was run").doesNotExist();
    }
}
