"""The KEEL suite's report: average ranks, Wilcoxon tests, fit times, files and figure."""

import numpy as np
import pandas as pd

from .formatting import legend_lines, markdown_table, text_table, wrap_lines
from .report_folds import (fold_fit_seconds, fold_tables, gan_lines, problem_lines,
                           rank_sections, report_head, write_fold_report)

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
    """The KEEL report of ``folds`` (as :func:`~imblearn_pgan.suites.run_keel` returns
    them): ranks, Wilcoxon tests, win/tie/loss, failures, times; in markdown
    (``results.md``) or as the printed text."""
    meta = folds.attrs["meta"]
    table = markdown_table if markdown else text_table
    lines = report_head(meta, markdown=markdown, title="P-GAN on the KEEL suite",
                        unit="data sets", cell="data set")
    bullet = "- " if markdown else ""
    if meta.get("resumed"):
        lines += wrap_lines([f"{bullet}{len(meta['resumed'])} data set(s) loaded from an "
                             "earlier, stopped run with the same settings (--resume): the "
                             "wall time counts this run only"], markdown=markdown)
    lines += gan_lines(meta, markdown=markdown)
    lines += rank_sections(folds, table, markdown=markdown)
    lines += _placement_lines(folds, table, markdown)
    ok = folds.drop_duplicates(["dataset", "fold", "method"])
    fit = fold_fit_seconds(folds).groupby(["method", "dataset"], sort=False).mean().groupby(
        level="method", sort=False)
    failed = ok[ok["status"].str.startswith("failed")].groupby("method", sort=False).size()
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
    """Write the KEEL run's ``keel_folds.csv``, ``keel_means.csv`` (means per cell and
    method), ``results.md``, ``keel_ranks.png`` and ``meta.json`` to ``out``; return
    their paths (:func:`~.report_folds.write_fold_report`)."""
    return write_fold_report(
        folds, out, "keel", render_keel,
        lambda folds, path, plt: _plot_keel_ranks(fold_tables(folds)[1]["g_mean"], path, plt))
