package io.jingnei.core.rag;

import io.jingnei.core.index.ChunkTitle;
import io.jingnei.core.index.Fusion;
import io.jingnei.core.index.Hit;
import io.jingnei.core.index.HybridIndex;
import io.jingnei.core.index.Ranking;
import io.jingnei.core.text.BigramSplitter;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes, per single question of the retrieval dev sets (old and hard), the signals an acceptance
 * rule could read, as CSV for fitting outside Java (a tool, not a test); {@code coverage} is the
 * shipped {@link io.jingnei.core.index.HybridIndex#coverage}, {@code cov_known} the first version's
 * (index-known terms only), {@code unk_*} the share of the question no chunk has:
 * java -cp ... io.jingnei.core.rag.AcceptanceFeatureDump out.csv [lexicalWeight]
 */
public final class AcceptanceFeatureDump {
    private static final String[] DOMAINS = {"ecommerce", "telecom", "bank", "insurance", "logistics", "saas"};
    private static final int[] OLD_NEAR_PER_DOMAIN = {7, 6, 7, 7, 7, 7};

    public static void main(String[] args) throws Exception {
        double weight = args.length > 1 ? Double.parseDouble(args[1]) : Fusion.DEFAULT.lexicalWeight;
        Fusion fusion = new Fusion(weight, Fusion.DEFAULT.pool, Fusion.DEFAULT.bm25);
        try (ConversationDevSet dev = new ConversationDevSet(); PrintWriter out = new PrintWriter(Files.newBufferedWriter(Paths.get(args[0])));
             PrintWriter cands = new PrintWriter(Files.newBufferedWriter(Paths.get(args[0] + ".candidates")))) {
            cands.println("set,domain,label,qi,rank,right,score,cos,lex,cov,coverage");
            HybridIndex index = dev.index;
            Map<Long, Integer> df = new HashMap<>();
            List<Set<Long>> chunkTerms = new ArrayList<>();
            for (int p = 0; p < index.size(); p++) {
                Set<Long> terms = terms(ChunkTitle.of(index.chunk(p).metadataJson) + "\n" + index.chunk(p).text);
                chunkTerms.add(terms);
                terms.forEach(t -> df.merge(t, 1, Integer::sum));
            }
            Path dir = Paths.get(AcceptanceFeatureDump.class.getResource("/retrieval-dev/articles.jsonl").toURI()).getParent();
            out.println("set,domain,label,kind,hit1,right3,cos,lead,conf,fmargin,fmargindoc,drank,lrank,agree_dl,cov_all,cov_bi,cov_uni,lex,lexz,fscore,dgap,cov_known,miss_max,unk_share,unk_idf,unk_bi_idf,unk_cnt,unk_run,unk_cnt_nf,rare_bi_in,rare_in,rare3,cov_doc3,cov_top3,cov_title,title_in_q,cov_max3,coverage,q");
            for (String set : new String[]{"old", "hard"}) {
                List<EvalQuestion> qs = new ArrayList<>(EvalQuestion.parse(Files.readString(dir.resolve(set.equals("old") ? "queries.jsonl" : "hard.jsonl")), false, set));
                int answerable = qs.size();
                qs.addAll(EvalQuestion.parse(Files.readString(dir.resolve(set.equals("old") ? "oos.jsonl" : "hard-oos.jsonl")), true, set));
                List<String> texts = new ArrayList<>();
                qs.forEach(q -> texts.add(q.question));
                List<float[]> vectors = dev.embed(texts);
                int nearSeen = 0;
                for (int i = 0; i < qs.size(); i++) {
                    EvalQuestion q = qs.get(i);
                    float[] v = vectors.get(i);
                    String domain;
                    String label;
                    if (i < answerable) {
                        domain = domainOf(q.expected.iterator().next());
                        label = "ans";
                    } else if (Boolean.TRUE.equals(q.near)) {
                        domain = set.equals("old") ? oldNearDomain(nearSeen) : DOMAINS[nearSeen / 8];
                        nearSeen++;
                        label = "near";
                    } else {
                        domain = DOMAINS[(i - answerable) % 6];
                        label = "far";
                    }
                    Ranking r = index.search(v, q.question, 2 * RetrievalEval.RANKED, fusion);
                    List<String> docs = new ArrayList<>(new LinkedHashSet<String>() {{
                        for (Ranking.Candidate c : r.candidates) {
                            add(index.chunk(c.position).docId);
                        }
                    }});
                    for (int k = 0; k < Math.min(8, r.candidates.size()); k++) {
                        Ranking.Candidate c = r.candidates.get(k);
                        double cv = coverage(terms(q.question), chunkTerms.get(c.position), df, index.size())[3];
                        cands.println(String.format(Locale.ROOT, "%s,%s,%s,%d,%d,%d,%.4f,%.4f,%.4f,%.4f,%.4f", set, domain, label, i, k + 1,
                                q.expected.contains(index.chunk(c.position).docId) ? 1 : 0, c.score, c.cosine, c.lexical, cv, index.coverage(q.question, c.position)));
                    }
                    Ranking.Candidate top = r.best();
                    String topDoc = index.chunk(top.position).docId;
                    boolean hit1 = q.expected.contains(topDoc);
                    boolean right3 = false;
                    for (int k = 0; k < Math.min(3, r.candidates.size()); k++) {
                        right3 |= q.expected.contains(index.chunk(r.candidates.get(k).position).docId);
                    }
                    double margin = r.candidates.size() > 1 ? top.score - r.candidates.get(1).score : 3;
                    double marginDoc = 3;
                    for (Ranking.Candidate c : r.candidates) {
                        if (!index.chunk(c.position).docId.equals(topDoc)) {
                            marginDoc = top.score - c.score;
                            break;
                        }
                    }
                    List<Hit> dense = index.vectors().search(v, 20);
                    double dgap = 1;
                    for (Hit h : dense) {
                        if (!index.chunk(h.position).docId.equals(topDoc)) {
                            dgap = top.cosine - h.score;
                            break;
                        }
                    }
                    int drank = 0;
                    for (int k = 0; k < dense.size(); k++) {
                        if (dense.get(k).position == top.position) {
                            drank = k + 1;
                        }
                    }
                    float[] lex = index.lexicalScores(q.question, fusion);
                    int lrank = 1;
                    int lexTop = 0;
                    for (int p = 0; p < lex.length; p++) {
                        if (lex[p] > lex[top.position]) {
                            lrank++;
                        }
                        if (lex[p] > lex[lexTop]) {
                            lexTop = p;
                        }
                    }
                    if (lex[top.position] <= 0) {
                        lrank = 0;
                    }
                    boolean agree = index.chunk(dense.get(0).position).docId.equals(index.chunk(lexTop).docId);
                    double[] lz = zTop(lex, top.position, 20);
                    Set<Long> qt = terms(q.question);
                    Set<Long> ct = chunkTerms.get(top.position);
                    double[] cov = coverage(qt, ct, df, index.size());
                    double[] unk = unknown(q.question, df, index.size());
                    double[] rare = rarest(qt, ct, df, index.size());
                    Set<Long> doc3 = new HashSet<>();
                    Set<Long> top3 = new HashSet<>();
                    int sameDoc = 0;
                    double covMax3 = 0;
                    for (int k = 0; k < r.candidates.size(); k++) {
                        Ranking.Candidate c = r.candidates.get(k);
                        if (k < 3) {
                            top3.addAll(chunkTerms.get(c.position));
                            covMax3 = Math.max(covMax3, coverage(qt, chunkTerms.get(c.position), df, index.size())[3]);
                        }
                        if (sameDoc < 3 && index.chunk(c.position).docId.equals(topDoc)) {
                            doc3.addAll(chunkTerms.get(c.position));
                            sameDoc++;
                        }
                    }
                    Set<Long> title = terms(ChunkTitle.of(index.chunk(top.position).metadataJson));
                    double covTitle = coverage(qt, title, df, index.size())[3];
                    double titleInQ = coverage(title, qt, df, index.size())[3];
                    out.println(String.format(Locale.ROOT, "%s,%s,%s,%s,%d,%d,%.4f,%.4f,%.4f,%.4f,%.4f,%d,%d,%d,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,"
                                    + "%.4f,%.4f,%.4f,%.0f,%.0f,%.0f,%.0f,%.0f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,\"%s\"",
                            set, domain, label, q.kind == null ? "" : q.kind, hit1 ? 1 : 0, right3 ? 1 : 0, top.cosine, r.lead, top.cosine + r.lead,
                            margin, marginDoc, drank, lrank, agree ? 1 : 0, cov[0], cov[1], cov[2], lex[top.position], lz[0], top.score, dgap, cov[3], cov[4],
                            unk[0], unk[1], unk[2], unk[3], unk[4], unk[5], rare[0], rare[1], rare[2],
                            coverage(qt, doc3, df, index.size())[3], coverage(qt, top3, df, index.size())[3], covTitle, titleInQ, covMax3,
                            index.coverage(q.question, top.position), q.question));
                }
            }
        }
    }

    private static String oldNearDomain(int n) {
        for (int d = 0; d < 6; d++) {
            if (n < OLD_NEAR_PER_DOMAIN[d]) {
                return DOMAINS[d];
            }
            n -= OLD_NEAR_PER_DOMAIN[d];
        }
        throw new IllegalStateException();
    }

    private static String domainOf(String id) {
        String p = id.substring(0, id.indexOf('-'));
        switch (p) {
            case "ec": return "ecommerce";
            case "tel": return "telecom";
            case "ins": return "insurance";
            case "log": return "logistics";
            default: return p;
        }
    }

    private static double[] zTop(float[] scores, int position, int pool) {
        float[] sorted = scores.clone();
        java.util.Arrays.sort(sorted);
        double sum = 0;
        for (int i = 0; i < pool; i++) {
            sum += sorted[sorted.length - 1 - i];
        }
        double mean = sum / pool;
        double sq = 0;
        for (int i = 0; i < pool; i++) {
            double d = sorted[sorted.length - 1 - i] - mean;
            sq += d * d;
        }
        return new double[]{(scores[position] - mean) / Math.max(1e-4, Math.sqrt(sq / pool))};
    }

    private static final long UNIGRAM = 1L << 32;
    private static final long WORD = 1L << 62;

    /** idf-weighted share of the question's terms the chunk has: all terms, bigrams and words only, single characters only. */
    private static double[] coverage(Set<Long> q, Set<Long> chunk, Map<Long, Integer> df, int n) {
        double[] have = new double[4];
        double[] all = new double[4];
        double missMax = 0;
        for (long t : q) {
            int d = df.getOrDefault(t, 0);
            double idf = Math.log(1 + (n - d + 0.5) / (d + 0.5));
            boolean uni = (t & WORD) == 0 && (t & UNIGRAM) != 0;
            int kind = uni ? 2 : 1;
            all[0] += idf;
            all[kind] += idf;
            if (d > 0) {
                all[3] += idf;
                if (chunk.contains(t)) {
                    have[3] += idf;
                } else if (!uni) {
                    missMax = Math.max(missMax, idf);
                }
            }
            if (chunk.contains(t)) {
                have[0] += idf;
                have[kind] += idf;
            }
        }
        return new double[]{all[0] == 0 ? 0 : have[0] / all[0], all[1] == 0 ? 0 : have[1] / all[1], all[2] == 0 ? 0 : have[2] / all[2],
                all[3] == 0 ? 0 : have[3] / all[3], missMax};
    }

    private static final String FUNCTION_CHARACTERS = "的了吗呢啊吧是我你在有和就都也要会能怎么什啥嘛呀还不个这那一想可以们他她请问下得着过到把被给让对说";

    /**
     * Terms of the question no chunk has (df 0): count share of distinct bigrams and words, idf share
     * of all distinct terms, idf share of bigrams and words, count of such bigrams and words, longest
     * run of neighbouring unknown bigrams, count of unknown bigrams without a function character.
     */
    private static double[] unknown(String question, Map<Long, Integer> df, int n) {
        List<Long> seq = new ArrayList<>();
        BigramSplitter.INSTANCE.terms(question, seq::add);
        Set<Long> seen = new HashSet<>();
        double bi = 0, biUnk = 0, idfAll = 0, idfUnk = 0, idfBi = 0, idfBiUnk = 0, cnt = 0, cntNf = 0;
        int run = 0, longest = 0;
        long previousBigram = -1;
        for (long t : seq) {
            boolean uni = (t & WORD) == 0 && (t & UNIGRAM) != 0;
            int d = df.getOrDefault(t, 0);
            if (!uni && (t & WORD) == 0) {
                // bigrams arrive in order; neighbours share a character
                boolean neighbour = previousBigram >= 0 && (char) previousBigram == (char) (t >>> 16);
                if (d == 0) {
                    run = neighbour && run > 0 ? run + 1 : 1;
                    longest = Math.max(longest, run);
                } else {
                    run = 0;
                }
                previousBigram = t;
            }
            if (!seen.add(t)) {
                continue;
            }
            double idf = Math.log(1 + (n - d + 0.5) / (d + 0.5));
            idfAll += idf;
            if (d == 0) {
                idfUnk += idf;
            }
            if (!uni) {
                bi++;
                idfBi += idf;
                if (d == 0) {
                    biUnk++;
                    idfBiUnk += idf;
                    cnt++;
                    if ((t & WORD) != 0 || (FUNCTION_CHARACTERS.indexOf((char) (t >>> 16)) < 0 && FUNCTION_CHARACTERS.indexOf((char) t) < 0)) {
                        cntNf++;
                    }
                }
            }
        }
        return new double[]{bi == 0 ? 0 : biUnk / bi, idfAll == 0 ? 0 : idfUnk / idfAll, idfBi == 0 ? 0 : idfBiUnk / idfBi, cnt, longest, cntNf};
    }

    /**
     * Whether the question's rarest index-known bigram or word is in the chunk; whether its rarest
     * known term of any kind is; idf share of its three rarest known bigrams or words the chunk has.
     */
    private static double[] rarest(Set<Long> q, Set<Long> chunk, Map<Long, Integer> df, int n) {
        List<Long> known = new ArrayList<>();
        long rarestAny = -1;
        int rarestDf = Integer.MAX_VALUE;
        for (long t : q) {
            int d = df.getOrDefault(t, 0);
            if (d == 0) {
                continue;
            }
            if (d < rarestDf) {
                rarestDf = d;
                rarestAny = t;
            }
            boolean uni = (t & WORD) == 0 && (t & UNIGRAM) != 0;
            if (!uni) {
                known.add(t);
            }
        }
        known.sort((a, b) -> Integer.compare(df.get(a), df.get(b)));
        double have = 0, all = 0;
        for (int i = 0; i < Math.min(3, known.size()); i++) {
            double idf = Math.log(1 + (n - df.get(known.get(i)) + 0.5) / (df.get(known.get(i)) + 0.5));
            all += idf;
            if (chunk.contains(known.get(i))) {
                have += idf;
            }
        }
        return new double[]{known.isEmpty() ? 0 : chunk.contains(known.get(0)) ? 1 : 0, rarestAny >= 0 && chunk.contains(rarestAny) ? 1 : 0, all == 0 ? 0 : have / all};
    }

    private static Set<Long> terms(String text) {
        Set<Long> terms = new HashSet<>();
        BigramSplitter.INSTANCE.terms(text, terms::add);
        return terms;
    }
}
