package io.jingnei.core.index;

import java.util.ArrayList;
import java.util.List;

/** The k best scores seen, in a min-heap on primitive arrays so a scan allocates nothing per vector. */
final class TopK {
    private final int[] positions;
    private final float[] scores;
    private int size;

    TopK(int k) {
        positions = new int[k];
        scores = new float[k];
    }

    /** The score a candidate must beat to enter; -infinity until k are held. */
    float floor() {
        return size < scores.length ? Float.NEGATIVE_INFINITY : scores[0];
    }

    void offer(int position, float score) {
        if (size < scores.length) {
            positions[size] = position;
            scores[size] = score;
            siftUp(size++);
        } else if (score > scores[0]) {
            positions[0] = position;
            scores[0] = score;
            siftDown(0);
        }
    }

    /** Best first. */
    List<Hit> hits() {
        List<Hit> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(new Hit(positions[i], scores[i]));
        }
        out.sort((a, b) -> a.score != b.score ? Float.compare(b.score, a.score) : Integer.compare(a.position, b.position));
        return out;
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (scores[parent] <= scores[i]) {
                return;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int smallest = i;
            int left = 2 * i + 1;
            int right = left + 1;
            if (left < size && scores[left] < scores[smallest]) {
                smallest = left;
            }
            if (right < size && scores[right] < scores[smallest]) {
                smallest = right;
            }
            if (smallest == i) {
                return;
            }
            swap(i, smallest);
            i = smallest;
        }
    }

    private void swap(int a, int b) {
        int p = positions[a];
        positions[a] = positions[b];
        positions[b] = p;
        float s = scores[a];
        scores[a] = scores[b];
        scores[b] = s;
    }
}
