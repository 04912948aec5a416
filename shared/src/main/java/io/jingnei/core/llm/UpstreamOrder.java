package io.jingnei.core.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * The order a call tries the upstreams serving a model in: first one whose open period is over (its
 * probe decides whether it is back; if it fails, the call moves on at once), then healthy ones in a
 * weighted random order, then open circuits (skipped unless they become due).
 */
final class UpstreamOrder {
    private final DoubleSupplier random;

    UpstreamOrder(DoubleSupplier random) {
        this.random = random;
    }

    List<Upstream> of(List<Upstream> upstreams, String model) {
        List<Upstream> probing = new ArrayList<>();
        List<Upstream> healthy = new ArrayList<>();
        List<Upstream> resting = new ArrayList<>();
        for (Upstream u : upstreams) {
            if (u.serves(model)) {
                (u.breaker.probeDue() ? probing : u.breaker.healthy() ? healthy : resting).add(u);
            }
        }
        probing.addAll(weighted(healthy));
        probing.addAll(resting);
        return probing;
    }

    private List<Upstream> weighted(List<Upstream> pool) {
        if (pool.size() < 2) {
            return new ArrayList<>(pool);
        }
        List<Upstream> left = new ArrayList<>(pool);
        List<Upstream> out = new ArrayList<>(pool.size());
        while (!left.isEmpty()) {
            int total = 0;
            for (Upstream u : left) {
                total += u.weight;
            }
            double pick = random.getAsDouble() * total;
            int chosen = left.size() - 1;
            for (int i = 0; i < left.size(); i++) {
                pick -= left.get(i).weight;
                if (pick < 0) {
                    chosen = i;
                    break;
                }
            }
            out.add(left.remove(chosen));
        }
        return out;
    }
}
