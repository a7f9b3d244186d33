"""The KEEL suite's report: average ranks, Wilcoxon tests, fit times, files and figure."""

from pathlib import Path

import numpy as np
import pandas as pd

from .formatting import (
    legend_lines,
    markdown_table,
    protocol_lines,
    text_table,
    versions_line,
    wrap_lines,
)
from .provenance import write_meta
from .report_folds import METRIC_TITLES, fold_tables, gan_lines, problem_lines, rank_sections

__all__ = ["render_keel", "write_keel_report"]


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
        As returned by :func:`~imblearn_pgan.suites.run_keel`.
    markdown : bool, default=True
        Markdown (``results.md``) or plain text (the printed report).

    Returns
    -------
    text : str
        The document.
    """
    meta = folds.attrs["meta"]
    table = markdown_table if markdown else text_table
    lines = []
    if markdown:
        lines += ["# P-GAN on the KEEL suite", "", "```", meta["command"], "```", "",
                  f"- versions: {versions_line(meta)}"]
    bullet = "- " if markdown else ""
    lines += protocol_lines(meta, markdown=markdown, unit="data sets", cell="data set")
    if meta.get("resumed"):
        lines += wrap_lines([f"{bullet}{len(meta['resumed'])} data set(s) loaded from an "
                             "earlier, stopped run with the same settings (--resume): the "
                             "wall time counts this run only"], markdown=markdown)
    lines += gan_lines(meta, markdown=markdown)
    lines += rank_sections(folds, table, markdown=markdown)
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
    lines += problem_lines(folds, meta, markdown=markdown)
    if markdown:
        header = ["data set", "rows", "features", "minority", "IR"]
        rows = [[n, s["rows"], s["features"], s["minority"], f"{s['imbalance_ratio']:.1f}"]
                for n, s in meta["datasets"].items()]
        lines += ["", "## Data sets", "", table(header, rows)]
    return "\n".join(lines + legend_lines(meta, markdown=markdown) + [""])


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
        As returned by :func:`~imblearn_pgan.suites.run_keel`.
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
    metrics = list(METRIC_TITLES) + ["fit_s"]
    folds.groupby(["dataset", "classifier", "method"], sort=False)[metrics].mean().to_csv(
        paths[1])
    paths[2].write_text(render_keel(folds), encoding="utf-8")
    _, ranks, _ = fold_tables(folds)
    _plot_keel_ranks(ranks["g_mean"], paths[3], plt)
    paths.append(write_meta(out, folds.attrs["meta"]))
    return paths
