package io.jingnei.core.index;

import java.util.List;

/**
 * Exact top-k search over normalised vectors by inner product (= cosine). Immutable and safe to
 * share between threads; a newer index replaces it whole.
 *
 * <p>Exact on purpose: sign-bit codes with Hamming pre-selection and exact rescoring of the best
 * 200 would scan 16x fewer bytes, but kept only 0.29 of the exact top 10 on 100k random 512-d
 * vectors (0.93 rescoring 10,000), though 0.996 on 32k bge-small-zh sentence embeddings.
 */
public final class VectorIndex {
    public enum Metric { INNER_PRODUCT, L2 }

    /**
     * Vectors scored per kernel call (32 MB of 512-dimension float32): their scores, 64 KB, stay in
     * L2 for the top-k pass, and each of a kernel's parallel streams through the block runs long.
     */
    private static final int BLOCK = 16_384;
    /**
     * Bytes of vectors scored for every query of a multi-query search before the next are read:
     * well inside a server core's L2 (512 KB to 2 MB), so only the first query reads memory.
     */
    private static final int CACHED_BLOCK_BYTES = 256 * 1024;

    private final Vectors vectors;
    private final ChunkStore chunks;
    private final String modelId;
    private final Metric metric;
    private final Kernel kernel;
    private final float[] squaredNorms;

    VectorIndex(Vectors vectors, ChunkStore chunks, String modelId, Metric metric, Kernel kernel) {
        if (vectors.count != chunks.size()) {
            throw new IndexException("index has " + vectors.count + " vectors but " + chunks.size() + " chunk records");
        }
        this.vectors = vectors;
        this.chunks = chunks;
        this.modelId = modelId;
        this.metric = metric;
        this.kernel = kernel;
        this.squaredNorms = metric == Metric.L2 ? squaredNorms(vectors, kernel) : null;
    }

    private static float[] squaredNorms(Vectors vectors, Kernel kernel) {
        float[] norms = new float[vectors.count];
        for (int i = 0; i < vectors.count; i++) {
            float[] v = vectors.vector(i);
            norms[i] = kernel.dot(v, 0, v);
        }
        return norms;
    }

    public int size() {
        return vectors.count;
    }

    public int dimension() {
        return vectors.dimension;
    }

    public String modelId() {
        return modelId;
    }

    public boolean quantised() {
        return vectors instanceof Vectors.Int8;
    }

    public Chunk chunk(int position) {
        return chunks.get(position);
    }

    /** A stored vector (int8 ones as their float values): what an incremental build reuses. */
    public float[] vector(int position) {
        return vectors.vector(position);
    }

    /** The same index on another kernel: for benchmarks and kernel tests. */
    public VectorIndex withKernel(Kernel other) {
        return new VectorIndex(vectors, chunks, modelId, metric, other);
    }

    /**
     * The similarity of one chunk, on the scale {@link #search} reports: hybrid search needs it for
     * chunks that only the lexical index found.
     */
    public float similarity(float[] query, int position) {
        float[] one = new float[1];
        vectors.scores(kernel, position, 1, query, one);
        float score = one[0];
        if (metric == Metric.L2) {
            float distance = kernel.dot(query, 0, query) + squaredNorms[position] - 2 * score;
            return 1 - distance / 2;
        }
        return score;
    }

    /**
     * The k most similar chunks, best first. For an L2 index of normalised vectors the squared
     * distance d is reported as the cosine it implies, 1 - d/2, so thresholds mean the same.
     */
    public List<Hit> search(float[] query, int k) {
        return search(new float[][] {query}, k).get(0);
    }

    /**
     * The k most similar chunks for each query, as {@link #search(float[], int)} would find them
     * one by one, in one pass over the vectors: each stretch of vectors small enough to stay in the
     * core's L2 cache is scored for every query before the next is read. A float32 scan is bound
     * by memory reads (100k 512-d vectors are 205 MB), so a follow-up's second query read from
     * cache costs a fraction of a second scan (bench/RESULTS.md, hybrid search latency).
     */
    public List<List<Hit>> search(float[][] queries, int k) {
        for (float[] query : queries) {
            if (query.length != vectors.dimension) {
                throw new IndexException("query has " + query.length + " dimensions, the index " + vectors.dimension);
            }
        }
        int block = queries.length == 1 ? BLOCK : Math.max(64, CACHED_BLOCK_BYTES / Math.max(1, vectors.bytesPerVector()));
        TopK[] tops = new TopK[queries.length];
        float[] norms = new float[queries.length];
        for (int q = 0; q < queries.length; q++) {
            tops[q] = new TopK(Math.max(1, Math.min(k, Math.max(1, vectors.count))));
            norms[q] = metric == Metric.L2 ? kernel.dot(queries[q], 0, queries[q]) : 0;
        }
        float[] scores = new float[Math.min(block, vectors.count)];
        for (int first = 0; first < vectors.count; first += block) {
            int count = Math.min(block, vectors.count - first);
            for (int q = 0; q < queries.length; q++) {
                vectors.scores(kernel, first, count, queries[q], scores);
                offer(tops[q], first, count, scores, norms[q]);
            }
        }
        List<List<Hit>> hits = new java.util.ArrayList<>(queries.length);
        for (TopK top : tops) {
            hits.add(top.hits());
        }
        return hits;
    }

    private void offer(TopK top, int first, int count, float[] scores, float queryNorm) {
        for (int j = 0; j < count; j++) {
            float score = scores[j];
            if (metric == Metric.L2) {
                float distance = queryNorm + squaredNorms[first + j] - 2 * score;
                score = 1 - distance / 2;
            }
            if (score > top.floor()) {
                top.offer(first + j, score);
            }
        }
    }
}
