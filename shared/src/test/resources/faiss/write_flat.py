# Oracle for FaissIndexReaderTest: writes IndexFlatIP and IndexFlatL2 files with metadata, and
# FAISS's own top-5 for a few queries. Usage: python3 write_flat.py <out dir>
import json
import sys

import faiss
import numpy as np

out = sys.argv[1]
rng = np.random.default_rng(2024)
dim, count = 512, 3000
xb = rng.standard_normal((count, dim)).astype("float32")
xb /= np.linalg.norm(xb, axis=1, keepdims=True)
xq = rng.standard_normal((8, dim)).astype("float32")
xq /= np.linalg.norm(xq, axis=1, keepdims=True)

metadata = [{"id": f"faq-{i}", "content": f"问题{i}的答案", "category": "售后"} for i in range(count)]
with open(f"{out}/metadata.json", "w", encoding="utf-8") as f:
    json.dump(metadata, f, ensure_ascii=False)

results = {"queries": xq.tolist()}
for name, index in (("ip", faiss.IndexFlatIP(dim)), ("l2", faiss.IndexFlatL2(dim))):
    index.add(xb)
    faiss.write_index(index, f"{out}/{name}.faiss")
    distances, ids = index.search(xq, 5)
    results[name] = {"ids": ids.tolist(), "distances": distances.tolist()}
with open(f"{out}/results.json", "w") as f:
    json.dump(results, f)
