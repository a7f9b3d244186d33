"""Does P-GAN's output depend on the CPU's kernels? The KEEL suite's P-GAN rows
under other kernel choices of torch and MKL, on this one machine.

A seeded fit is bit-identical on one machine whatever its thread settings, yet
the KEEL dev list's P-GAN rows differed on another CPU model on some folds. The
usual cause is code that picks its kernels by CPU: ATen's vectorised kernels
(``ATEN_CPU_CAPABILITY``) and MKL's sgemm (``MKL_CBWR``). This script re-runs
``pgan-benchmark --suite keel --methods pgan`` in fresh processes, once per
setting below, and compares every fold's scores and resampled-row hashes with
the native run (and, with ``--reference``, with an earlier run's fold records)::

    python benchmarks/kernel_reproducibility.py --out benchmarks/results/kernel-reproducibility

It writes ``folds.csv`` (every setting's fold records), ``summary.csv`` (per
setting: folds whose scores changed, the largest change, fit time) and
``meta.json``.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from imblearn_pgan.suites.provenance import run_meta, write_meta

#: Name -> environment variables of one kernel choice ("native": none set).
SETTINGS = {
    "native": {},
    "aten-avx2": {"ATEN_CPU_CAPABILITY": "avx2"},
    "aten-default": {"ATEN_CPU_CAPABILITY": "default"},
    "mkl-compatible": {"MKL_CBWR": "COMPATIBLE"},
    "pinned": {"MKL_CBWR": "COMPATIBLE", "ATEN_CPU_CAPABILITY": "default"},
}

#: The larger dev sets where another CPU model changed fold scores, and two small ones.
DATASETS = ("ada", "page_blocks0", "abalone_17_vs_7_8_9_10", "pc1", "glass1", "ecoli1")

_KEYS = ["dataset", "fold", "classifier"]
_SCORES = ["auc", "g_mean", "f1", "balanced_accuracy"]


def run_setting(name, datasets, folder, repeats):
    """Fold records of the KEEL suite's P-GAN row under one setting, in a fresh process."""
    env = {**os.environ, **SETTINGS[name]}
    for var in {v for s in SETTINGS.values() for v in s} - set(SETTINGS[name]):
        env.pop(var, None)
    command = [sys.executable, "-m", "imblearn_pgan.suites", "--suite", "keel",
               "--datasets", ",".join(datasets), "--methods", "pgan", "--quiet",
               "--repeats", str(repeats), "--out", str(folder)]
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    folds = pd.concat(pd.read_csv(folder / "keel_sets" / f"{d}.csv") for d in datasets)
    return folds.assign(setting=name, run_s=wall)


def compare(folds, against, label):
    """Per setting: how many fold scores differ from ``against`` and by how much."""
    rows = []
    for name, part in folds.groupby("setting", sort=False):
        joined = part.merge(against, on=_KEYS, suffixes=("", "_ref"))
        diff = (joined["g_mean"] - joined["g_mean_ref"]).abs()
        any_score = sum((joined[s] != joined[f"{s}_ref"]) for s in _SCORES) > 0
        rows.append({
            "setting": name, "against": label, "fold_scores": len(joined),
            "g_mean_differs": int((diff > 0).sum()),
            "any_score_differs": int(any_score.sum()),
            "max_g_mean_diff": float(diff.max()),
            "datasets_affected": ",".join(sorted(joined.loc[any_score, "dataset"].unique())),
            "pgan_fit_s": float(part["fit_s"].mean()),
        })
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", default=",".join(DATASETS))
    parser.add_argument("--settings", default=",".join(SETTINGS),
                        help="the first is the one the others are compared with")
    parser.add_argument("--repeats", type=int, default=2, help="repeats of the 5-fold split")
    parser.add_argument("--reference", type=Path,
                        help="an earlier KEEL run's --out folder (its keel_sets/*.csv)")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    started = time.time()
    datasets = args.datasets.split(",")
    names = args.settings.split(",")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folds = pd.concat(run_setting(n, datasets, Path(tmp) / n, args.repeats) for n in names)
    folds.to_csv(args.out / "folds.csv", index=False)
    native = folds[folds["setting"] == names[0]]
    rows = compare(folds, native, names[0])
    if args.reference is not None:
        ref = pd.concat(pd.read_csv(args.reference / "keel_sets" / f"{d}.csv") for d in datasets)
        ref = ref[ref["method"] == "pgan"]
        rows += compare(folds, ref, str(args.reference))
    summary = pd.DataFrame(rows)
    summary.to_csv(args.out / "summary.csv", index=False)
    print(summary.to_string(index=False))
    write_meta(args.out, run_meta(started, {
        "datasets": datasets, "settings": {n: SETTINGS[n] for n in names},
        "reference": None if args.reference is None else str(args.reference),
        "suite": f"keel, 5 folds x {args.repeats} repeats, random_state=0, P-GAN at its defaults",
    }, device="cpu"))


if __name__ == "__main__":
    main()
