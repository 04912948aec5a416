package io.jingnei.bench;

import com.hankcs.hanlp.HanLP;
import com.hankcs.hanlp.seg.common.Term;
import io.jingnei.core.text.TermSplitter;

import java.util.function.LongConsumer;

/** HanLP portable's default segmenter as a {@link TermSplitter}: one term per word with a letter, digit or Han character. Bench only. */
final class HanlpSplitter implements TermSplitter {
    @Override
    public int id() {
        return 200;
    }

    @Override
    public void terms(String text, LongConsumer out) {
        for (Term term : HanLP.segment(text.toLowerCase(java.util.Locale.ROOT))) {
            String word = term.word.trim();
            if (word.codePoints().anyMatch(Character::isLetterOrDigit)) {
                long hash = 0xcbf29ce484222325L;
                for (int i = 0; i < word.length(); i++) {
                    hash ^= word.charAt(i);
                    hash *= 0x100000001b3L;
                }
                out.accept(hash);
            }
        }
    }

    /** A fresh JVM's time to its first segmentation: {@code java -cp ... io.jingnei.bench.HanlpSplitter}. */
    public static void main(String[] args) {
        long start = System.nanoTime();
        HanLP.segment("退货运费谁承担");
        System.out.println((System.nanoTime() - start) / 1_000_000);
    }
}
