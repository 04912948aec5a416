package io.jingnei.core.rag;

import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import io.jingnei.core.request.RequestBodies;
import io.jingnei.core.storage.StorageUris;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Which build a platform event asks for, the same on FC and SCF: the deployment's knowledge base
 * ({@code JINGNEI_KB_URI}) into its index ({@code JINGNEI_INDEX_URI}). An object event under the
 * knowledge base rebuilds it (incrementally: the builder reuses unchanged chunks); one for the
 * index itself, its versions, claims or lock, is skipped, so a build's own writes never start
 * another; anything else is skipped too. A timer (or a direct invocation) builds with the options
 * of its JSON payload, {@code {"input"?, "output"?, "int8"?}}, over the configured ones.
 */
public final class IndexBuildTrigger {
    private final Optional<String> knowledgeBase;
    private final Optional<String> index;

    public IndexBuildTrigger(Optional<String> knowledgeBase, Optional<String> index) {
        this.knowledgeBase = knowledgeBase;
        this.index = index;
    }

    public static IndexBuildTrigger of(RagConfig config) {
        return new IndexBuildTrigger(config.knowledgeBaseUri, config.indexUri);
    }

    /** A build, or why there is none. */
    public static final class Decision {
        public final IndexBuildRequest build;
        public final String skipped;

        private Decision(IndexBuildRequest build, String skipped) {
            this.build = build;
            this.skipped = skipped;
        }
    }

    /** An object created or removed at {@code scheme://bucket/key}. */
    public Decision onObject(String scheme, String bucket, String key) {
        String kb = required(knowledgeBase, "JINGNEI_KB_URI", "the knowledge base the object events rebuild, e.g. oss://my-kb/docs/");
        String out = required(index, "JINGNEI_INDEX_URI", "the index the object events rebuild");
        String object = StorageUris.parse(scheme + "://" + bucket + "/" + (key == null ? "" : key.replaceFirst("^/+", ""))).toString();
        String output = StorageUris.parse(out).toString();
        // Checked first: a knowledge-base prefix that holds the index must still not rebuild on the index's own writes.
        if (object.startsWith(output)) {
            return new Decision(null, object + " is the index's own output (" + output + "); not rebuilt, or every build would start another");
        }
        if (!under(object, StorageUris.parse(kb).toString())) {
            return new Decision(null, object + " is not under the knowledge base " + kb + " (JINGNEI_KB_URI)");
        }
        return new Decision(new IndexBuildRequest(kb, out, null), null);
    }

    /** A timer's payload (or a direct invocation's event): empty for the configured build, else JSON options. */
    public IndexBuildRequest onTimer(String payload) {
        IndexBuildRequest options = payload == null || payload.isBlank()
                ? new IndexBuildRequest(null, null, null)
                : RequestBodies.read(payload.getBytes(StandardCharsets.UTF_8), IndexBuildRequest.class);
        String output = options.output != null ? options.output
                : required(index, "JINGNEI_INDEX_URI", "or an \"output\" in the timer's payload");
        if (options.rollback != null) {
            return new IndexBuildRequest(null, output, null, options.rollback);
        }
        String input = options.input != null ? options.input
                : required(knowledgeBase, "JINGNEI_KB_URI", "or an \"input\" in the timer's payload");
        return new IndexBuildRequest(input, output, options.int8);
    }

    private static boolean under(String object, String prefix) {
        return object.equals(prefix) || object.startsWith(prefix.endsWith("/") ? prefix : prefix + "/");
    }

    private static String required(Optional<String> value, String setting, String what) {
        return value.orElseThrow(() -> new JingneiException(ErrorKind.INVALID_REQUEST,
                "index-build from an event needs " + setting + " (" + what + ")"));
    }
}
