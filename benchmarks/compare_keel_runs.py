"""Compare rows of several KEEL (or tables) runs made on the same folds, as one run.

A setting study runs ``pgan-benchmark --suite keel`` once per setting (for
example with ``--pgan-param classifier_weight=0.1``) into its own folder. The
folds depend only on ``--folds``, ``--repeats`` and the seed, so rows of runs
with the same ones are paired cell by cell. This script checks that, then
ranks the chosen rows together and tests each against a reference::

    python benchmarks/compare_keel_runs.py \\
        benchmarks/results/keel-dev-ablation:smote,convex-random \\
        benchmarks/results/keel-dev-sweep/classifier_weight-0.3:pgan \\
        benchmarks/results/keel-dev-sweep/n_anchors-2:pgan \\
        --reference pgan@classifier_weight-0.3

Runs of ``pgan-benchmark --suite tables`` compare the same way (their folds
and cells are in their ``meta.json``; ``--regimes`` is for KEEL sets only).
A row is named ``method@folder`` when its method comes from several runs.
``DIR1+DIR2:METHOD`` reads runs of the same rows on other data sets as one
run (for example the tuning and the validation half).
``--datasets tuning`` (or ``validation``, or a comma list) keeps those sets
only. ``--by-classifier`` adds the reference's tests within each
classifier's cells. ``--by-fold`` adds them within each data set and
classifier, over its folds, with the mean difference. ``--regimes`` adds
the G-mean ranks within halves of the data sets split at the median
imbalance ratio, minority size and number of features. ``--out DIR``
also writes the printed tables to ``DIR/comparison.md``, each metric's ranks
to ``DIR/ranks_<metric>.csv`` and ``DIR/meta.json``, which names the commit
of every compared run where its own meta.json does.
"""

import argparse
import json
import time
from pathlib import Path

import pandas as pd

from imblearn_pgan.suites.keel import expand_set_names
from imblearn_pgan.suites.provenance import run_meta, write_meta
from imblearn_pgan.suites.report_folds import fold_fit_seconds, higher_better
from imblearn_pgan.suites.stats import average_ranks, cell_means, compare_with
from imblearn_pgan.suites.formatting import markdown_table

# Settings that fix the folds and cells; runs must agree on them.
_PAIRING = ("classifiers", "n_splits", "n_repeats", "random_state")


def load(specs):
    """The fold records of every ``DIR[:method,...]``, with rows renamed where needed."""
    parts, settings = [], {}
    for spec in specs:
        folders, _, methods = spec.partition(":")
        pieces = []
        # DIR1+DIR2: runs of the same rows on other sets, read as one run.
        for folder in map(Path, folders.split("+")):
            saved = json.loads((folder / "meta.json").read_text())["settings"]
            suite = "keel" if (folder / "keel_folds.csv").exists() else "tables"
            pieces.append(pd.read_csv(folder / f"{suite}_folds.csv"))
            settings[folder.name] = {k: saved[k] for k in _PAIRING}
        folds = pd.concat(pieces, ignore_index=True)
        if methods:
            folds = folds[folds["method"].isin(methods.split(","))]
        parts.append(("+".join(Path(f).name for f in folders.split("+")), folds))
    if len({json.dumps(s, sort_keys=True) for s in settings.values()}) > 1:
        raise SystemExit(f"the runs were made on different folds or cells: {settings}")
    names = pd.Series([m for _, f in parts for m in f["method"].unique()])
    repeated = set(names[names.duplicated()])
    frames = []
    for name, folds in parts:
        folds = folds.copy()
        folds["method"] = [f"{m}@{name}" if m in repeated else m for m in folds["method"]]
        frames.append(folds)
    return pd.concat(frames, ignore_index=True)


def regimes(folds):
    """G-mean average ranks within the halves of the sets split at each median."""
    from imblearn_pgan.datasets import load_keel

    sets = {}
    for name in folds["dataset"].unique():
        bunch = load_keel(name)
        sets[name] = {"imbalance ratio": bunch.imbalance_ratio,
                      "minority rows": int(bunch.target.sum()),
                      "features": bunch.data.shape[1]}
    sets = pd.DataFrame(sets).T
    ranks = average_ranks(cell_means(folds, "g_mean"))
    table = pd.DataFrame(index=ranks.index)
    for prop in sets.columns:
        cut = sets[prop].median()
        for label, names in ((f"{prop} <= {cut:g}", sets.index[sets[prop] <= cut]),
                             (f"> {cut:g}", sets.index[sets[prop] > cut])):
            part = folds[folds["dataset"].isin(names)]
            table[f"{label} ({len(names)})"] = average_ranks(
                cell_means(part, "g_mean"))["all"].round(2)
    return table.sort_values(table.columns[0])


def markdown(table):
    return markdown_table(["row", *table.columns],
                           [[i, *row] for i, row in zip(table.index, table.to_numpy())])


def _commit(spec):
    """The commit that each compared run's meta.json names, or None."""
    commits = []
    for folder in spec.partition(":")[0].split("+"):
        meta = Path(folder) / "meta.json"
        commits.append(json.loads(meta.read_text()).get("commit") if meta.exists() else None)
    return commits[0] if len(commits) == 1 else commits


def by_classifier(means, reference):
    """``W/T/L (p), mean difference`` of ``reference`` against each row, one column per
    classifier."""
    columns = {}
    for classifier, part in means.groupby(level="classifier", sort=False):
        tests = compare_with(part, reference)
        columns[classifier] = [f"{t.wins}/{t.ties}/{t.losses} ({t.p_two_sided:.2g}), "
                               f"{t.mean_diff:+.4f}" for t in tests.itertuples()]
    return pd.DataFrame(columns, index=compare_with(means, reference).index)


def by_fold(folds, metric, reference):
    """``W/T/L (p), mean difference`` of ``reference`` over the folds of each data set
    and classifier, one column per other row."""
    scores = higher_better(metric) * folds.pivot_table(
        index=["dataset", "classifier", "fold"], columns="method", values=metric)
    cells = {}
    for (dataset, classifier), part in scores.groupby(level=["dataset", "classifier"],
                                                      sort=False):
        part = part.droplevel(["dataset", "classifier"])
        tests = compare_with(part, reference)
        means = part.mean()
        diff = means[reference] - means
        cells[f"{dataset} / {classifier}"] = [
            f"{t.wins}/{t.ties}/{t.losses} ({t.p_two_sided:.2g}), {diff[m]:+.4f}"
            for m, t in zip(tests.index, tests.itertuples())]
    return pd.DataFrame(cells, index=tests.index).T


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", metavar="DIR[:METHOD,...]")
    parser.add_argument("--reference", required=True, help="the row tested against the others")
    parser.add_argument("--metrics", default="g_mean,auc", help="comma list (default g_mean,auc)")
    parser.add_argument("--datasets", default=None, metavar="A,B,...",
                        help="only these sets; dev, tuning and validation name the dev "
                        "list and its halves (default: every set of the runs)")
    parser.add_argument("--by-classifier", action="store_true",
                        help="also test the reference against each row within each "
                        "classifier's cells")
    parser.add_argument("--by-fold", action="store_true",
                        help="also test the reference against each row over the folds of "
                        "each data set and classifier")
    parser.add_argument("--regimes", action="store_true",
                        help="G-mean ranks by halves of imbalance ratio, minority size and "
                        "features (needs the KEEL package)")
    parser.add_argument("--out", type=Path, default=None,
                        help="also write comparison.md, ranks_<metric>.csv and meta.json here")
    args = parser.parse_args(argv)
    started = time.time()
    folds = load(args.runs)
    if args.datasets:
        names = expand_set_names(args.datasets.split(","), quick=False)
        folds = folds[folds["dataset"].isin(names)]
    parts, tables = [], {}
    for metric in args.metrics.split(","):
        # A lower-better score (Brier) is ranked and tested negated, as in the reports.
        sign = higher_better(metric)
        means = sign * cell_means(folds, metric)
        table = average_ranks(means).round(2)
        table.insert(0, f"mean {metric}", sign * means.mean().round(3))
        tests = compare_with(means, args.reference)
        table["W/T/L of reference"] = [
            "" if m == args.reference else
            f"{tests.loc[m, 'wins']}/{tests.loc[m, 'ties']}/{tests.loc[m, 'losses']}"
            for m in table.index]
        table["p (two-sided)"] = [
            "" if m == args.reference else f"{tests.loc[m, 'p_two_sided']:.2g}"
            for m in table.index]
        tables[metric] = table
        title = metric + (" (negated: higher is better)" if sign < 0 else "")
        parts += [f"\n{title}: average rank over {len(means)} cells "
                  f"(reference {args.reference})\n", markdown(table)]
        if args.by_classifier:
            parts += [f"\n{metric}, within each classifier: W/T/L of {args.reference} "
                      "(Wilcoxon p, two-sided), mean difference\n",
                      markdown(by_classifier(means, args.reference))]
        if args.by_fold:
            parts += [f"\n{metric}, over the folds of each data set and classifier: W/T/L of "
                      f"{args.reference} (Wilcoxon p, two-sided), mean difference\n",
                      markdown(by_fold(folds, metric, args.reference))]
    columns = [c for c in ("dist_other", "other_region", "anchors") if c in folds]
    where = folds.drop_duplicates(["dataset", "fold", "method"]).groupby("method")[columns]
    where = where.mean().assign(fit_s=fold_fit_seconds(folds).groupby("method").mean())
    parts += ["\nwhere the synthetic rows lie, and seconds per fold (means over folds; a "
              "threshold row's over its classifiers)\n", markdown(where.round(3))]
    if args.regimes:
        parts += ["\nG-mean average rank by regime (data sets in brackets)\n",
                  markdown(regimes(folds))]
    print("\n".join(parts))
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "comparison.md").write_text("\n".join(parts) + "\n", encoding="utf-8")
        for metric, table in tables.items():
            table.to_csv(args.out / f"ranks_{metric}.csv", index_label="row")
        write_meta(args.out, run_meta(started, {
            "arguments": vars(args), "runs": {spec: _commit(spec) for spec in args.runs}}))


if __name__ == "__main__":
    main()
