package io.jingnei.core.batch;

import java.net.URI;

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

    /** Refuses outputs that would be read as inputs again. */
    static void guard(URI input, URI output, String inputPrefix) {
        if (output.equals(input)) {
            throw new BatchException("the output " + output + " is the input itself");
        }
        boolean sameBucket = output.getScheme() != null && output.getScheme().equals(input.getScheme())
                && output.getHost() != null && output.getHost().equals(input.getHost());
        String key = output.getPath() == null ? "" : output.getPath().replaceFirst("^/", "");
        if (sameBucket && key.startsWith(inputPrefix)) {
            throw new BatchException("the output " + output + " lies under the trigger's input prefix '" + inputPrefix
                    + "' in the same bucket: writing it would trigger the function again");
        }
    }
}
