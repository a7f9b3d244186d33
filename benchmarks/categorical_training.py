"""P-GAN's two choices for mixed-type tables, each against its alternative.

1. Hard rows in training. With categorical columns the networks see one-hot
   blocks. Real rows are hard (one 1 per block); G's convex mixes of its
   anchors are soft unless they are made hard. Variant ``straight-through``
   makes them hard in the forward pass and takes the soft mix's gradient
   (``PolarityGAN.harden``, with ``gan_params={"hard_training": True}``). Variant
   ``soft``, the default since this measurement, trains on the soft mixes; the
   output rows are hard in both (the same draws at generation time).
2. Integer columns kept integer (``discrete_features="auto"``). Variant
   ``no-integers`` casts the integer columns to float and interpolates them
   (``discrete_features=None``), as for continuous columns.

For each dev table of the tables suite, seed and variant it records:

- ``detect_auc``: how well a gradient-boosted tree tells the synthetic
  minority rows from the real ones (5-fold cross-validated ROC AUC on the
  one-hot encoded rows; 0.5 = indistinguishable), P-GAN fitted on the whole
  imputed table;
- ``hgb_g_mean``: the tables suite's P-GAN row with
  ``HistGradientBoostingClassifier``, on stratified 5-fold (one repeat);
- G's mixing at the end of training (``effective_anchors``, ``max_weight``).

::

    python benchmarks/categorical_training.py --out benchmarks/results/categorical-training
"""

import time

import numpy as np
import pandas as pd
from scipy.stats import wilcoxon
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.preprocessing import OneHotEncoder

from imblearn_pgan import PolarityGANSampler
from imblearn_pgan.suites.keel import fold_scores
from imblearn_pgan.suites.provenance import run_meta, write_meta
from imblearn_pgan.suites.tables import (
    table_pipeline,
    table_study_arguments,
    table_study_cells,
)

#: The default first.
VARIANTS = ("soft", "straight-through", "no-integers")


def hard_training(name):
    """G's training rows made hard for ``straight-through`` (generation is unchanged)."""
    return name == "straight-through"


def as_variant(X, name):
    """The table as the variant sees it: integer columns as floats for ``no-integers``."""
    if name != "no-integers":
        return X
    return X.astype({c: float for c, t in X.dtypes.items() if t.kind in "iu"})


def discrete(name):
    return None if name == "no-integers" else "auto"



def detectability(X, y, seed, name):
    """AUC of a tree telling P-GAN's minority rows from the real ones, and G's mixing."""
    X = as_variant(X, name)
    sampler = PolarityGANSampler(categorical_features="auto", discrete_features=discrete(name),
                                 gan_params={"hard_training": hard_training(name)},
                                 random_state=seed)
    X_res, _ = sampler.fit_resample(X, y)
    both = pd.concat([X[y == 1], X_res.iloc[len(X):]], ignore_index=True)
    is_synthetic = np.r_[np.zeros((y == 1).sum()), np.ones(len(X_res) - len(X))]
    encode = ColumnTransformer(
        [("cat", OneHotEncoder(handle_unknown="ignore", sparse_output=False),
          make_column_selector(dtype_exclude="number"))],
        remainder="passthrough")
    rows = encode.fit_transform(both)
    auc = cross_val_score(HistGradientBoostingClassifier(random_state=seed), rows, is_synthetic,
                          cv=StratifiedKFold(5, shuffle=True, random_state=seed),
                          scoring="roc_auc").mean()
    tail = sampler.history_[-max(1, len(sampler.history_) // 10):]
    return {"detect_auc": float(auc),
            "effective_anchors": float(np.mean([h["effective_anchors"] for h in tail])),
            "max_weight": float(np.mean([h["max_weight"] for h in tail]))}


def hgb_g_mean(table, seed, name):
    """The tables suite's P-GAN row with HistGradientBoosting, stratified 5-fold."""
    X, y = as_variant(table.data, name), table.target
    context = {"pgan_params": {"discrete_features": discrete(name),
                               "hard_training": hard_training(name)}}
    scores = []
    for train, test in StratifiedKFold(5, shuffle=True, random_state=seed).split(X, y):
        pipe = table_pipeline("pgan", "hgb", X.dtypes, seed=seed, context=context)
        pipe.fit(X.iloc[train], y[train])
        scores.append(fold_scores(pipe, X.iloc[test], y[test])["g_mean"])
    return float(np.mean(scores))


def main(argv=None):
    args = table_study_arguments(__doc__.splitlines()[0], argv)
    started = time.time()
    records = []
    for name, table, X, seed, v in table_study_cells(args, VARIANTS):
        start = time.perf_counter()
        record = {"dataset": name, "seed": seed, "variant": v,
                  **detectability(X, table.target, seed, v),
                  "hgb_g_mean": hgb_g_mean(table, seed, v)}
        record["run_s"] = time.perf_counter() - start
        records.append(record)
        print(record, flush=True)
    runs = pd.DataFrame(records)
    runs.to_csv(args.out / "runs.csv", index=False)
    metrics = ["detect_auc", "hgb_g_mean", "effective_anchors", "max_weight"]
    summary = runs.groupby(["dataset", "variant"])[metrics].agg(["mean", "std"]).round(4)
    summary.to_csv(args.out / "summary.csv")
    paired = runs.pivot_table(index=["dataset", "seed"], columns="variant", values=metrics)
    lines = ["| metric | default | against | default | other | W/T/L of default | "
             "p (Wilcoxon) |", "|---|---|---|---|---|---|---|"]
    for other in VARIANTS[1:]:
        for metric, better in [("detect_auc", -1), ("hgb_g_mean", 1)]:
            a, b = paired[metric][VARIANTS[0]], paired[metric][other]
            d = better * (a - b)
            p = wilcoxon(a, b).pvalue if (a != b).any() else 1.0
            lines.append(f"| {metric} | {VARIANTS[0]} | {other} | {a.mean():.3f} ± {a.std():.3f} "
                         f"| {b.mean():.3f} ± {b.std():.3f} | {(d > 0).sum()}/{(d == 0).sum()}/"
                         f"{(d < 0).sum()} | {p:.3g} |")
    report = "\n".join(lines)
    (args.out / "results.md").write_text(
        f"# Mixed-type tables: P-GAN's defaults against their alternatives\n\n```\npython "
        f"benchmarks/categorical_training.py --out {args.out}\n```\n\n"
        f"{len(runs) // len(VARIANTS)} pairs (table x seed); detect_auc: lower is better\n\n"
        f"{report}\n\n"
        f"Per table (mean, std over seeds):\n\n```\n{summary.to_string()}\n```\n")
    print(report)
    write_meta(args.out, run_meta(started, {"datasets": args.datasets,
                                            "seeds": args.seeds, "variants": list(VARIANTS)},
                                  device="cpu"))


if __name__ == "__main__":
    main()
