package io.jingnei.core.index;

import java.util.Optional;

/**
 * Picks the fastest kernel the JVM offers. {@code SimdKernel} lives only under
 * META-INF/versions/17 of the multi-release jar and needs {@code --add-modules jdk.incubator.vector};
 * on Java 11, without the module, or where only C1 compiles, the scalar kernel is used.
 */
public final class Kernels {
    private static final Kernel BEST = load();

    private Kernels() {
    }

    public static Kernel best() {
        return BEST;
    }

    /** The Vector API kernel whatever the JIT, where the module is present: for benchmarks. */
    public static Optional<Kernel> vectorApi() {
        try {
            return Optional.of((Kernel) Class.forName("io.jingnei.core.index.SimdKernel").getDeclaredConstructor().newInstance());
        } catch (Throwable unavailable) {
            return Optional.empty();
        }
    }

    private static Kernel load() {
        if (Boolean.getBoolean("jingnei.scalar")) {
            return new ScalarKernel();
        }
        Optional<Kernel> vector = vectorApi();
        // Under C1 alone (bootstrap's -XX:TieredStopAtLevel=1) every Vector API operation allocates:
        // measured 5x slower than the scalar kernel on float32 and 15x on int8 (bench/run.sh under C1).
        if (vector.isPresent() && JitCompilers.c2Compiles()) {
            return vector.get();
        }
        return new ScalarKernel();
    }
}
