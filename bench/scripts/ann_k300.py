"""The peers at serving's k = 300 (../shared/peers/ann_bench.py is fixed at k = 100), on the peer files
in $PEERS_OUT/data (default $TMPDIR/funnel-peers/data), one query at a time on one thread:

  python3 bench/scripts/ann_k300.py truth TAG [ip]   exact top 300 by inner product -> TAGgt300.npy
  python3 bench/scripts/ann_k300.py faiss TAG        FAISS IVF1024,Flat, nprobe 4..24
  python3 bench/scripts/ann_k300.py hnswlib TAG      hnswlib M 16, construction beam 128 (2 build threads), ef 300..1500

TAG: hot_ (funnel bench hot-path --peer-files), cos_ (gen_cos.py) or "" (gen_ann_data.py). Run with
Debian's /usr/bin/python3 (deploy/install.sh --peers installs numpy, faiss and hnswlib there).
"""
import os, sys, tempfile, time
import numpy as np

N, D, Q, K = int(os.environ.get("ANN_N", 1000000)), 256, 1000, 300
DATA = os.path.join(os.environ.get("PEERS_OUT", os.path.join(tempfile.gettempdir(), "funnel-peers")), "data")


def load(tag):
    base = np.fromfile(f"{DATA}/{tag}base_{N}x{D}.f32", np.float32).reshape(N, D)
    queries = np.fromfile(f"{DATA}/{tag}query_{Q}x{D}.f32", np.float32).reshape(Q, D)
    return base, queries


def recall(found, truth):
    return float(np.mean([len(set(found[i]).intersection(truth[i])) / K for i in range(Q)]))


def one_at_a_time(search, queries):
    start = time.perf_counter()
    found = np.vstack([search(queries[i:i + 1]) for i in range(Q)])
    return found, (time.perf_counter() - start) / Q * 1000


def main():
    mode, tag = sys.argv[1], sys.argv[2]
    base, queries = load(tag)
    if mode == "truth":
        import faiss
        flat = faiss.IndexFlatIP(D)
        flat.add(base)
        np.save(f"{DATA}/{tag}gt300.npy", flat.search(queries, K)[1])
        print(f"wrote {DATA}/{tag}gt300.npy", flush=True)
        return
    truth = np.load(f"{DATA}/{tag}gt300.npy")
    if mode == "faiss":
        import faiss
        faiss.omp_set_num_threads(2)
        index = faiss.index_factory(D, "IVF1024,Flat", faiss.METRIC_INNER_PRODUCT)
        start = time.perf_counter()
        index.train(base)
        index.add(base)
        print(f"faiss IVF1024,Flat {tag}: build {time.perf_counter() - start:.1f} s (2 threads)", flush=True)
        faiss.omp_set_num_threads(1)
        for probes in [4, 8, 12, 16, 24]:
            index.nprobe = probes
            found, ms = one_at_a_time(lambda q: index.search(q, K)[1], queries)
            print(f"faiss IVF1024,Flat {tag} nprobe {probes}: recall@300 {recall(found, truth):.4f} {ms:.3f} ms/query", flush=True)
    elif mode == "hnswlib":
        import hnswlib
        index = hnswlib.Index(space="ip", dim=D)
        index.init_index(max_elements=N, M=16, ef_construction=128)
        start = time.perf_counter()
        index.add_items(base, np.arange(N), num_threads=2)
        print(f"hnswlib {tag}: build {time.perf_counter() - start:.1f} s (2 threads)", flush=True)
        index.set_num_threads(1)
        for ef in [300, 450, 600, 1000, 1500]:
            index.set_ef(ef)
            found, ms = one_at_a_time(lambda q: index.knn_query(q, k=K)[0], queries)
            print(f"hnswlib {tag} ef {ef}: recall@300 {recall(found, truth):.4f} {ms:.3f} ms/query", flush=True)
    else:
        sys.exit(f"unknown mode {mode}: truth, faiss or hnswlib")


if __name__ == "__main__":
    main()
