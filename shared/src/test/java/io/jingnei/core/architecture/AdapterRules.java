package io.jingnei.core.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * What a platform adapter (the web app, FC, SCF) may use of the core: the instance, the functions'
 * calls and replies, the request types it decodes, the error table, access and configuration. The
 * policies themselves (limits, masking, caching, prices, routing, retrieval rules, storage of
 * indexes) stay in the core, so an adapter that grows an {@code if} about them fails this rule.
 * Each adapter module runs it over its own classes; it lives in the test-jar so there is one rule.
 */
public final class AdapterRules {
    /** Core packages that hold policy or its machinery: an adapter reaches them only through the functions. */
    private static final String[] POLICY_PACKAGES = {
            "io.jingnei.core.limits..", "io.jingnei.core.pii..", "io.jingnei.core.cache..", "io.jingnei.core.redis..",
            "io.jingnei.core.pricing..", "io.jingnei.core.embed..", "io.jingnei.core.index..", "io.jingnei.core.text..",
            "io.jingnei.core.http..", "io.jingnei.core.stream.."};
    /**
     * Of llm, only the upstream failure an error reply translates, and Completions for its
     * {@code rejected} log line of a call refused before the core saw it (the web routes use it
     * today; a functions-level method for that line would let this entry go).
     */
    private static final Set<String> LLM_TYPES = Set.of("io.jingnei.core.llm.UpstreamException", "io.jingnei.core.llm.Completions");
    /** Of rag, the request bodies an adapter decodes and the settings that say whether RAG is on. */
    private static final Set<String> RAG_TYPES = Set.of("io.jingnei.core.rag.RagConfig");

    private AdapterRules() {
    }

    public static JavaClasses adapterClasses(String adapterPackage) {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(adapterPackage);
    }

    public static ArchRule adaptersHoldNoPolicy() {
        return noClasses().should().dependOnClassesThat().resideInAnyPackage(POLICY_PACKAGES)
                .orShould().dependOnClassesThat(llmInternals())
                .orShould().dependOnClassesThat(ragInternals())
                .because("adapters only translate: event -> request, result -> response (STYLE.md, 'The shape')");
    }

    private static DescribedPredicate<JavaClass> llmInternals() {
        return DescribedPredicate.describe("are in core.llm other than " + LLM_TYPES,
                c -> c.getPackageName().equals("io.jingnei.core.llm") && !LLM_TYPES.contains(c.getName()));
    }

    /** The rest of rag (retrieval, rejection rules, the index's boot) is retrieval policy. */
    private static DescribedPredicate<JavaClass> ragInternals() {
        return DescribedPredicate.describe("are in core.rag other than its request types and RagConfig",
                c -> c.getPackageName().startsWith("io.jingnei.core.rag") && !c.getSimpleName().endsWith("Request")
                        && !RAG_TYPES.contains(c.getName()));
    }
}
