package io.jingnei.core.index;

/**
 * Picks the fastest kernel the JVM offers. {@code SimdKernel} lives only under
 * META-INF/versions/17 of the multi-release jar and needs {@code --add-modules jdk.incubator.vector};
 * on Java 11, or without the module, the scalar kernel is used.
 */
public final class Kernels {
    private static final Kernel BEST = load();

    private Kernels() {
    }

    public static Kernel best() {
        return BEST;
    }

    private static Kernel load() {
        if (Boolean.getBoolean("jingnei.scalar")) {
            return new ScalarKernel();
        }
        try {
            return (Kernel) Class.forName("io.jingnei.core.index.SimdKernel").getDeclaredConstructor().newInstance();
        } catch (Throwable unavailable) {
            return new ScalarKernel();
        }
    }
}
