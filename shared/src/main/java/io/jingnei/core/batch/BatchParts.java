package io.jingnei.core.batch;

import io.jingnei.core.storage.ObjectStore;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The request files of a provider batch run: the masked request lines cut into parts that stay
 * within the provider's line and byte limits, each part written next to the output before it is
 * uploaded, so a submission an instance leaves half done can be finished by another.
 */
final class BatchParts {
    private BatchParts() {
    }

    /** Splits the request lines into parts within the provider's limits and writes each part's file. */
    static void write(ObjectStore store, BatchLimits limits, URI output, BatchState state, List<Map.Entry<String, String>> lines) {
        StringBuilder current = new StringBuilder();
        long currentBytes = 0;
        BatchState.Part part = null;
        for (Map.Entry<String, String> line : lines) {
            int bytes = line.getValue().getBytes(StandardCharsets.UTF_8).length + 1;
            if (part == null || part.customIds.size() >= limits.batchMaxLines || currentBytes > 0 && currentBytes + bytes > limits.batchMaxBytes) {
                if (part != null) {
                    storePart(store, output, state, part, current);
                }
                part = new BatchState.Part();
                part.part = state.parts.size() + 1;
                current = new StringBuilder();
                currentBytes = 0;
            }
            current.append(line.getValue()).append('\n');
            currentBytes += bytes;
            part.customIds.add(line.getKey());
        }
        storePart(store, output, state, part, current);
    }

    private static void storePart(ObjectStore store, URI output, BatchState state, BatchState.Part part, StringBuilder content) {
        part.requests = output + ".batch-" + state.run.substring(0, 8) + "-" + part.part + ".jsonl";
        FaqBatch.join(store.put(URI.create(part.requests), content.toString().getBytes(StandardCharsets.UTF_8), "application/x-ndjson"));
        state.parts.add(part);
    }
}
