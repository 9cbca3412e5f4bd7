"""The NumPy / scikit-learn side of bench:peer (bench/peer/run.ts starts it and interleaves its runs with Margin's).

One JSON command per line on stdin, one JSON answer per line on stdout. Data comes from the binary files the
TypeScript side wrote (raw little-endian float32 / int32), loaded once and kept, so no timing includes a file read.
Every objective is Margin's: mean cross-entropy + λ/2·‖W‖² in standardized space (intercept not penalized), which
is scikit-learn's summed loss + ‖W‖²/(2C) divided by n when C = 1/(λ·n); its tol is Margin's gtol × n.
"""
import json
import sys
import time
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

warnings.simplefilter("ignore", ConvergenceWarning)
_cache = {}


def load(path, dtype, shape):
    key = (path, dtype, shape)
    if key not in _cache:
        _cache[key] = np.fromfile(path, dtype=dtype, count=int(np.prod(shape))).reshape(shape)
    return _cache[key]


def standardization(X):
    """Margin's featureStandardization: f64 sums, mean and scale rounded to float32, std ≤ 1e-8 → 1."""
    s = X.sum(axis=0, dtype=np.float64)
    s2 = np.einsum("ij,ij->j", X, X, dtype=np.float64)
    n = X.shape[0]
    m = s / n
    var = np.maximum(0.0, s2 / n - m * m)
    sd = np.sqrt(var)
    scale = np.where(sd > 1e-8, sd, 1.0).astype(np.float32)
    return m.astype(np.float32), scale


def objective(Xs, y, W, b, lam):
    """Margin's objective in float64: mean softmax cross-entropy + λ/2‖W‖²."""
    Z = Xs @ W.T + b
    Z -= Z.max(axis=1, keepdims=True)
    lse = np.log(np.exp(Z).sum(axis=1))
    ce = lse - Z[np.arange(Z.shape[0]), y]
    return float(ce.mean() + 0.5 * lam * np.sum(W * W))


def fit(cmd):
    n, d, K = cmd["n"], cmd["d"], cmd["K"]
    X = load(cmd["x"], np.float32, (cmd["rows"], d))[:n]
    y = load(cmd["y"], np.int32, (cmd["rows"],))[:n]
    lam, gtol = cmd["lam"], cmd["gtol"]
    prev = cmd.get("warm")
    t0 = time.perf_counter()
    mean, scale = standardization(X)
    # float64: scikit-learn keeps float32 input in float32, whose gradient cannot reach tol = gtol·n reliably.
    Xs = (X - mean) / scale.astype(np.float64)
    clf = LogisticRegression(C=1.0 / (lam * n), tol=gtol * n, max_iter=cmd["maxIter"], solver="lbfgs",
                             multi_class="multinomial", warm_start=prev is not None)
    if prev is not None:
        # The previous fit, re-expressed exactly in the new standardization (what Margin's warm start does).
        pm, ps, pW, pb = (np.array(prev[k], dtype=np.float64) for k in ("mean", "scale", "W", "b"))
        raw = pW.reshape(K, d) / ps
        clf.coef_ = raw * scale
        clf.intercept_ = pb + raw @ (mean.astype(np.float64) - pm)
        clf.classes_ = np.arange(K)
    clf.fit(Xs, y)
    ms = (time.perf_counter() - t0) * 1000
    W, b = clf.coef_, clf.intercept_
    answer = {"ms": ms, "iterations": int(np.max(clf.n_iter_)), "f": objective(Xs, y, W, b, lam),
              "mean": mean.tolist(), "scale": scale.tolist(), "W": W.ravel().tolist(), "b": b.tolist()}
    if "margin" in cmd:
        m = cmd["margin"]
        answer["fMargin"] = objective(Xs, y, np.array(m["W"], dtype=np.float64).reshape(K, d), np.array(m["b"]), lam)
    if "test" in cmd:
        t = cmd["test"]
        Xt = (load(t["x"], np.float32, (t["rows"], d)) - mean) / scale.astype(np.float64)
        yt = load(t["y"], np.int32, (t["rows"],))
        answer["accuracy"] = float((np.argmax(Xt @ W.T + b, axis=1) == yt).mean())
    return answer


def rank(cmd):
    threads = cmd.get("threads")
    if threads is None:
        return rank_all(cmd)
    from threadpoolctl import threadpool_limits
    with threadpool_limits(limits=threads, user_api="blas"):
        return rank_all(cmd)


def rank_all(cmd):
    n, d, K, top = cmd["n"], cmd["d"], cmd["K"], cmd["top"]
    X = load(cmd["x"], np.float32, (n, d))
    W = np.array(cmd["W"], dtype=np.float32).reshape(K, d)
    b = np.array(cmd["b"], dtype=np.float32)
    t0 = time.perf_counter()
    Z = X @ W.T
    Z += b
    Z -= Z.max(axis=1, keepdims=True)
    np.exp(Z, out=Z)
    Z /= Z.sum(axis=1, keepdims=True)
    part = np.partition(Z, K - 2, axis=1)
    margin = part[:, K - 1] - part[:, K - 2]
    idx = np.argpartition(margin, top)[:top]
    idx = idx[np.argsort(margin[idx], kind="stable")]
    ms = (time.perf_counter() - t0) * 1000
    return {"ms": ms, "top": idx.tolist()}


def main():
    print(json.dumps({"ready": True, "numpy": np.__version__, "sklearn": sklearn.__version__,
                      "blas": blas_name()}), flush=True)
    for line in sys.stdin:
        cmd = json.loads(line)
        op = cmd["op"]
        if op == "fit":
            out = fit(cmd)
        elif op == "rank":
            out = rank(cmd)
        elif op == "quit":
            break
        else:
            out = {"error": f"unknown op {op}"}
        print(json.dumps(out), flush=True)


def blas_name():
    try:
        import threadpoolctl
        info = threadpoolctl.threadpool_info()
        return ", ".join(f"{i.get('internal_api')} {i.get('version')} ({i.get('num_threads')} threads)"
                         for i in info if i.get("user_api") == "blas")
    except Exception:
        return "unknown"


if __name__ == "__main__":
    main()
