#!/usr/bin/python3
"""scikit-learn reference for Margin's n-gram featurizer (not CI).

Reference mode (default): word (1,2) TfidfVectorizer(min_df=2, sublinear_tf=True) hstacked with char_wb (2,5)
TfidfVectorizer(min_df=2, sublinear_tf=True), LogisticRegression(C=10, max_iter=2000), fit on each benchmark
dataset's train split, scored on its test split. Writes bench/results/reference-tfidf-lr.json.

Parity mode (--parity DIR --out FILE): the same LogisticRegression fit on the CSR matrices Margin's own featurizer
produced (written by bench/ml/ngram-parity.ts), to separate featurizer parity from trainer parity.

The splits are read from the JSON Lines that bench/ml/dump-bench-splits.ts writes, so the texts are exactly the ones
Margin's benchmark uses (its ag_news / sms_spam split comes from Margin's own seeded RNG). Run with Debian's Python:

    apt-get install -y python3-sklearn python3-numpy python3-scipy
    npx tsx bench/ml/dump-bench-splits.ts
    /usr/bin/python3 bench/ml/reference/tfidf_lr.py
"""
import os

# One BLAS thread: fit times are comparable with Margin's single-threaded trainer, and the machine is shared.
for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import scipy.sparse as sp  # noqa: E402
import sklearn  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import accuracy_score, f1_score  # noqa: E402
from sklearn.multiclass import OneVsRestClassifier  # noqa: E402
from sklearn.preprocessing import MultiLabelBinarizer  # noqa: E402

SINGLE_LABEL = ["ag_news", "trec", "sst2", "banking77", "sms_spam", "emotion"]
MULTI_LABEL = ["goemotions"]
C = 10.0
MAX_ITER = 2000


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_split(splits, name):
    return read_jsonl(os.path.join(splits, f"{name}.train.jsonl")), read_jsonl(os.path.join(splits, f"{name}.test.jsonl"))


def new_lr():
    return LogisticRegression(C=C, max_iter=MAX_ITER)


def reference(name, splits):
    train, test = load_split(splits, name)
    multi = name in MULTI_LABEL
    t0 = time.perf_counter()
    word = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True)
    tr_texts = [r["text"] for r in train]
    te_texts = [r["text"] for r in test]
    Xtr = sp.hstack([word.fit_transform(tr_texts), char.fit_transform(tr_texts)]).tocsr()
    t_vec = time.perf_counter() - t0
    Xte = sp.hstack([word.transform(te_texts), char.transform(te_texts)]).tocsr()
    out = {
        "task": "multi-label" if multi else "single-label",
        "nTrain": len(train), "nTest": len(test),
        "features": {"word": len(word.vocabulary_), "char": len(char.vocabulary_)},
        "nnzPerTrainRow": round(Xtr.nnz / Xtr.shape[0], 1),
    }
    t1 = time.perf_counter()
    if multi:
        mlb = MultiLabelBinarizer()
        Ytr = mlb.fit_transform([r["labels"] for r in train])
        Yte = mlb.transform([r["labels"] for r in test])
        clf = OneVsRestClassifier(new_lr()).fit(Xtr, Ytr)
        t_fit = time.perf_counter() - t1
        P = (clf.predict_proba(Xte) >= 0.5).astype(int)
        out.update({
            "macroF1": f1_score(Yte, P, average="macro", zero_division=0),
            "microF1": f1_score(Yte, P, average="micro", zero_division=0),
            "subsetAccuracy": accuracy_score(Yte, P),
            "threshold": 0.5,
        })
    else:
        ytr = [r["label"] for r in train]
        yte = [r["label"] for r in test]
        clf = new_lr().fit(Xtr, ytr)
        t_fit = time.perf_counter() - t1
        pred = clf.predict(Xte)
        out.update({"accuracy": accuracy_score(yte, pred), "macroF1": f1_score(yte, pred, average="macro")})
        out["lrIterations"] = int(np.max(clf.n_iter_))
    out.update({"vectorizeSeconds": round(t_vec, 2), "lrFitSeconds": round(t_fit, 2), "fitSeconds": round(t_vec + t_fit, 2)})
    return out


def read_csr(prefix):
    with open(prefix + ".json", encoding="utf-8") as f:
        meta = json.load(f)
    indptr = np.fromfile(prefix + ".indptr.i32", dtype="<i4")
    indices = np.fromfile(prefix + ".indices.i32", dtype="<i4")
    values = np.fromfile(prefix + ".values.f32", dtype="<f4").astype(np.float64)
    return sp.csr_matrix((values, indices, indptr), shape=(meta["rows"], meta["cols"]))


def parity(name, variant, splits, matrices):
    train, test = load_split(splits, name)
    # Margin scales each block to norm 1/√2; sklearn's hstack has blocks of norm 1. Multiplying back by √2 makes
    # C = 10 mean the same model as in the reference pipeline.
    Xtr = read_csr(os.path.join(matrices, f"{name}.{variant}.train")) * np.sqrt(2)
    Xte = read_csr(os.path.join(matrices, f"{name}.{variant}.test")) * np.sqrt(2)
    if Xtr.shape[0] != len(train) or Xte.shape[0] != len(test):
        raise SystemExit(f"{name}.{variant}: matrix rows do not match the split (re-run the TS scripts)")
    t0 = time.perf_counter()
    clf = new_lr().fit(Xtr, [r["label"] for r in train])
    t_fit = time.perf_counter() - t0
    yte = [r["label"] for r in test]
    pred = clf.predict(Xte)
    return {"accuracy": accuracy_score(yte, pred), "macroF1": f1_score(yte, pred, average="macro"), "lrFitSeconds": round(t_fit, 2)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--splits", default=".margin/bench-cache/splits")
    ap.add_argument("--datasets", default=",".join(SINGLE_LABEL + MULTI_LABEL))
    ap.add_argument("--out", default="bench/results/reference-tfidf-lr.json")
    ap.add_argument("--parity", metavar="DIR", help="fit on Margin's matrices in DIR instead (single-label only)")
    ap.add_argument("--variants", default="df-train,df-pool")
    args = ap.parse_args()
    names = [n for n in args.datasets.split(",") if n]
    results = {}
    for name in names:
        if args.parity:
            if name in MULTI_LABEL:
                continue
            results[name] = {v: parity(name, v, args.splits, args.parity) for v in args.variants.split(",")}
        else:
            results[name] = reference(name, args.splits)
        print(f"{name}: {json.dumps(results[name])}", file=sys.stderr, flush=True)
    doc = {
        "generatedBy": "bench/ml/reference/tfidf_lr.py" + (" --parity" if args.parity else ""),
        "pipeline": "word(1,2)+char_wb(2,5) TfidfVectorizer(min_df=2, sublinear_tf=True), hstack, "
                    f"LogisticRegression(C={C:g}, max_iter={MAX_ITER}); multi-label: one-vs-rest, threshold 0.5",
        "splits": "bench/ml/datasets.ts via bench/ml/dump-bench-splits.ts (ag_news, sms_spam: 50/50 stratified, seed 42)",
        "versions": {"python": platform.python_version(), "sklearn": sklearn.__version__, "numpy": np.__version__,
                     "scipy": scipy.__version__},
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, one BLAS thread",
        "datasets": results,
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
