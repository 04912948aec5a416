package io.jingnei.core.rag;

import io.jingnei.core.config.Env;
import io.jingnei.core.embed.OnnxEmbedder;
import io.jingnei.core.http.SharedHttpClient;
import io.jingnei.core.storage.CredentialsProvider;
import io.jingnei.core.storage.FileObjectStore;
import io.jingnei.core.storage.ObjectStores;
import io.jingnei.core.storage.S3ObjectStore;
import io.jingnei.core.storage.S3Settings;
import io.jingnei.core.util.TimeSource;

import java.time.Duration;
import java.util.Optional;

/**
 * {@code java -jar jingnei-shared.jar [build] --input <uri> --output <uri> [--int8]}: the
 * index-build function on a laptop, with a progress bar and a line per file (indexed or skipped and
 * why); {@code --output <uri> --rollback <version>} serves a kept version again; {@code eval ...} measures an index on the
 * user's own questions ({@link EvalCli}). Object storage settings come from the environment.
 */
public final class IndexBuildCli {
    private IndexBuildCli() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("eval")) {
            Env env = Env.system();
            int status;
            try (SharedHttpClient http = new SharedHttpClient(16, Duration.ofSeconds(10), Duration.ofSeconds(120))) {
                status = EvalCli.run(java.util.Arrays.copyOfRange(args, 1, args.length), env, stores(env, http),
                        () -> OnnxEmbedder.load(Runtime.getRuntime().availableProcessors()), System.out, System.err);
            }
            System.exit(status);
        }
        build(args.length > 0 && args[0].equals("build") ? java.util.Arrays.copyOfRange(args, 1, args.length) : args);
    }

    private static ObjectStores stores(Env env, SharedHttpClient http) {
        return new ObjectStores(new FileObjectStore(), new S3ObjectStore(http, S3Settings.from(env),
                CredentialsProvider.chain(env, Optional::empty), TimeSource.system()));
    }

    private static void build(String[] args) {
        String input = null;
        String output = null;
        boolean int8 = false;
        Long rollback = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--input": input = i + 1 < args.length ? args[++i] : null; break;
                case "--output": output = i + 1 < args.length ? args[++i] : null; break;
                case "--int8": int8 = true; break;
                case "--rollback": rollback = i + 1 < args.length ? version(args[++i]) : null; break;
                default:
                    usage("unknown argument " + args[i]);
            }
        }
        if (output == null || input == null && rollback == null) {
            usage("--input and --output are required (--output and --rollback for a rollback)");
        }
        Env env = Env.system();
        RagConfig config = RagConfig.from(env);
        try (SharedHttpClient http = new SharedHttpClient(16, Duration.ofSeconds(10), Duration.ofSeconds(120));
             OnnxEmbedder embedder = OnnxEmbedder.load(Runtime.getRuntime().availableProcessors())) {
            ObjectStores store = stores(env, http);
            IndexBuilder builder = new IndexBuilder(store, embedder, new TextChunker(config.chunkChars, config.chunkOverlap),
                    config.maxFileBytes, config.keepVersions, TimeSource.system());
            if (rollback != null) {
                IndexBuilder.Result result = builder.rollback(output, rollback);
                System.out.printf("%s now serves version %d (kept: %s)%n", result.output, result.version, result.keptVersions);
                return;
            }
            IndexBuilder.Result result = builder.build(input, output, int8, IndexBuildCli::progress);
            System.err.println();
            report(result, System.out);
        } catch (RuntimeException e) {
            System.err.println();
            System.err.println("index-build failed: " + e.getMessage());
            System.exit(1);
        }
    }

    /** A line per file, then the totals. */
    static void report(IndexBuilder.Result result, java.io.PrintStream out) {
        for (IndexBuilder.FileReport file : result.files) {
            if (file.reason == null) {
                out.printf("  indexed  %s: %d documents, %d chunks%n", file.file, file.documents, file.chunks);
            } else {
                out.printf("  skipped  %s: %s%n", file.file, file.reason);
            }
        }
        out.printf("wrote %s version %d: %d documents (%d embedded, %d reused, %d removed), %d chunks (%d embedded), %d-d %s, %,d bytes%s, %.1f s%n",
                result.output, result.version, result.documents, result.embedded, result.reused, result.removed, result.chunks,
                result.chunksEmbedded, result.dimension, result.model, result.bytes, result.int8 ? " (int8)" : "", result.millis / 1000.0);
    }

    private static Long version(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            usage("--rollback takes a version number, got " + text);
            return null;
        }
    }

    private static void progress(int done, int all) {
        int width = 40;
        int filled = (int) ((long) width * done / Math.max(1, all));
        System.err.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + all + " chunks");
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: java -jar shared/target/jingnei-shared.jar [build] --input <file|s3|oss|cos URI> --output <URI> [--int8]");
        System.err.println("       java -jar shared/target/jingnei-shared.jar build --output <URI> --rollback <version>");
        System.err.println("       " + EvalCli.USAGE.substring("usage: ".length()));
        System.exit(2);
    }
}
