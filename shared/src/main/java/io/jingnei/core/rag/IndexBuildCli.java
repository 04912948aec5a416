package io.jingnei.core.rag;

import io.jingnei.core.config.Env;
import io.jingnei.core.embed.OnnxEmbedder;
import io.jingnei.core.http.SharedHttpClient;
import io.jingnei.core.storage.CredentialsProvider;
import io.jingnei.core.storage.FileObjectStore;
import io.jingnei.core.storage.ObjectStores;
import io.jingnei.core.storage.S3ObjectStore;
import io.jingnei.core.storage.S3Settings;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code java -jar jingnei-shared.jar [build] --input <uri> --output <uri> [--int8]}: the
 * index-build function on a laptop, with a progress bar; {@code eval ...} measures an index on the
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
                CredentialsProvider.chain(env, Optional::empty), Clock.systemUTC()));
    }

    private static void build(String[] args) {
        String input = null;
        String output = null;
        boolean int8 = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--input": input = i + 1 < args.length ? args[++i] : null; break;
                case "--output": output = i + 1 < args.length ? args[++i] : null; break;
                case "--int8": int8 = true; break;
                default:
                    usage("unknown argument " + args[i]);
            }
        }
        if (input == null || output == null) {
            usage("--input and --output are required");
        }
        Env env = Env.system();
        RagConfig config = RagConfig.from(env);
        try (SharedHttpClient http = new SharedHttpClient(16, Duration.ofSeconds(10), Duration.ofSeconds(120));
             OnnxEmbedder embedder = OnnxEmbedder.load(Runtime.getRuntime().availableProcessors())) {
            ObjectStores store = stores(env, http);
            IndexBuilder.Result result = new IndexBuilder(store, embedder, new TextChunker(config.chunkChars, config.chunkOverlap))
                    .build(input, output, int8, IndexBuildCli::progress);
            System.err.println();
            System.out.printf("wrote %s: %d documents, %d chunks, %d-d %s, %,d bytes%s, %.1f s%n", result.output, result.documents,
                    result.chunks, result.dimension, result.model, result.bytes, result.int8 ? " (int8)" : "", result.millis / 1000.0);
        } catch (RuntimeException e) {
            System.err.println();
            System.err.println("index-build failed: " + e.getMessage());
            System.exit(1);
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
        System.err.println("       " + EvalCli.USAGE.substring("usage: ".length()));
        System.exit(2);
    }
}
