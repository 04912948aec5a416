package io.jingnei.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU pinning for the gateway benchmarks, so a gateway is measured on a core of its own: the load
 * generator and the fake upstream (this JVM) on core 0, each gateway process on core 1. Without
 * {@code taskset} or with one core, nothing is pinned and the report says so.
 */
final class Pinning {
    static final String LOAD_CORE = "0";
    static final String GATEWAY_CORE = "1";
    /**
     * Read once, before anything is pinned: once this JVM is pinned to one core,
     * availableProcessors() answers 1 and pinning would look unavailable.
     */
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private static final boolean AVAILABLE = CORES >= 2 && Files.isExecutable(Path.of("/usr/bin/taskset"));

    private Pinning() {
    }

    static boolean available() {
        return AVAILABLE;
    }

    /** {@code command} run on the gateway core. */
    static String[] onGatewayCore(String... command) {
        if (!available()) {
            return command;
        }
        List<String> pinned = new ArrayList<>(List.of("taskset", "-c", GATEWAY_CORE));
        pinned.addAll(List.of(command));
        return pinned.toArray(new String[0]);
    }

    /** Moves every thread of this JVM (threads started later inherit it) to {@code cpus}, e.g. "0" or "0-1". */
    static void thisJvmOn(String cpus) throws IOException, InterruptedException {
        if (!available()) {
            return;
        }
        Process taskset = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, String.valueOf(ProcessHandle.current().pid()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (taskset.waitFor() != 0) {
            throw new IOException("taskset could not pin the benchmark JVM to " + cpus);
        }
    }

    static String allCores() {
        return "0-" + (CORES - 1);
    }

    static String describe() {
        return available() ? "load generator and fake upstream pinned to core " + LOAD_CORE + ", each gateway to core " + GATEWAY_CORE
                : "not pinned (one core or no taskset)";
    }
}
