package io.jingnei.core.log;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds every run of {@value #WINDOW} or more characters that some configured secret contains: an
 * upstream may echo any part of a key, not only its start (the secret half of a Zhipu-style
 * {@code id.secret} key, a key's last characters). Every {@value #WINDOW}-character window of every
 * secret is indexed in an open-addressing set of longs; a window of Latin-1 characters packs into a
 * long exactly (8 x 8 bits), so a hit needs no second check. The text is scanned once with a rolling
 * key: one shift, one multiply and one probe of a small table per character, whatever the number of
 * secrets. Secrets shorter than a window (6 or 7 characters) and secrets with characters beyond
 * Latin-1 (never seen in keys) are found whole with {@code indexOf}. Immutable and thread-safe.
 */
final class SecretWindows {
    static final int WINDOW = 8;

    /** Packed windows; 0 marks an empty slot (the all-NUL window, which no key has, is never stored). */
    private final long[] table;
    private final int shift;
    private final int size;
    private final List<String> whole;

    SecretWindows(List<String> secrets) {
        List<Long> keys = new ArrayList<>();
        List<String> wholeOnly = new ArrayList<>();
        for (String secret : secrets) {
            if (secret.length() < WINDOW || !latin1(secret)) {
                wholeOnly.add(secret);
                continue;
            }
            long key = 0;
            for (int i = 0; i < secret.length(); i++) {
                key = key << 8 | secret.charAt(i);
                if (i >= WINDOW - 1 && key != 0) {
                    keys.add(key);
                }
            }
        }
        int slots = Integer.highestOneBit(Math.max(16, keys.size() * 4 - 1)) << 1;
        this.table = new long[slots];
        this.shift = 64 - Integer.numberOfTrailingZeros(slots);
        int stored = 0;
        for (long key : keys) {
            if (add(key)) {
                stored++;
            }
        }
        this.size = stored;
        this.whole = List.copyOf(wholeOnly);
    }

    boolean isEmpty() {
        return size == 0 && whole.isEmpty();
    }

    /** The spans of {@code text} to hide, as {start, end} pairs in text order, merged where they touch. */
    List<int[]> find(String text) {
        List<int[]> spans = new ArrayList<>(0);
        if (size > 0 && text.length() >= WINDOW) {
            scanWindows(text, spans);
        }
        for (String secret : whole) {
            for (int at = text.indexOf(secret); at >= 0; at = text.indexOf(secret, at + 1)) {
                spans.add(new int[] {at, at + secret.length()});
            }
        }
        return whole.isEmpty() ? spans : merged(spans);
    }

    private void scanWindows(String text, List<int[]> spans) {
        long key = 0;
        int lastWide = -1;
        int[] open = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c > 0xFF) {
                lastWide = i;
            }
            key = key << 8 | (c & 0xFF);
            if (i - lastWide >= WINDOW && contains(key)) {
                int start = i - WINDOW + 1;
                if (open != null && start <= open[1]) {
                    open[1] = i + 1;
                } else {
                    open = new int[] {start, i + 1};
                    spans.add(open);
                }
            }
        }
    }

    private boolean contains(long key) {
        if (key == 0) {
            return false;
        }
        int slot = slot(key);
        while (table[slot] != 0) {
            if (table[slot] == key) {
                return true;
            }
            slot = (slot + 1) & (table.length - 1);
        }
        return false;
    }

    private boolean add(long key) {
        int slot = slot(key);
        while (table[slot] != 0) {
            if (table[slot] == key) {
                return false;
            }
            slot = (slot + 1) & (table.length - 1);
        }
        table[slot] = key;
        return true;
    }

    private int slot(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    }

    private static boolean latin1(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0xFF) {
                return false;
            }
        }
        return true;
    }

    private static List<int[]> merged(List<int[]> spans) {
        spans.sort((a, b) -> Integer.compare(a[0], b[0]));
        List<int[]> out = new ArrayList<>(spans.size());
        for (int[] span : spans) {
            int[] last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && span[0] <= last[1]) {
                last[1] = Math.max(last[1], span[1]);
            } else {
                out.add(new int[] {span[0], span[1]});
            }
        }
        return out;
    }
}
