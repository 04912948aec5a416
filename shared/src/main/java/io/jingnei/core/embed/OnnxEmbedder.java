package io.jingnei.core.embed;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * bge-small-zh-v1.5 (int8-quantised ONNX, 512-d) in-process: the question never leaves the
 * instance. CLS pooling then L2 normalisation, as BGE prescribes. The model and tokenizer ship as
 * resources of this jar; load once per instance (about a second).
 */
public final class OnnxEmbedder implements Embedder {
    public static final String MODEL_ID = "bge-small-zh-v1.5-q";
    private static final String RESOURCES = "/jingnei/models/bge-small-zh-v1.5-q/";
    private static final int MAX_TOKENS = 512;

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final boolean needsTypeIds;
    private final int dimension;

    private OnnxEmbedder(OrtEnvironment environment, OrtSession session, HuggingFaceTokenizer tokenizer, int dimension) {
        this.environment = environment;
        this.session = session;
        this.tokenizer = tokenizer;
        this.needsTypeIds = session.getInputNames().contains("token_type_ids");
        this.dimension = dimension;
    }

    /** @param threads intra-op threads for ONNX Runtime; the instance's vCPUs is a good value */
    public static OnnxEmbedder load(int threads) {
        preferWritableCaches();
        // DJL finds its native library through the thread's context class loader; a function
        // runtime's thread may carry the runtime's own loader, which cannot see our jars.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(OnnxEmbedder.class.getClassLoader());
        try {
            byte[] model = resource("bge-small-zh-v1.5-q.onnx");
            Map<String, String> options = new HashMap<>();
            options.put("maxLength", String.valueOf(MAX_TOKENS));
            options.put("truncation", "true");
            options.put("padding", "true");
            HuggingFaceTokenizer tokenizer;
            try (InputStream json = OnnxEmbedder.class.getResourceAsStream(RESOURCES + "bge-small-zh-v1.5-q-tokenizer.json")) {
                tokenizer = HuggingFaceTokenizer.newInstance(json, options);
            }
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions sessionOptions = new OrtSession.SessionOptions();
            sessionOptions.setIntraOpNumThreads(Math.max(1, threads));
            sessionOptions.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            OrtSession session = environment.createSession(model, sessionOptions);
            return new OnnxEmbedder(environment, session, tokenizer, 512);
        } catch (IOException | OrtException | RuntimeException e) {
            throw new EmbeddingException("cannot load the local embedding model " + MODEL_ID + ": " + e.getMessage(), e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * Functions can only write to /tmp: DJL unpacks its native tokenizer library under its cache
     * directory, which defaults to the home directory.
     */
    private static void preferWritableCaches() {
        if (System.getProperty("DJL_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
            Path home = Paths.get(System.getProperty("user.home", "/tmp"));
            if (!Files.isWritable(home)) {
                System.setProperty("DJL_CACHE_DIR", Paths.get(System.getProperty("java.io.tmpdir"), "djl").toString());
            }
        }
        if (System.getProperty("offline") == null) {
            System.setProperty("offline", "true"); // DJL must never try to download anything
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = OnnxEmbedder.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IOException("model resource " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        }
    }

    @Override
    public String modelId() {
        return MODEL_ID;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public int tokenCount(String text) {
        return Math.min(MAX_TOKENS, tokenizer.encode(text).getIds().length);
    }

    /**
     * One model run per text. The model's int8 quantisation is dynamic: activation scales are
     * computed over the whole input tensor, so a text embedded in a batch came out different from
     * the same text alone (cosine 0.993 measured). Index vectors and query vectors must match
     * exactly for a similarity threshold to mean anything.
     */
    @Override
    public List<float[]> embed(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            out.add(run(List.of(text)).get(0));
        }
        return out;
    }

    private List<float[]> run(List<String> texts) {
        Encoding[] encodings = tokenizer.batchEncode(texts);
        int rows = encodings.length;
        int length = encodings[0].getIds().length;
        long[][] ids = new long[rows][];
        long[][] mask = new long[rows][];
        long[][] types = new long[rows][];
        for (int r = 0; r < rows; r++) {
            ids[r] = encodings[r].getIds();
            mask[r] = encodings[r].getAttentionMask();
            types[r] = new long[length];
        }
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(environment, ids));
            inputs.put("attention_mask", OnnxTensor.createTensor(environment, mask));
            if (needsTypeIds) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(environment, types));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                float[][][] hidden = (float[][][]) result.get(0).getValue();
                List<float[]> vectors = new ArrayList<>(rows);
                for (int r = 0; r < rows; r++) {
                    vectors.add(Embedder.normalise(hidden[r][0].clone())); // CLS token
                }
                return vectors;
            }
        } catch (OrtException e) {
            throw new EmbeddingException("the local embedding model failed: " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException ignored) {
            // closing at shutdown
        }
        tokenizer.close();
    }
}
