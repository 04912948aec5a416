package io.jingnei.core.batch;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/** Where a batch writes, and the guard against the serverless loop (answers re-triggering the function). */
final class OutputLocation {
    private OutputLocation() {
    }

    /** The last "in/" segment of a path becomes "out/": faq-batch/in/a.jsonl answers to faq-batch/out/a.jsonl. */
    static String swapInOut(String path) {
        int at = path.lastIndexOf("in/");
        while (at > 0 && path.charAt(at - 1) != '/') {
            at = path.lastIndexOf("in/", at - 1);
        }
        return at < 0 ? null : path.substring(0, at) + "out/" + path.substring(at + 3);
    }

    static URI outputFor(URI input, String explicit) {
        if (explicit != null && !explicit.isBlank()) {
            return io.jingnei.core.storage.StorageUris.parse(explicit);
        }
        String swapped = swapInOut(input.toString());
        if (swapped == null) {
            throw new BatchException("cannot derive an output for " + input + " (its path has no in/ folder); give 'output' explicitly");
        }
        String path = swapped.endsWith(".csv") ? swapped.substring(0, swapped.length() - 4) + ".jsonl" : swapped;
        return URI.create(path);
    }

    /**
     * Refuses outputs that would be read as inputs again. Compared as the store and its trigger see
     * them, not as written: {@code oss://b//faq-batch/in/x} is the key {@code faq-batch/in/x} once
     * the event's leading slash is dropped, so keys are normalised (repeated slashes collapsed, no
     * leading slash, {@code .} and {@code ..} resolved), schemes and buckets compared without case,
     * and {@code s3}, {@code oss} and {@code cos} are one store (the same S3-compatible endpoint).
     */
    static void guard(URI input, URI output, String inputPrefix) {
        boolean sameBucket = sameStore(input, output);
        String key = normalisedKey(output.getPath());
        if (sameBucket && key.equals(normalisedKey(input.getPath()))) {
            throw new BatchException("the output " + output + " is the input itself");
        }
        String prefix = normalisedKey(inputPrefix);
        if (sameBucket && !"file".equals(storeOf(output)) && (key + "/").startsWith(prefix)) {
            throw new BatchException("the output " + output + " lies under the trigger's input prefix '" + inputPrefix
                    + "' in the same bucket: writing it would trigger the function again");
        }
    }

    private static boolean sameStore(URI a, URI b) {
        return storeOf(a).equals(storeOf(b)) && bucketOf(a).equals(bucketOf(b));
    }

    /** {@code file}, or {@code remote} for every bucket scheme: they share one S3-compatible client and endpoint. */
    private static String storeOf(URI uri) {
        String scheme = uri.getScheme() == null ? "file" : uri.getScheme().toLowerCase(Locale.ROOT);
        return scheme.equals("file") ? "file" : "remote";
    }

    private static String bucketOf(URI uri) {
        String bucket = uri.getHost() != null ? uri.getHost() : uri.getAuthority();
        return bucket == null ? "" : bucket.toLowerCase(Locale.ROOT);
    }

    /** The key as a trigger sees it: no leading slash, runs of slashes as one, dot segments resolved; a trailing slash kept. */
    static String normalisedKey(String path) {
        if (path == null) {
            return "";
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : path.split("/+")) {
            if (segment.equals("..")) {
                segments.pollLast();
            } else if (!segment.isEmpty() && !segment.equals(".")) {
                segments.addLast(segment);
            }
        }
        String key = String.join("/", segments);
        return path.endsWith("/") && !key.isEmpty() ? key + "/" : key;
    }
}
