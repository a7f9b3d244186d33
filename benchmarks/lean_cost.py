"""P-GAN's cost against SMOTE_IPF and SMOTE on five small KEEL dev sets, in one process.

Issue #38's measure: one training fold of each set (the KEEL suite's first
fold), the median of ``--repeats`` fits of each sampler, and the ratio
P-GAN / SMOTE_IPF per set. Also P-GAN's time per stage and per GAN step::

    python benchmarks/lean_cost.py
    python benchmarks/lean_cost.py --pgan-param hidden_dim=256 --out benchmarks/results/lean-cost

``--pgan-param name=value`` (repeatable) sets a P-GAN parameter or ``gan_params``
setting. Needs the optional KEEL and smote-variants packages
(``scripts/install_benchmark_extras.sh``).
"""

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
from imblearn.over_sampling import SMOTE
from sklearn.model_selection import RepeatedStratifiedKFold

from imblearn_pgan import PolarityGANSampler
from imblearn_pgan._core import stage_seconds
from imblearn_pgan.datasets import load_keel
from imblearn_pgan.sampler import split_settings
from imblearn_pgan.suites.cli import _setting as parse_setting
from imblearn_pgan.suites.methods import SmoteVariantsSampler
from imblearn_pgan.suites.provenance import run_meta, write_meta

SETS = ("ecoli1", "glass1", "glass0", "ecoli3", "vehicle1")


def first_fold(name):
    """The KEEL suite's first training fold (5-fold, seed 0) and its fold seed."""
    X, y = load_keel(name, return_X_y=True)
    train, _ = next(RepeatedStratifiedKFold(n_splits=5, n_repeats=2, random_state=0).split(X, y))
    return X[train], y[train]


def median_time(make, X, y, repeats):
    times, sampler = [], None
    for _ in range(repeats):
        sampler = make()
        start = time.perf_counter()
        sampler.fit_resample(X, y)
        times.append(time.perf_counter() - start)
    return float(np.median(times)), sampler


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=list(SETS))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--pgan-param", action="append", default=[], type=parse_setting,
                        metavar="NAME=VALUE")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    settings = split_settings(dict(args.pgan_param))
    started = time.time()
    rows = []
    for name in args.sets:
        X, y = first_fold(name)
        pgan_s, pgan = median_time(lambda: PolarityGANSampler(random_state=0, **settings),
                                   X, y, args.repeats)
        ipf_s, _ = median_time(lambda: SmoteVariantsSampler(variant="SMOTE_IPF", random_state=0),
                               X, y, args.repeats)
        smote_s, _ = median_time(lambda: SMOTE(random_state=0), X, y, args.repeats)
        stages = stage_seconds(pgan.history_)
        rows.append({
            "dataset": name, "rows": X.shape[0], "features": X.shape[1],
            "n_iter": pgan.n_iter_, "pgan_s": pgan_s, "smote_ipf_s": ipf_s, "smote_s": smote_s,
            "pgan_over_smote_ipf": pgan_s / ipf_s, "pgan_over_smote": pgan_s / smote_s,
            "autoencoder_s": stages.get("autoencoder", 0.0), "gan_s": stages.get("gan", 0.0),
            "ms_per_gan_step": 1000 * stages.get("gan", 0.0) / pgan.n_iter_,
        })
        print({k: round(v, 4) if isinstance(v, float) else v for k, v in rows[-1].items()},
              flush=True)
    frame = pd.DataFrame(rows)
    medians = frame[["pgan_s", "smote_ipf_s", "pgan_over_smote_ipf", "pgan_over_smote",
                     "ms_per_gan_step"]].median()
    print(frame.round(3).to_string(index=False))
    print("median:", medians.round(3).to_dict())
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        frame.to_csv(args.out / "lean_cost.csv", index=False)
        write_meta(args.out, run_meta(started, {"sets": args.sets, "repeats": args.repeats,
                                                "pgan_settings": settings}, device="cpu"))


if __name__ == "__main__":
    main()
