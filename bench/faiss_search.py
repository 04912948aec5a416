# FAISS IndexFlatIP and numpy exact top-5, single-query latency in ms, for SearchBench.
# Usage: python3 faiss_search.py <n> <dim> <queries>; prints {"faiss": [...], "numpy": [...]}.
import json
import sys
import time

import faiss
import numpy as np

n, dim, queries = (int(a) for a in sys.argv[1:4])
faiss.omp_set_num_threads(1)
rng = np.random.default_rng(1)
xb = rng.standard_normal((n, dim), dtype=np.float32)
xb /= np.linalg.norm(xb, axis=1, keepdims=True)
xq = rng.standard_normal((queries, dim), dtype=np.float32)
xq /= np.linalg.norm(xq, axis=1, keepdims=True)

index = faiss.IndexFlatIP(dim)
index.add(xb)


def timed(search):
    for i in range(min(5, queries)):
        search(xq[i:i + 1])
    out = []
    for i in range(queries):
        start = time.perf_counter()
        search(xq[i:i + 1])
        out.append((time.perf_counter() - start) * 1000)
    return out


def numpy_top5(q):
    scores = xb @ q[0]
    top = np.argpartition(-scores, 5)[:5]
    return top[np.argsort(-scores[top])]


print(json.dumps({"faiss": timed(lambda q: index.search(q, 5)), "numpy": timed(numpy_top5)}))
