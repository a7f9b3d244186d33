"""A rule of the class's size, judged on saved folds (experiment log, entries 18 (h) and 21).

The rule's output in a fold of a two-class KEEL set is one saved row's when the
minority class of that fold's training part has at least THRESHOLD rows (the
default ``pgan`` row of entry 10's runs), and another row's below (``--small``,
``pgan-dirichlet`` by default: G's weights only for large classes, entry 18 (h)).
All rows were run on the same folds, so the rule's fold scores are composed from
theirs; the training counts come from the splitter those runs recorded (rows of
runs on other folds are refused). Prints the rule
against the large-class row and against ``--against`` on each half of the KEEL
dev list asked for (wins/ties/losses of the rule over the (set, classifier)
cells, Wilcoxon two-sided)::

    python benchmarks/size_rule_from_folds.py 25 --halves tuning
    python benchmarks/size_rule_from_folds.py 25 --small convex-random@keel-dev \
        --against convex-random@keel-dev --halves tuning
"""

import argparse
import json

import numpy as np
import pandas as pd
from scipy.stats import wilcoxon
from sklearn.model_selection import RepeatedStratifiedKFold

from imblearn_pgan.datasets import KEEL_TUNING_SETS, KEEL_VALIDATION_SETS, load_keel

RESULTS = "benchmarks/results"
#: Entry 10's runs of the default row (and pgan-dirichlet), per half.
HALVES = {"tuning": ("entry10/keel-tuning", KEEL_TUNING_SETS),
          "validation": ("entry10/keel-validation", KEEL_VALIDATION_SETS)}
KEYS = ["dataset", "fold", "classifier"]
METRICS = ["g_mean", "auc", "f1"]
#: The settings that fix a KEEL run's folds and cells (as compare_keel_runs.py pairs runs).
FOLDS = ("classifiers", "n_splits", "n_repeats", "random_state")


def fold_settings(folder):
    """The settings of a KEEL run that fix its folds and cells."""
    saved = json.loads(open(f"{RESULTS}/{folder}/keel_sets/settings.json").read())
    # Runs saved since --resume checks a hash keep the settings beside it.
    saved = saved.get("settings", saved)
    return {k: saved[k] for k in FOLDS}


def saved_row(spec, half_folder):
    """Fold scores of ``METHOD`` or ``METHOD@FOLDER`` (a results folder; default: the half's),
    from a run on the half's folds."""
    method, _, folder = spec.partition("@")
    folder = folder or half_folder
    if fold_settings(folder) != fold_settings(half_folder):
        raise SystemExit(f"{folder} was run on other folds or cells than {half_folder}")
    folds = pd.read_csv(f"{RESULTS}/{folder}/keel_folds.csv")
    return folds[folds.method == method].set_index(KEYS)


def small_folds(names, threshold, settings):
    """Whether each (set, fold)'s training part has a minority class below ``threshold`` rows."""
    small = {}
    for name in names:
        y = np.asarray(load_keel(name).target)
        labels, counts = np.unique(y, return_counts=True)
        minority = labels[counts.argmin()]
        split = RepeatedStratifiedKFold(n_splits=settings["n_splits"],
                                        n_repeats=settings["n_repeats"],
                                        random_state=settings["random_state"])
        for fold, (train, _) in enumerate(split.split(np.zeros(len(y)), y)):
            small[(name, fold)] = int((y[train] == minority).sum()) < threshold
    return small


def compare(name, rule, other):
    for metric in METRICS:
        a = other.groupby(["dataset", "classifier"])[metric].mean()
        r = rule.groupby(["dataset", "classifier"])[metric].mean().loc[a.index]
        d = r - a
        nonzero = d[d != 0]
        p = wilcoxon(nonzero).pvalue if len(nonzero) else 1.0
        print(f"  against {name}, {metric}: rule W/T/L {(d > 0).sum()}/{(d == 0).sum()}/"
              f"{(d < 0).sum()} p={p:.3g} mean {a.mean():.4f} -> {r.mean():.4f}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("threshold", nargs="?", type=int, default=25)
    parser.add_argument("--small", default="pgan-dirichlet",
                        help="the row below the threshold: METHOD or METHOD@FOLDER")
    parser.add_argument("--against", default=None,
                        help="a further row to test the rule against: METHOD or METHOD@FOLDER")
    parser.add_argument("--halves", default="tuning,validation")
    args = parser.parse_args(argv)
    for half in args.halves.split(","):
        folder, names = HALVES[half]
        large = saved_row("pgan", folder)
        small_row = saved_row(args.small, folder)
        small = small_folds(sorted(set(large.reset_index().dataset)), args.threshold,
                            fold_settings(folder))
        use = pd.Series([small[(d, k)] for d, k, _ in large.index], index=large.index)
        rule = large.copy()
        rule.loc[use, METRICS] = small_row.loc[use[use].index, METRICS]
        print(f"{half}: {large[use].reset_index().dataset.nunique()} sets with a class below "
              f"{args.threshold} rows in some fold, {use.mean():.2f} of folds; small: {args.small}")
        compare("pgan", rule, large)
        if args.against:
            compare(args.against, rule, saved_row(args.against, folder).loc[rule.index])


if __name__ == "__main__":
    main()
