package io.jingnei.core.rag;

import io.jingnei.core.config.Env;
import io.jingnei.core.embed.Embedder;
import io.jingnei.core.index.HybridIndex;
import io.jingnei.core.index.IndexException;
import io.jingnei.core.index.IndexFormat;
import io.jingnei.core.storage.ObjectStore;
import io.jingnei.core.storage.StorageUris;
import io.jingnei.core.util.Json;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code java -jar jingnei-shared.jar eval --index <uri> --queries q.jsonl [--oos oos.jsonl] [--json]}:
 * how well an index answers a user's own questions (single ones, or the last turns of conversations:
 * {@link EvalQuestion}), with the settings an instance would use
 * (JINGNEI_RAG_* from the environment). Exit status 2 for a usage error, 1 for a failure.
 */
public final class EvalCli {
    static final String USAGE = "usage: java -jar shared/target/jingnei-shared.jar eval --index <URI> --queries <q.jsonl> "
            + "[--oos <oos.jsonl>] [--json] [--worst N]";

    private EvalCli() {
    }

    /** Runs the command; returns the exit status. The store and embedder are the caller's (tests pass their own). */
    static int run(String[] args, Env env, ObjectStore store, Supplier<Embedder> embedders, PrintStream out, PrintStream err) {
        Arguments arguments;
        try {
            arguments = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        }
        RagConfig config;
        try {
            config = RagConfig.from(env);
        } catch (RuntimeException badSetting) {
            // a malformed JINGNEI_RAG_* setting: say which, as a start-up would, not with a stack trace
            err.println("eval failed: " + badSetting.getMessage());
            return 1;
        }
        try (Embedder embedder = embedders.get()) {
            EvalReport report = evaluate(store, embedder, arguments, config);
            out.print(arguments.json ? Json.pretty().writeValueAsString(report) + "\n" : report.toText());
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("eval failed: " + e.getMessage());
            return 1;
        }
    }

    /** The command line: {@code IllegalArgumentException} says what is wrong with it. */
    private static final class Arguments {
        String index;
        String queries;
        String oos;
        boolean json;
        int worst = 10;

        static Arguments parse(String[] args) {
            Arguments parsed = new Arguments();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--index": parsed.index = value(args, ++i); break;
                    case "--queries": parsed.queries = value(args, ++i); break;
                    case "--oos": parsed.oos = value(args, ++i); break;
                    case "--json": parsed.json = true; break;
                    case "--worst": parsed.worst = Integer.parseInt(value(args, ++i)); break;
                    default: throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            if (parsed.index == null || parsed.queries == null) {
                throw new IllegalArgumentException("--index and --queries are required");
            }
            return parsed;
        }
    }

    private static EvalReport evaluate(ObjectStore store, Embedder embedder, Arguments arguments, RagConfig config) throws IOException {
        HybridIndex loaded = load(store, arguments.index);
        if (!loaded.vectors().modelId().equals(embedder.modelId())) {
            throw new IndexException("the index was built with '" + loaded.vectors().modelId() + "', this embedder is '" + embedder.modelId() + "'");
        }
        List<EvalQuestion> questions = new ArrayList<>(EvalQuestion.parse(text(store, arguments.queries), false, arguments.queries));
        if (arguments.oos != null) {
            questions.addAll(EvalQuestion.parse(text(store, arguments.oos), true, arguments.oos));
        }
        FollowUpSearch followUps = new FollowUpSearch(FollowUpSearch.Settings.DEFAULT);
        return new RetrievalEval(loaded, questions, RetrievalEval.embed(embedder, questions),
                RetrievalEval.embedEarlier(embedder, questions, followUps), followUps)
                .report(config.fusion(), config.rejection(), config.topK, arguments.worst);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static HybridIndex load(ObjectStore store, String uri) throws IOException {
        try (io.jingnei.core.storage.StoredStream stream = IndexBuilder.join(io.jingnei.core.index.IndexPointer.open(store, StorageUris.parse(uri), Runnable::run))) {
            return IndexFormat.load(stream.in, io.jingnei.core.text.BigramSplitter.INSTANCE);
        }
    }

    private static String text(ObjectStore store, String uri) {
        return new String(IndexBuilder.join(store.get(StorageUris.parse(uri))).bytes, StandardCharsets.UTF_8);
    }
}
