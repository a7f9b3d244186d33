"""Time and peak memory of ``fit_resample``: P-GAN, SMOTE and SVMSMOTE side by side.

Synthetic grid (rows x features, 10 long-tailed classes)::

    python benchmarks/scaling.py --rows 1000 10000 --features 64 512 --n-iter 50

The paper's Fashion-MNIST comparison (17,400 rows, PCA-64, macro-F1 of a
logistic regression on the balanced test set)::

    python benchmarks/scaling.py --profile fashion

Memory: two classes, 5 % minority, float64, as the "Data larger than memory"
table of the benchmark page (``added_mb`` is the peak RSS over the RSS before
``fit_resample``, ``added_per_output`` the same over the output's size; three
interleaved runs each; then P-GAN on one thread, and both beside a busy process)::

    python benchmarks/scaling.py --profile binary --rows 1000000 --features 64 \
        --methods pgan smote --repeats 3 --timeout-per-run 300 \
        --out benchmarks/results/memory-1m
    python benchmarks/scaling.py --profile binary --rows 1000000 --features 64 \
        --methods pgan --n-threads 1 --repeats 3 --timeout-per-run 300 \
        --out benchmarks/results/memory-1m-one-thread
    python benchmarks/scaling.py --profile binary --rows 1000000 --features 64 \
        --methods pgan smote --busy --timeout-per-run 300 \
        --out benchmarks/results/memory-1m-busy
    python benchmarks/scaling.py --profile binary --rows 1000000 --features 64 \
        --methods pgan --n-threads 1 --busy --timeout-per-run 300 \
        --out benchmarks/results/memory-1m-busy-one-thread

``n_threads`` is P-GAN's (blank: the sampler's default, ``"auto"``).

The CPU speed table of the benchmark page (300, 17,400 and 100,000 rows; idle,
then beside one busy process)::

    python benchmarks/scaling.py --rows 300 17400 100000 --features 7 64 \
        --timeout-per-run 120 --out benchmarks/results/speed-cpu-idle
    python benchmarks/scaling.py --rows 300 17400 100000 --features 7 64 \
        --timeout-per-run 120 --busy --out benchmarks/results/speed-cpu-busy

Every run is a fresh subprocess, so that its peak RSS is its own and a run
over ``--timeout-per-run`` can be killed. A method that runs out of time is
skipped at every size at least as large in both rows and features.
Linux only: the peak RSS is ``VmHWM`` of ``/proc/self/status``, because
``ru_maxrss`` survives ``exec`` and would start at the parent's peak.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

# The paper's Fashion-MNIST profile (imblearn_pgan.datasets.PAPER_COUNTS),
# repeated here so that SMOTE runs don't import torch and pay for it in RSS.
PROFILE = np.array([5000, 4000, 3000, 2000, 1500, 1000, 500, 250, 100, 50])
METHODS = ("pgan", "smote", "svmsmote", "none")
COLUMNS = ["method", "rows", "features", "repeat", "device", "n_threads", "neighbour", "status",
           "fit_s", "ms_per_gan_step", "ms_per_autoencoder_step", "peak_rss_mb",
           "rss_before_fit_mb", "added_mb", "output_mb", "added_per_output", "peak_cuda_mb",
           "n_out"]
# The busy neighbour of --busy: one process that keeps one core doing float work.
BUSY_CODE = "import numpy as np\na = np.random.rand(400, 400)\nwhile True:\n    a @ a"
CHUNK = 8192  # rows generated at once: bounds the temporaries at 64 MiB for 2048 features
LATENT_DIM, NOISE = 16, 0.05
# Read by torch, OpenBLAS and MKL at start-up: a worker's thread count is fixed before it runs.
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def class_counts(n_rows):
    """The paper's profile scaled to ``n_rows``; at least 6 rows, as SMOTE needs."""
    return np.maximum(np.round(PROFILE / PROFILE.sum() * n_rows).astype(int), 6)


def make_data(n_rows, n_features, seed=0):
    """Long-tailed Gaussian blobs in float32, generated chunk-wise.

    Like real data, and like ``make_classification``'s informative features,
    the classes live in a low-dimensional subspace (16-D, centres about 4
    standard deviations apart) with faint noise in every feature. Isotropic
    blobs in 2048 dimensions would leave nearest neighbours blind to the
    classes, so SVMSMOTE would reject every support vector as noise.
    """
    rng = np.random.default_rng(seed)
    counts = class_counts(n_rows)
    dim = min(LATENT_DIM, n_features)
    centres = 3 * rng.standard_normal((len(counts), dim), dtype=np.float32) / np.sqrt(dim)
    basis = np.linalg.qr(rng.standard_normal((n_features, dim)))[0].T.astype(np.float32)
    y = np.repeat(np.arange(len(counts)), counts)
    X = np.empty((len(y), n_features), dtype=np.float32)
    for start in range(0, len(y), CHUNK):
        block = X[start : start + CHUNK]
        rng.standard_normal(out=block, dtype=np.float32)
        block *= NOISE
        latent = rng.standard_normal((len(block), dim), dtype=np.float32)
        block += (centres[y[start : start + CHUNK]] + latent) @ basis
    return X, y


def make_binary(n_rows, n_features, minority=0.05, seed=0):
    """Two Gaussian classes in float64, ``minority`` of the rows in class 1, chunk-wise."""
    rng = np.random.default_rng(seed)
    y = (rng.random(n_rows) < minority).astype(np.int64)
    X = np.empty((n_rows, n_features))
    for start in range(0, n_rows, CHUNK):
        block = X[start : start + CHUNK]
        rng.standard_normal(out=block)
        block += 0.5 * y[start : start + CHUNK, None]
    return X, y


def make_sampler(spec):
    if spec["method"] == "pgan":
        from imblearn_pgan import PolarityGANSampler

        from imblearn_pgan.sampler import split_settings

        steps = {k: spec[k] for k in ("n_iter", "autoencoder_steps", "n_threads")
                 if spec.get(k) is not None}
        return PolarityGANSampler(random_state=0, device=spec["device"],
                                  **split_settings(steps))
    if spec["method"] == "smote":
        from imblearn.over_sampling import SMOTE

        return SMOTE(random_state=0)
    if spec["method"] == "svmsmote":
        from imblearn.over_sampling import SVMSMOTE

        return SVMSMOTE(random_state=0)
    return None  # "none": the data as it is, a reference for macro-F1


def status_mb(key):
    """``VmRSS`` (now) or ``VmHWM`` (peak) of this process, in MiB."""
    with open("/proc/self/status") as f:
        line = next(line for line in f if line.startswith(f"{key}:"))
    return int(line.split()[1]) / 1024


def worker(spec):
    """In the child: build the data, time one ``fit_resample``, print the result as JSON."""
    if spec["data"]:
        with np.load(spec["data"]) as data:
            X, y = data["X_train"], data["y_train"]
    elif spec.get("binary"):
        X, y = make_binary(spec["rows"], spec["features"])
    else:
        X, y = make_data(spec["rows"], spec["features"])
    sampler = make_sampler(spec)  # imports torch for P-GAN: not the fit's memory
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # resets VmHWM to the current RSS: the peak is the fit's
    before = status_mb("VmRSS")
    result = {"status": "ok", "device": "cpu", "rows": len(y), "rss_before_fit_mb": before}
    start = time.perf_counter()
    X_res, y_res = sampler.fit_resample(X, y) if sampler else (X, y)
    peak = status_mb("VmHWM")
    result.update(fit_s=time.perf_counter() - start, peak_rss_mb=peak, n_out=len(y_res),
                  added_mb=peak - before, output_mb=X_res.nbytes / 2**20,
                  added_per_output=(peak - before) / (X_res.nbytes / 2**20))
    if hasattr(sampler, "device_"):
        import torch

        from imblearn_pgan._core import stage_seconds

        seconds = stage_seconds(sampler.history_)
        result["ms_per_gan_step"] = 1e3 * seconds["gan"] / sampler.n_iter_
        result["ms_per_autoencoder_step"] = (
            1e3 * seconds["autoencoder"] / sampler.autoencoder_steps_)
        result["device"] = str(sampler.device_)
        if sampler.device_.type == "cuda":  # a fresh process: the peak is this fit's
            result["peak_cuda_mb"] = torch.cuda.max_memory_allocated(sampler.device_) / 2**20
    if spec["data"]:
        from sklearn.linear_model import LogisticRegression
        from sklearn.metrics import f1_score

        with np.load(spec["data"]) as data:
            clf = LogisticRegression(max_iter=1000).fit(X_res, y_res)
            result["macro_f1"] = f1_score(data["y_test"], clf.predict(data["X_test"]),
                                          average="macro")
    print(json.dumps(result))


def run(spec, args):
    """One run in a fresh interpreter; a dict with at least ``status``."""
    if not args.busy:
        return run_alone(spec, args)
    neighbour = subprocess.Popen([sys.executable, "-c", BUSY_CODE],
                                 env={**os.environ, **{v: "1" for v in THREAD_VARS}})
    try:
        time.sleep(1.0)  # let it start spinning
        return {**run_alone(spec, args), "neighbour": "1 busy process"}
    finally:
        neighbour.kill()
        neighbour.wait()


def run_alone(spec, args):
    cmd = [sys.executable, __file__, "--worker", json.dumps(spec)]
    env = dict(os.environ)
    if args.threads:
        env.update({v: str(args.threads) for v in THREAD_VARS})
    timeout = args.timeout_per_run
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env,
                             check=False)
    except subprocess.TimeoutExpired:
        return {"status": f"timeout (> {timeout:g}s)"}
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        last = (out.stderr.strip().splitlines() or [f"exit code {out.returncode}"])[-1]
        return {"status": f"error: {last[:80]}"}
    return {"neighbour": "none", **json.loads(out.stdout.strip().splitlines()[-1])}


def fmt(value):
    if not isinstance(value, float):
        return str(value)
    return f"{value:.0f}" if abs(value) >= 100 else f"{value:.3g}"


def md_row(values):
    return "| " + " | ".join(fmt(v) for v in values) + " |"


class Report:
    """Prints rows as they come and rewrites the CSV, markdown and meta.json after each one."""

    def __init__(self, out_dir, stem, columns, args):
        self.columns, self.rows = columns, []
        self.out_dir, self.started = out_dir, time.time()
        # Each row's device is in the table; the workers' threads follow --threads.
        self.settings = {"arguments": {k: v for k, v in vars(args).items() if k != "worker"}}
        out_dir.mkdir(parents=True, exist_ok=True)
        self.csv, self.md = out_dir / f"{stem}.csv", out_dir / f"{stem}.md"
        print(md_row(columns) + "\n" + md_row(["---"] * len(columns)), flush=True)

    def add(self, row):
        # Here, not at the top: a worker must not load it (its memory is measured).
        from imblearn_pgan.suites.provenance import run_meta, write_meta

        # Blank, not "None", for what a run does not set (e.g. n_threads: the default).
        self.rows.append(["" if row.get(c) is None else row[c] for c in self.columns])
        print(md_row(self.rows[-1]), flush=True)
        with open(self.csv, "w", newline="") as f:
            csv.writer(f).writerows([self.columns, *self.rows])
        lines = [md_row(self.columns), md_row(["---"] * len(self.columns))]
        self.md.write_text("\n".join(lines + [md_row(r) for r in self.rows]) + "\n")
        # With the rows so far: a run stopped halfway still says what made them.
        write_meta(self.out_dir, run_meta(self.started, self.settings))

    def any_error(self):
        status = self.columns.index("status")
        return any(row[status].startswith("error") for row in self.rows)


def make_spec(method, rows, features, data, args):
    """What a worker needs to know about its run (JSON-able)."""
    return {"method": method, "rows": rows, "features": features, "data": data,
            "binary": args.profile == "binary",
            "device": args.device if method == "pgan" else "cpu",
            "n_iter": args.n_iter, "autoencoder_steps": args.autoencoder_steps,
            "n_threads": args.n_threads}


def scaling(args, stem="synthetic"):
    report = Report(args.out, "scaling" if stem == "synthetic" else stem, COLUMNS, args)
    timed_out = {m: [] for m in args.methods}  # sizes at which a method ran out of time
    sizes = [(r, f) for r in sorted(args.rows) for f in sorted(args.features)]
    # Repeats interleave the methods, so that a slow spell of the machine hits them alike.
    runs = [(size, method, repeat) for size in sizes for repeat in range(args.repeats)
            for method in args.methods]
    for (n_rows, n_features), method, repeat in runs:
        spec = {**make_spec(method, n_rows, n_features, None, args), "repeat": repeat}
        # Larger runs than one that timed out would time out too; an error
        # (e.g. SVMSMOTE finding only noise on tiny classes) says nothing of them.
        if any(r <= n_rows and f <= n_features for r, f in timed_out[method]):
            result = {"status": "skipped (> budget)"}
        else:
            result = run(spec, args)
            if result["status"].startswith("timeout"):
                timed_out[method].append((n_rows, n_features))
        report.add({**spec, **result})
    return report


def fashion(args):
    from sklearn.decomposition import PCA

    from imblearn_pgan.datasets import load_benchmark_data

    data = load_benchmark_data("fashion-mnist")
    pca = PCA(64, random_state=0).fit(data.X_train)
    report = Report(args.out, "fashion", COLUMNS + ["macro_f1"], args)
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "fashion_pca64.npz")
        np.savez(path, X_train=pca.transform(data.X_train), y_train=data.y_train,
                 X_test=pca.transform(data.X_test), y_test=data.y_test)
        for method in args.methods:
            spec = make_spec(method, len(data.y_train), 64, path, args)
            report.add({**spec, **run(spec, args)})
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", choices=["synthetic", "binary", "fashion"],
                        default="synthetic",
                        help="synthetic grid (10 long-tailed classes, float32), binary (two "
                        "classes, 5%% minority, float64), or the paper's Fashion-MNIST "
                        "comparison")
    parser.add_argument("--rows", type=lambda s: int(float(s)), nargs="+",
                        default=[1000, 10_000, 100_000, 1_000_000])
    parser.add_argument("--features", type=int, nargs="+", default=[64, 512, 2048])
    parser.add_argument("--methods", nargs="+", choices=METHODS,
                        help="default: pgan smote svmsmote (and none with --profile fashion)")
    parser.add_argument("--device", default="auto", help="P-GAN's device (default: auto)")
    parser.add_argument("--n-iter", type=int, help="P-GAN's n_iter (default: the sampler's)")
    parser.add_argument("--autoencoder-steps", type=int,
                        help="P-GAN's autoencoder_steps (default: the sampler's)")
    parser.add_argument("--n-threads", type=int,
                        help="P-GAN's n_threads (default: the sampler's, \"auto\")")
    parser.add_argument("--timeout-per-run", type=float, default=600.0,
                        help="seconds (imports and data included) before a run is killed "
                        "and larger sizes are skipped")
    parser.add_argument("--threads", type=int,
                        help="CPU threads per run (default: the libraries' own); 1 avoids "
                        "the slowdown of threads spinning on cores that others use")
    parser.add_argument("--repeats", type=int, default=1,
                        help="fresh-process runs of each method and size, interleaved "
                        "(a row each, numbered in the repeat column)")
    parser.add_argument("--busy", action="store_true",
                        help="run each measurement beside a busy neighbour process (one "
                        "core of float work), as on a laptop doing something else")
    parser.add_argument("--out", type=Path, default=Path("benchmark_out"),
                        help="folder for <profile>.csv, <profile>.md and meta.json")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(json.loads(args.worker))
    if args.profile == "fashion":
        args.methods = args.methods or list(METHODS)
        report = fashion(args)
    else:
        args.methods = args.methods or list(METHODS[:3])
        report = scaling(args, stem=args.profile)
    return 1 if report.any_error() else 0  # timeouts and skips are results, not failures


if __name__ == "__main__":
    sys.exit(main())
