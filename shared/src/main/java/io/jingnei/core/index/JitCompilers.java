package io.jingnei.core.index;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;

/**
 * Which JIT compilers this JVM runs. The Vector API is only fast once C2 compiles it; the
 * {@code bootstrap} start script runs with -XX:TieredStopAtLevel=1 (C1 only) for a faster cold start.
 * Asking costs ~60 ms of class loading, once, and only where the incubator module was added.
 */
final class JitCompilers {
    private JitCompilers() {
    }

    /** True when C2 compiles hot code; also true when the JVM cannot say (not HotSpot), the usual case. */
    static boolean c2Compiles() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (!Boolean.parseBoolean(vm.getVMOption("TieredCompilation").getValue())) {
                return true;
            }
            return Integer.parseInt(vm.getVMOption("TieredStopAtLevel").getValue()) >= 4;
        } catch (RuntimeException | LinkageError unknown) {
            return true;
        }
    }
}
