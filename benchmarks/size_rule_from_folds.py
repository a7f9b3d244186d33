"""Experiment log, entry 18 (h): a rule of the class's size, judged on saved folds.

G's weights for a class of at least THRESHOLD training rows, flat Dirichlet
weights below. For a two-class KEEL set the rule's output in a fold is that of
the default ``pgan`` row or of ``pgan-dirichlet`` (entry 10 ran both on the
same folds), as the minority class of that fold's training part is large or
small, so its fold scores are composed from theirs; the training counts come
from the suite's own splitter. Prints the rule against the default on each half
of the KEEL dev list (wins/ties/losses of the rule, Wilcoxon two-sided).

    python benchmarks/size_rule_from_folds.py [THRESHOLD]   # default 25
"""
import sys
import numpy as np, pandas as pd
from scipy.stats import wilcoxon
from sklearn.model_selection import RepeatedStratifiedKFold
from imblearn_pgan.datasets import load_keel, KEEL_TUNING_SETS, KEEL_VALIDATION_SETS

THRESHOLD = int(sys.argv[1]) if len(sys.argv) > 1 else 25
for half, folder, sets in [("tuning", "keel-tuning", KEEL_TUNING_SETS), ("validation", "keel-validation", KEEL_VALIDATION_SETS)]:
    f = pd.read_csv(f"benchmarks/results/entry10/{folder}/keel_folds.csv")
    small = {}
    for name in sorted(set(f.dataset)):
        b = load_keel(name)
        y = np.asarray(b.target)
        labels, counts = np.unique(y, return_counts=True)
        minority = labels[counts.argmin()]
        split = RepeatedStratifiedKFold(n_splits=5, n_repeats=2, random_state=0)
        for fold, (train, test) in enumerate(split.split(b.data, y)):
            small[(name, fold)] = int((y[train] == minority).sum()) < THRESHOLD
    f["small"] = [small[(d, k)] for d, k in zip(f.dataset, f.fold)]
    pg = f[f.method == "pgan"].set_index(["dataset", "fold", "classifier"])
    di = f[f.method == "pgan-dirichlet"].set_index(["dataset", "fold", "classifier"])
    rule = pg.copy()
    use = pg["small"]
    for col in ["g_mean", "auc", "f1", "other_region"]:
        rule.loc[use, col] = di.loc[use[use].index, col]
    n_small_sets = pg[use].reset_index().dataset.nunique()
    print(f"{half}: {n_small_sets} sets with a small class in some fold, {use.mean():.2f} of folds")
    for metric in ["g_mean", "auc", "f1"]:
        a = pg.groupby(["dataset", "classifier"])[metric].mean()
        r = rule.groupby(["dataset", "classifier"])[metric].mean()
        d = r - a
        nz = d[d != 0]
        p = wilcoxon(nz).pvalue if len(nz) else 1.0
        print(f"  {metric}: rule W/T/L {(d>0).sum()}/{(d==0).sum()}/{(d<0).sum()} p={p:.3g} mean {a.mean():.4f} -> {r.mean():.4f}")
