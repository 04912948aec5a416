package io.jingnei.core.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jingnei.core.llm.LlmClient;
import io.jingnei.core.error.JingneiException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** The upstream's {@code /v1/embeddings}, for teams whose index was built with a hosted model. */
public final class RemoteEmbedder implements Embedder {
    private static final int BATCH = 64;
    private final LlmClient llm;
    private final String model;
    private final UnaryOperator<String> mask;
    private volatile int dimension = -1;

    /** @param mask applied to every text before it leaves the instance (personal information, JINGNEI_PII) */
    public RemoteEmbedder(LlmClient llm, String model, UnaryOperator<String> mask) {
        this.llm = llm;
        this.model = model;
        this.mask = mask;
    }

    @Override
    public String modelId() {
        return model;
    }

    @Override
    public int dimension() {
        if (dimension < 0) {
            embed(List.of("维度"));
        }
        return dimension;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (int start = 0; start < texts.size(); start += BATCH) {
            out.addAll(batch(texts.subList(start, Math.min(texts.size(), start + BATCH))));
        }
        return out;
    }

    private List<float[]> batch(List<String> texts) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("model", model);
        texts.forEach(text -> body.withArray("input").add(mask.apply(text)));
        JsonNode response;
        try {
            response = llm.embeddings(body).get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable cause = e instanceof CompletionException || e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
            throw new EmbeddingException("remote embeddings with model '" + model + "' failed: "
                    + (cause instanceof JingneiException ? cause.getMessage() : cause.getClass().getSimpleName()), cause);
        }
        JsonNode data = response.path("data");
        if (!data.isArray() || data.size() != texts.size()) {
            throw new EmbeddingException("remote embeddings answered " + data.size() + " vectors for " + texts.size() + " texts", null);
        }
        float[][] ordered = new float[texts.size()][];
        for (JsonNode item : data) {
            JsonNode values = item.path("embedding");
            float[] v = new float[values.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) values.get(i).asDouble();
            }
            ordered[item.path("index").asInt(0)] = Embedder.normalise(v);
        }
        List<float[]> out = new ArrayList<>();
        for (float[] v : ordered) {
            if (v == null) {
                throw new EmbeddingException("remote embeddings left a text without a vector", null);
            }
            dimension = v.length;
            out.add(v);
        }
        return out;
    }
}
