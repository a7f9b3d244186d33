"""What the reports of the fold suites (KEEL, tables) share: average ranks, the
Wilcoxon tests of P-GAN against each row, the settings the GAN rows ran with, and
the rows that did not run or failed."""

from pathlib import Path

import numpy as np

from .formatting import protocol_lines, versions_line, wrap_lines
from .methods import METHODS
from .stats import average_ranks, cell_means, compare_with

__all__ = ["METRIC_TITLES", "fold_fit_seconds", "fold_tables", "gan_lines", "higher_better",
           "problem_lines", "rank_sections", "report_head", "write_fold_report"]

#: The scores of a fold suite, each with the title the reports give it. The Brier
#: score is ranked and tested negated, so that higher is better for every score.
METRIC_TITLES = {"g_mean": "G-mean", "auc": "AUC", "f1": "minority F1",
                 "balanced_accuracy": "balanced accuracy",
                 "brier": "Brier score (negated: higher is better)"}

#: What the report says of the Brier score.
BRIER_NOTE = ("Brier score: the mean squared error of the minority's predicted probability, "
              "for users who need probabilities (lower is better; ranked and tested negated). "
              "Resampling shifts the probabilities toward the minority, so a resampler can "
              "raise G-mean and worsen the Brier score at once. Classifiers without "
              "probabilities (the SVC) have no Brier cell.")


def higher_better(metric):
    """+1, or -1 for a lower-better score (the Brier score): the factor that makes a
    score higher-better for ranks and tests."""
    return -1 if metric == "brier" else 1


def fold_fit_seconds(folds):
    """Seconds each row spent on each fold, indexed by method, data set and fold.

    A resampler's fit serves every classifier, so it counts once. A threshold row fits
    once per classifier (its sampler's fits shared through the fold's cache, the first
    classifier paying them), so its classifiers' seconds add up."""
    tuned = {name for name, m in METHODS.items() if m.tuning == "threshold"}
    seconds = folds.groupby(["method", "dataset", "fold"], sort=False)["fit_s"]
    total = seconds.sum()
    return total.where(total.index.get_level_values("method").isin(tuned), seconds.first())


def _p(value):
    return "–" if np.isnan(value) else (f"{value:.1e}" if value < 1e-3 else f"{value:.3f}")


def fold_tables(folds, reference="pgan"):
    """Mean scores per cell, average-rank tables per metric and the comparison of
    ``reference`` with every other row (empty when it did not run, or ran alone)."""
    means = {metric: higher_better(metric) * cell_means(folds, metric)
             for metric in METRIC_TITLES if metric in folds}
    # A classifier without probabilities has no Brier cell.
    means = {metric: table.dropna(how="all") for metric, table in means.items()}
    ranks = {metric: average_ranks(table) for metric, table in means.items()}
    compared = ({metric: compare_with(table, reference) for metric, table in means.items()}
                if reference in folds["method"].unique() and folds["method"].nunique() > 1
                else {})
    return means, ranks, compared


def report_head(meta, *, markdown, title, unit, cell, versions_extra=""):
    """The top of a fold suite's report: in markdown the title, the command and the
    versions; then the protocol lines (:func:`~.formatting.protocol_lines`)."""
    lines = []
    if markdown:
        lines += [f"# {title}", "", "```", meta["command"], "```", "",
                  f"- versions: {versions_line(meta)}{versions_extra}"]
    return lines + protocol_lines(meta, markdown=markdown, unit=unit, cell=cell)


def _heading(text, markdown):
    return ["", f"## {text}" if markdown else text, ""]


def rank_sections(folds, table, *, markdown, reference="pgan", label="sampler",
                  against="P-GAN"):
    """The average-rank table per metric, then the Wilcoxon test of ``reference``
    against each row per metric (``against`` names the reference in the titles)."""
    _, ranks, compared = fold_tables(folds, reference)
    lines = []
    for metric, rank in ranks.items():
        title = METRIC_TITLES[metric]
        rows = [[method, *("–" if np.isnan(v) else f"{v:.2f}" for v in row)]
                for method, row in rank.iterrows()]
        lines += _heading(f"Average rank, {title}", markdown) + [
            table(["method", *rank.columns], rows)]
        if metric == "brier":
            lines += [""] + wrap_lines([BRIER_NOTE], markdown=markdown)
    for metric, result in compared.items():
        header = [label, "P-GAN W/T/L", "median diff", "p (two-sided)", "p (P-GAN better)"]
        rows = [[r.Index, f"{r.wins}/{r.ties}/{r.losses}", f"{r.median_diff:+.4f}",
                 _p(r.p_two_sided), _p(r.p_greater)] for r in result.itertuples()]
        lines += _heading(f"{against} against each {label}, {METRIC_TITLES[metric]} "
                          "(Wilcoxon signed-rank over the cells)", markdown)
        lines.append(table(header, rows))
    if not compared:
        bullet = "- " if markdown else ""
        lines += _heading("Wilcoxon tests", markdown) + [
            f"{bullet}none: the {reference} row did not run, or ran alone"]
    return lines


def gan_lines(meta, *, markdown):
    """One line per GAN row: the settings it ran with."""
    bullet = "- " if markdown else ""
    return wrap_lines([f"{bullet}{name} run with " + ", ".join(
        f"{k}={v}" for k, v in settings.items())
        for name, settings in meta["gan_settings"].items()], markdown=markdown)


def problem_lines(folds, meta, *, markdown):
    """The rows that could not run, the folds a sampler failed on, the classifiers whose
    threshold could not be tuned and the empty cells, under a heading."""
    ok = folds.drop_duplicates(["dataset", "fold", "method"])
    problems = [f"{m}: not run, {r}" for m, r in meta["unavailable"].items()]
    noted = folds[folds["status"].str.startswith(("ok:", "empty:"))]
    for (method, classifier, status), part in noted.groupby(
            ["method", "classifier", "status"], sort=False):
        problems.append(f"{method} with {classifier}, {len(part)} fold(s): {status}")
    failures = ok[ok["status"].str.startswith("failed")]
    for (method, status), part in failures.groupby(["method", "status"], sort=False):
        where = ", ".join(f"{d} ({n})" for d, n in part.groupby("dataset", sort=False).size()
                          .items())
        problems.append(f"{method}, {len(part)} fold(s) counted as no resampling, "
                        f"{status} on: {where}")
    if not problems:
        return []
    bullet = "- " if markdown else ""
    return _heading("Not run or failed", markdown) + wrap_lines(
        [f"{bullet}{p}" for p in problems], markdown=markdown)


def write_fold_report(folds, out, suite, render, plot, stats=("mean",)):
    """Write a fold suite's files to ``out`` (created if missing); return their paths.

    ``<suite>_folds.csv`` (every fold's scores), ``<suite>_means.csv`` (the
    ``stats`` over folds per cell and row, one column per score, or
    ``<score>_<stat>`` with several), ``results.md`` (``render(folds)``),
    ``<suite>_ranks.png`` (``plot(folds, path, plt)``) and ``meta.json``.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .provenance import write_meta

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / f"{suite}_folds.csv", out / f"{suite}_means.csv", out / "results.md",
             out / f"{suite}_ranks.png"]
    folds.to_csv(paths[0], index=False)
    metrics = [m for m in METRIC_TITLES if m in folds] + ["fit_s"]
    summary = folds.groupby(["dataset", "classifier", "method"], sort=False)[metrics].agg(
        list(stats))
    summary.columns = [metric if len(stats) == 1 else f"{metric}_{stat}"
                       for metric, stat in summary.columns]
    summary.to_csv(paths[1])
    paths[2].write_text(render(folds), encoding="utf-8")
    plot(folds, paths[3], plt)
    paths.append(write_meta(out, folds.attrs["meta"]))
    return paths
