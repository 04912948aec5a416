package io.jingnei.bench;

import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.ArrayList;
import java.util.List;

/**
 * One thread's streaming-read bandwidth: sums a long array far larger than the caches with the
 * Vector API, reading it as 1, 4 and 8 sequential streams at once (on a 2-core Xeon VM one stream
 * reads ~11 GB/s and several ~15-17 GB/s, as the hardware prefetcher follows each stream). The best
 * run of the best stream count is the floor no scan of that many bytes can beat on this machine.
 */
final class ReadBandwidth {
    private static final VectorSpecies<Long> L = LongVector.SPECIES_PREFERRED;
    static final int[] STREAMS = {1, 4, 8};

    /** Best GB/s per entry of {@link #STREAMS}. */
    final double[] gbPerSecond = new double[STREAMS.length];
    final long bytes;

    private ReadBandwidth(long bytes) {
        this.bytes = bytes;
    }

    static ReadBandwidth measure(long bytes, int runs) {
        ReadBandwidth result = new ReadBandwidth(bytes);
        long[] array = new long[(int) (bytes / Long.BYTES)];
        for (int i = 0; i < array.length; i++) {
            array[i] = i;
        }
        long sink = 0;
        for (int s = 0; s < STREAMS.length; s++) {
            for (int warm = 0; warm < 3; warm++) {
                sink += sum(array, STREAMS[s]);
            }
            List<Double> seconds = new ArrayList<>();
            for (int run = 0; run < runs; run++) {
                long start = System.nanoTime();
                sink += sum(array, STREAMS[s]);
                seconds.add((System.nanoTime() - start) / 1e9);
            }
            result.gbPerSecond[s] = array.length * (double) Long.BYTES / Stats.percentile(seconds, 0) / 1e9;
        }
        if (sink == 42) {
            System.out.println("(keeps the sums alive)");
        }
        return result;
    }

    double best() {
        double best = 0;
        for (double g : gbPerSecond) {
            best = Math.max(best, g);
        }
        return best;
    }

    /** Seconds a scan of this many bytes needs at the best bandwidth. */
    double floorSeconds(long scanned) {
        return scanned / (best() * 1e9);
    }

    private static long sum(long[] a, int streams) {
        int part = a.length / streams / L.length() * L.length();
        switch (streams) {
            case 1:
                return sum1(a, a.length / (4 * L.length()) * 4 * L.length());
            case 4:
                return sum4(a, part);
            default:
                return sum8(a, part);
        }
    }

    /** One stream, four accumulators so the adds never wait on each other. */
    private static long sum1(long[] a, int end) {
        LongVector s0 = LongVector.zero(L);
        LongVector s1 = s0;
        LongVector s2 = s0;
        LongVector s3 = s0;
        int step = L.length();
        for (int i = 0; i < end; i += 4 * step) {
            s0 = s0.add(LongVector.fromArray(L, a, i));
            s1 = s1.add(LongVector.fromArray(L, a, i + step));
            s2 = s2.add(LongVector.fromArray(L, a, i + 2 * step));
            s3 = s3.add(LongVector.fromArray(L, a, i + 3 * step));
        }
        return s0.add(s1).add(s2).add(s3).reduceLanes(VectorOperators.ADD);
    }

    /** Four parts of {@code part} longs each, in lockstep. */
    private static long sum4(long[] a, int part) {
        LongVector s0 = LongVector.zero(L);
        LongVector s1 = s0;
        LongVector s2 = s0;
        LongVector s3 = s0;
        for (int i = 0; i < part; i += L.length()) {
            s0 = s0.add(LongVector.fromArray(L, a, i));
            s1 = s1.add(LongVector.fromArray(L, a, i + part));
            s2 = s2.add(LongVector.fromArray(L, a, i + 2 * part));
            s3 = s3.add(LongVector.fromArray(L, a, i + 3 * part));
        }
        return s0.add(s1).add(s2).add(s3).reduceLanes(VectorOperators.ADD);
    }

    private static long sum8(long[] a, int part) {
        LongVector s0 = LongVector.zero(L);
        LongVector s1 = s0;
        LongVector s2 = s0;
        LongVector s3 = s0;
        LongVector s4 = s0;
        LongVector s5 = s0;
        LongVector s6 = s0;
        LongVector s7 = s0;
        for (int i = 0; i < part; i += L.length()) {
            s0 = s0.add(LongVector.fromArray(L, a, i));
            s1 = s1.add(LongVector.fromArray(L, a, i + part));
            s2 = s2.add(LongVector.fromArray(L, a, i + 2 * part));
            s3 = s3.add(LongVector.fromArray(L, a, i + 3 * part));
            s4 = s4.add(LongVector.fromArray(L, a, i + 4 * part));
            s5 = s5.add(LongVector.fromArray(L, a, i + 5 * part));
            s6 = s6.add(LongVector.fromArray(L, a, i + 6 * part));
            s7 = s7.add(LongVector.fromArray(L, a, i + 7 * part));
        }
        return s0.add(s1).add(s2).add(s3).add(s4).add(s5).add(s6).add(s7).reduceLanes(VectorOperators.ADD);
    }
}
