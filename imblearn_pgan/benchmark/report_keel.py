"""The KEEL suite's report: average ranks, Wilcoxon tests, fit times, files and figure."""

from pathlib import Path

import numpy as np
import pandas as pd

from .provenance import write_meta
from .stats import average_ranks, cell_means, compare_with
from .formatting import markdown_table, protocol_lines, text_table, versions_line

__all__ = ["render_keel", "write_keel_report"]

_KEEL_TITLES = {"g_mean": "G-mean", "auc": "AUC", "f1": "minority F1",
                "balanced_accuracy": "balanced accuracy"}


def _p(value):
    return "–" if np.isnan(value) else (f"{value:.1e}" if value < 1e-3 else f"{value:.3f}")


def _keel_tables(folds, reference="pgan"):
    """Average-rank tables per metric and the comparison of ``reference``."""
    means = {metric: cell_means(folds, metric) for metric in _KEEL_TITLES}
    ranks = {metric: average_ranks(table) for metric, table in means.items()}
    compared = ({metric: compare_with(table, reference) for metric, table in means.items()}
                if reference in folds["method"].unique() and folds["method"].nunique() > 1
                else {})
    return means, ranks, compared


def _rank_rows(table):
    header = ["method", *table.columns]
    rows = [[method, *(f"{v:.2f}" for v in row)] for method, row in table.iterrows()]
    return header, rows


def _placement_lines(folds, table, markdown):
    """Mean scores and where each sampler's rows lie (columns of newer runs only)."""
    columns = [c for c in ("g_mean", "auc", "dist_other", "other_region", "anchors")
               if c in folds]
    if not {"dist_other", "other_region"} <= set(columns):
        return []
    means = folds.groupby("method", sort=False)[columns].mean()
    header = ["method", "mean G-mean", "mean AUC", "distance to other class (real = 1)",
              "share in other class's region", "effective anchors"][:len(columns) + 1]
    rows = [[m, *("" if pd.isna(v) else f"{v:.3f}" for v in r)]
            for m, r in zip(means.index, means.to_numpy())]
    heading = "Means over all cells, and where the synthetic rows lie"
    return ["", f"## {heading}" if markdown else heading, "", table(header, rows)]


def render_keel(folds, *, markdown=True):
    """The KEEL report: ranks, Wilcoxon tests, win/tie/loss, failures, times.

    Parameters
    ----------
    folds : pandas.DataFrame
        As returned by :func:`~imblearn_pgan.benchmark.run_keel`.
    markdown : bool, default=True
        Markdown (``results.md``) or plain text (the printed report).

    Returns
    -------
    text : str
        The document.
    """
    meta = folds.attrs["meta"]
    table = markdown_table if markdown else text_table
    means, ranks, compared = _keel_tables(folds)
    sets = meta["datasets"]
    lines = []
    if markdown:
        lines += ["# P-GAN on the KEEL suite", "", "```", meta["command"], "```", "",
                  f"- versions: {versions_line(meta)}"]
    bullet = "- " if markdown else ""
    lines += protocol_lines(meta, markdown=markdown, unit="data sets", cell="data set")
    if meta.get("resumed"):
        lines.append(f"{bullet}{len(meta['resumed'])} data set(s) loaded from an earlier, "
                     "stopped run with the same settings (--resume): the wall time counts "
                     "this run only")
    for name, settings in meta["gan_settings"].items():
        lines.append(f"{bullet}{name} run with " + ", ".join(
            f"{k}={v}" for k, v in settings.items()))
    for metric, title in _KEEL_TITLES.items():
        heading = f"Average rank, {title}"
        lines += ["", f"## {heading}" if markdown else heading, "",
                  table(*_rank_rows(ranks[metric]))]
    for metric, result in compared.items():
        heading = (f"P-GAN against each sampler, {_KEEL_TITLES[metric]} "
                   "(Wilcoxon signed-rank over the cells)")
        header = ["sampler", "P-GAN W/T/L", "median diff", "p (two-sided)", "p (P-GAN better)"]
        rows = [[r.Index, f"{r.wins}/{r.ties}/{r.losses}", f"{r.median_diff:+.4f}",
                 _p(r.p_two_sided), _p(r.p_greater)] for r in result.itertuples()]
        lines += ["", f"## {heading}" if markdown else heading, "", table(header, rows)]
    lines += _placement_lines(folds, table, markdown)
    ok = folds.drop_duplicates(["dataset", "fold", "method"])
    fit = ok.groupby(["method", "dataset"], sort=False)["fit_s"].mean().groupby(
        level="method", sort=False)
    failed = ok[ok["status"] != "ok"].groupby("method", sort=False).size()
    header = ["method", "median fit s per set", "max fit s", "failed folds"]
    rows = [[m, f"{s.median():.3f}", f"{s.max():.3f}", int(failed.get(m, 0))]
            for m, s in fit]
    heading = "Fit time (mean over folds, then over sets) and failures"
    lines += ["", f"## {heading}" if markdown else heading, "", table(header, rows)]
    problems = [f"{m}: unavailable, {r}" for m, r in meta["unavailable"].items()]
    failures = ok[ok["status"] != "ok"]
    for (method, status), part in failures.groupby(["method", "status"], sort=False):
        where = ", ".join(f"{d} ({n})" for d, n in part.groupby("dataset", sort=False).size()
                          .items())
        problems.append(f"{method}, {len(part)} fold(s) counted as no resampling, "
                        f"{status} on: {where}")
    if problems:
        lines += ["", "## Not run or failed" if markdown else "Not run or failed", ""]
        lines += [f"{bullet}{p}" for p in problems]
    if markdown:
        header = ["data set", "rows", "features", "minority", "IR"]
        rows = [[n, s["rows"], s["features"], s["minority"], f"{s['imbalance_ratio']:.1f}"]
                for n, s in sets.items()]
        lines += ["", "## Data sets", "", table(header, rows), ""]
        lines += ["## Methods", ""] + [f"- {m}: {method['description']}"
                                       for m, method in meta["methods"].items()] + [""]
    return "\n".join(lines)


def _plot_keel_ranks(ranks, path, plt):
    """Sorted bars of the average G-mean rank, overall and per classifier."""
    table = ranks.sort_values("all", ascending=False)
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(table) + 1.5))
    y = np.arange(len(table))
    ax.barh(y, table["all"], color=["C3" if m == "pgan" else "C0" for m in table.index])
    for i, column in enumerate(c for c in table.columns if c != "all"):
        ax.scatter(table[column], y, marker="o|x+"[i % 4], color="k", s=25, zorder=3,
                   label=column)
    ax.set_yticks(y, table.index)
    ax.set_xlabel("average rank of G-mean (1 = best); bars: all classifiers")
    ax.set_title("KEEL suite: average rank per sampler")
    ax.legend(title="classifier", fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def write_keel_report(folds, out):
    """Write the KEEL run's csv files, ``results.md``, ``keel_ranks.png`` and ``meta.json``.

    Parameters
    ----------
    folds : pandas.DataFrame
        As returned by :func:`~imblearn_pgan.benchmark.run_keel`.
    out : str or path-like
        Directory, created if missing.

    Returns
    -------
    paths : list of pathlib.Path
        ``keel_folds.csv`` (every fold's scores), ``keel_means.csv`` (their
        means per cell and method), ``results.md``, ``keel_ranks.png`` and
        ``meta.json``.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "keel_folds.csv", out / "keel_means.csv", out / "results.md",
             out / "keel_ranks.png"]
    folds.to_csv(paths[0], index=False)
    metrics = list(_KEEL_TITLES) + ["fit_s"]
    folds.groupby(["dataset", "classifier", "method"], sort=False)[metrics].mean().to_csv(
        paths[1])
    paths[2].write_text(render_keel(folds), encoding="utf-8")
    _, ranks, _ = _keel_tables(folds)
    _plot_keel_ranks(ranks["g_mean"], paths[3], plt)
    paths.append(write_meta(out, folds.attrs["meta"]))
    return paths
