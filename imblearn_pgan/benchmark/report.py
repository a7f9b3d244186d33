"""Summary tables (text and markdown), results files and figures."""

import json
from pathlib import Path

import numpy as np
import pandas as pd

from .methods import METHODS
from .metrics import UNCERTAINTY_COLUMNS, recall_column

__all__ = [
    "render_keel",
    "render_markdown",
    "render_text",
    "summarize",
    "write_keel_report",
    "write_report",
]

_SCORES = ("macro_f1", "balanced_accuracy", "g_mean")
_UNCERTAINTY_TITLES = ("least conf.", "margin", "ratio", "entropy")
_PLACEMENT_NOTE = (
    "dist. to other class: mean distance of a synthetic row to the nearest real row of "
    "another class, over the same for the real rows of its class; in other region: share "
    "whose 5 nearest real rows vote for another class; eff. anchors: rows a P-GAN row "
    "mixes in effect, 1 / sum of squared weights")
_MEMORY_NOTE = (
    "fit MB = peak growth of the process's resident memory during fit_resample "
    "(polled every 10 ms; numpy and torch CPU memory alike, GPU memory not included)."
)


def summarize(results):
    """Mean and standard deviation over seeds per method and classifier.

    Parameters
    ----------
    results : pandas.DataFrame
        As returned by :func:`~imblearn_pgan.benchmark.run_benchmark`.

    Returns
    -------
    summary : pandas.DataFrame
        One row per method and classifier with at least one successful
        seed: ``n_ok``, ``n_runs``, ``<metric>_mean`` and ``<metric>_std``
        (sample std, NaN for one seed) for every numeric result column.
        Sorted by classifier (in the order run), then by mean macro-F1,
        best first.
    """
    ok = results[results["status"] == "ok"]
    if ok.empty:
        return pd.DataFrame()
    numeric = [c for c in ok.columns if c not in ("method", "classifier", "seed", "status")]
    grouped = ok.groupby(["method", "classifier"], sort=False)[numeric]
    summary = grouped.mean().add_suffix("_mean").join(grouped.std().add_suffix("_std"))
    summary["n_ok"] = grouped.size()
    summary["n_runs"] = results.groupby(["method", "classifier"]).size()
    summary = summary.reset_index()
    order = {c: i for i, c in enumerate(results["classifier"].unique())}
    summary["_order"] = summary["classifier"].map(order)
    summary = summary.sort_values(["_order", "macro_f1_mean"], ascending=[True, False])
    return summary.drop(columns="_order").reset_index(drop=True)


def _pm(mean, std):
    return f"{mean:.3f}" if np.isnan(std) else f"{mean:.3f}±{std:.3f}"


def _score_rows(summary, rare):
    header = ["method", "clf", "n", "macro-F1", "bal.acc", "G-mean"]
    header += [f"rec[{c}]" for c in rare] + ["fit s", "fit MB"]
    rows = []
    for _, r in summary.iterrows():
        row = [r["method"], r["classifier"], f"{r['n_ok']}/{r['n_runs']}"]
        row += [_pm(r[f"{m}_mean"], r[f"{m}_std"]) for m in _SCORES]
        row += [f"{r[recall_column(c) + '_mean']:.2f}" for c in rare]
        row += [f"{r['fit_s_mean']:.2f}", f"{r['fit_mem_mb_mean']:.0f}"]
        rows.append(row)
    return header, rows


def _uncertainty_rows(summary):
    # The judge does not depend on the classifier: one row per method.
    per_method = summary.drop_duplicates("method")
    per_method = per_method.dropna(subset=[f"{UNCERTAINTY_COLUMNS[0]}_mean"])
    # Where the rows lie (runs of this release on): distance and region, anchors.
    extra = [c for c in ("dist_other", "other_region", "anchors") if f"{c}_mean" in summary]
    titles = {"dist_other": "dist. to other class", "other_region": "in other region",
              "anchors": "eff. anchors"}
    header = ["method", *_UNCERTAINTY_TITLES, *(titles[c] for c in extra)]
    columns = [*UNCERTAINTY_COLUMNS, *extra]
    rows = [[r["method"], *("" if np.isnan(r[f"{c}_mean"]) else _pm(r[f"{c}_mean"], r[f"{c}_std"])
                            for c in columns)]
            for _, r in per_method.sort_values("method").iterrows()]
    return header, rows


def _failures(results):
    failed = results[results["status"] != "ok"].drop_duplicates(["method", "status"])
    return [f"{r['method']} (seed {r['seed']}): {r['status']}" for _, r in failed.iterrows()]


def _text_table(header, rows):
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows)]
    lines = ["  ".join(str(x).ljust(w) for x, w in zip(line, widths)).rstrip()
             for line in [header, ["-" * w for w in widths], *rows]]
    return "\n".join(lines)


def _markdown_table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(x) for x in row) + " |" for row in rows]
    return "\n".join(lines)


def _context_lines(meta):
    counts = ", ".join(f"{c}:{k}" for c, k in meta["train_counts"].items())
    gan = "; ".join(f"{m}: " + (", ".join(f"{k}={v}" for k, v in p.items()))
                    for m, p in meta["gan_settings"].items())
    lines = [
        (f"data: {meta['dataset']} (profile {meta['profile']}), train counts {counts}; "
         f"balanced test set of {meta['n_test']} rows"),
        f"features: {meta['features']}",
        (f"seeds: {', '.join(map(str, meta['seeds']))}; classifiers: "
         f"{', '.join(meta['classifiers'])}; device: {meta['device']}"),
    ]
    if gan:
        defaults = ", ".join(f"{k}={v}" for k, v in meta["gan_dataset_defaults"].items())
        source = (f"{meta['dataset']} defaults {defaults} unless n_iter is given"
                  if defaults else "sampler defaults unless n_iter is given")
        lines.append(f"GAN settings ({source}): {gan}")
    lines.append(
        "recall columns: the 3 rarest training classes; uncertainty: eq. 7-10 on each "
        "method's synthetic rows, scored by one logistic regression fitted on the "
        "original training features")
    if "svc" in meta["classifiers"]:
        lines.append("paper's SMOTE-SVM baseline = rows smote/svc and svmsmote/svc")
    return lines


def render_text(results):
    """The printed report: context, score table, uncertainty table, problems.

    Parameters
    ----------
    results : pandas.DataFrame
        As returned by :func:`~imblearn_pgan.benchmark.run_benchmark`.

    Returns
    -------
    text : str
        Several lines, without a trailing newline.
    """
    meta = results.attrs["meta"]
    summary = summarize(results)
    parts = ["\n".join(_context_lines(meta))]
    if not summary.empty:
        parts.append(_text_table(*_score_rows(summary, meta["rare_classes"])))
        unc_header, unc_rows = _uncertainty_rows(summary)
        if unc_rows:
            parts.append("uncertainty of the synthetic rows (Table 3; higher = nearer "
                         "the boundary) and where they lie (" + _PLACEMENT_NOTE + ")\n"
                         + _text_table(unc_header, unc_rows))
    problems = [f"unavailable: {m}: {r}" for m, r in meta["unavailable"].items()]
    problems += [f"failed: {line}" for line in _failures(results)]
    if problems:
        parts.append("\n".join(problems))
    parts.append(f"{_MEMORY_NOTE}\ntotal wall time {meta['wall_s']:.1f} s")
    return "\n\n".join(parts)


def _method_line(name, meta):
    """The method's description with the GAN settings it really ran with."""
    line = METHODS[name].description
    settings = meta["gan_settings"].get(name)
    if settings:
        line += "; run with " + ", ".join(f"{k}={v}" for k, v in settings.items())
    elif METHODS[name].gan:
        line += "; run with its defaults"
    return line


def render_markdown(results):
    """``results.md``: command, versions, device, context and the tables.

    Parameters
    ----------
    results : pandas.DataFrame
        As returned by :func:`~imblearn_pgan.benchmark.run_benchmark`.

    Returns
    -------
    markdown : str
        The document.
    """
    meta = results.attrs["meta"]
    summary = summarize(results)
    versions = ", ".join(f"{k} {v}" for k, v in meta["versions"].items())
    doc = ["# P-GAN benchmark", "", "```", meta["command"], "```", "",
           f"- versions: {versions}", f"- total wall time: {meta['wall_s']:.1f} s"]
    doc += [f"- {line}" for line in _context_lines(meta)]
    if not summary.empty:
        doc += ["", "## Scores (mean ± std over seeds)", "",
                _markdown_table(*_score_rows(summary, meta["rare_classes"]))]
        unc_header, unc_rows = _uncertainty_rows(summary)
        if unc_rows:
            doc += ["", "## Uncertainty of the synthetic rows (Table 3) and where they lie",
                    "", _PLACEMENT_NOTE + ".", "", _markdown_table(unc_header, unc_rows)]
    doc += ["", "## Methods", ""]
    doc += [f"- {m}: {_method_line(m, meta)}" for m in results["method"].unique()]
    problems = [f"- {m}: unavailable, {r}" for m, r in meta["unavailable"].items()]
    problems += [f"- failed: {line}" for line in _failures(results)]
    if problems:
        doc += ["", "## Not run", "", *problems]
    doc += ["", _MEMORY_NOTE, ""]
    return "\n".join(doc)


# ------------------------------------------------------------------ figures


def _plot_macro_f1(summary, path, plt):
    methods = list(dict.fromkeys(summary["method"]))
    classifiers = list(dict.fromkeys(summary["classifier"]))
    width = 0.8 / len(classifiers)
    fig, ax = plt.subplots(figsize=(max(6.0, 0.6 * len(methods) + 2), 4))
    x = np.arange(len(methods))
    for i, c in enumerate(classifiers):
        rows = summary[summary["classifier"] == c].set_index("method").reindex(methods)
        ax.bar(x + (i - (len(classifiers) - 1) / 2) * width, rows["macro_f1_mean"], width,
               yerr=rows["macro_f1_std"].fillna(0), capsize=2, label=c)
    ax.set_xticks(x, methods, rotation=45, ha="right")
    ax.set_ylabel("macro-F1 (balanced test set)")
    low = np.nanmin(summary["macro_f1_mean"] - summary["macro_f1_std"].fillna(0))
    ax.set_ylim(max(0.0, low - 0.05), 1.0)
    ax.legend(title="classifier")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _plot_projection(artifacts, path, plt):
    from sklearn.decomposition import PCA

    X, y, rare = artifacts["X"], artifacts["y"], artifacts["rare"]
    real = np.isin(y, rare)
    pca = PCA(n_components=2, random_state=0).fit(X[real])
    P = pca.transform(X[real])
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.8), sharex=True, sharey=True)
    for ax, (name, title) in zip(axes, [("smote", "SMOTE"), ("pgan", "P-GAN")]):
        for i, c in enumerate(rare):
            color = f"C{i}"
            mine = y[real] == c
            ax.scatter(P[mine, 0], P[mine, 1], s=40, color=color, edgecolor="k",
                       label=f"real {c}", zorder=3)
            if name in artifacts["synthetic"]:
                Xs, ys = artifacts["synthetic"][name]
                if np.any(ys == c):
                    S = pca.transform(Xs[ys == c])
                    ax.scatter(S[:, 0], S[:, 1], s=10, marker="x", color=color, alpha=0.6,
                               label=f"synthetic {c}")
        if name not in artifacts["synthetic"]:
            ax.text(0.5, 0.5, f"{title} not run", transform=ax.transAxes, ha="center")
        ax.set_title(f"{title}: rarest classes (PCA of their real rows)")
    axes[1].legend(fontsize=8, loc="best")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


#: History columns that are diagnostics of the generated points, not losses.
_DIAGNOSTICS = ("max_weight", "spread")


def _plot_losses(history, path, plt):
    """One panel of losses per stage, and the diagnostics on a panel of their own."""
    frame = pd.DataFrame(history)
    panels = []
    for stage, part in frame.groupby("stage", sort=False):
        part = part.dropna(axis=1, how="all")
        columns = part.columns.drop(["stage", "step", "elapsed_s"])
        losses = [c for c in columns if c not in _DIAGNOSTICS]
        diagnostics = [c for c in columns if c in _DIAGNOSTICS]
        if losses:  # some stages (e.g. fitting the latent law) log no loss
            panels.append((f"stage {stage!r}: losses", "loss", part["step"], part[losses]))
        if diagnostics:
            panels.append((f"stage {stage!r}: diagnostics",
                           "max_weight (1 = copies); spread (1 = as spread as real rows)",
                           part["step"], part[diagnostics]))
    fig, axes = plt.subplots(1, len(panels), figsize=(5.5 * len(panels), 4), squeeze=False)
    for ax, (title, ylabel, steps, curves) in zip(axes[0], panels):
        for column in curves:
            ax.plot(steps, curves[column], label=column)
        ax.set_title(f"P-GAN (first seed), {title}", fontsize=10)
        ax.set_xlabel("training step")
        ax.set_ylabel(ylabel, fontsize=8)
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def write_report(results, artifacts, out):
    """Write ``results.csv``, ``results.md``, ``meta.json`` and the PNG figures into ``out``.

    Parameters
    ----------
    results : pandas.DataFrame
        As returned by :func:`~imblearn_pgan.benchmark.run_benchmark`.
    artifacts : dict
        First-seed training features ``X``, labels ``y``, the ``rare``
        classes, ``synthetic`` rows per method (SMOTE and P-GAN) and
        ``pgan_history``.
    out : str or path-like
        Directory, created if missing.

    Returns
    -------
    paths : list of pathlib.Path
        The files written. ``projection.png`` needs SMOTE or P-GAN to have
        run, ``pgan_losses.png`` needs P-GAN.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "results.csv", out / "results.md", out / "meta.json"]
    results.to_csv(paths[0], index=False)
    paths[1].write_text(render_markdown(results), encoding="utf-8")
    # The settings, training counts, versions and device, for scripts that read the run.
    paths[2].write_text(json.dumps(results.attrs["meta"], indent=1, default=str) + "\n",
                        encoding="utf-8")
    summary = summarize(results)
    if not summary.empty:
        paths.append(out / "macro_f1.png")
        _plot_macro_f1(summary, paths[-1], plt)
    if artifacts.get("synthetic"):
        paths.append(out / "projection.png")
        _plot_projection(artifacts, paths[-1], plt)
    if artifacts.get("pgan_history"):
        paths.append(out / "pgan_losses.png")
        _plot_losses(artifacts["pgan_history"], paths[-1], plt)
    return paths


# ------------------------------------------------------------------ KEEL suite

_KEEL_TITLES = {"g_mean": "G-mean", "auc": "AUC", "f1": "minority F1",
                "balanced_accuracy": "balanced accuracy"}


def _p(value):
    return "–" if np.isnan(value) else (f"{value:.1e}" if value < 1e-3 else f"{value:.3f}")


def _keel_tables(folds, reference="pgan"):
    """Average-rank tables per metric and the comparison of ``reference``."""
    from .stats import average_ranks, cell_means, compare_with

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
    table = _markdown_table if markdown else _text_table
    means, ranks, compared = _keel_tables(folds)
    sets = meta["datasets"]
    lines = []
    if markdown:
        versions = ", ".join(f"{k} {v}" for k, v in meta["versions"].items())
        lines += ["# P-GAN on the KEEL suite", "", "```", meta["command"], "```", "",
                  f"- versions: {versions}"]
    bullet = "- " if markdown else ""
    lines += [
        f"{bullet}total wall time: {meta['wall_s']:.0f} s with {meta['n_jobs']} job(s)",
        f"{bullet}protocol: {meta['protocol']}; the same folds for every sampler; "
        f"classifiers {', '.join(meta['classifiers'])}",
        f"{bullet}{len(sets)} data sets, {sum(s['rows'] for s in sets.values())} rows; "
        f"imbalance ratio {min(s['imbalance_ratio'] for s in sets.values()):.1f} to "
        f"{max(s['imbalance_ratio'] for s in sets.values()):.1f}",
        f"{bullet}ranks: 1 = best in a (data set, classifier) cell, on the mean over folds; "
        "ties share the average rank",
    ]
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
        lines += ["## Methods", ""] + [f"- {m}: {description}"
                                       for m, description in meta["methods"].items()] + [""]
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
    """Write ``keel_folds.csv``, ``keel_means.csv``, ``results.md`` and ``keel_ranks.png``.

    Parameters
    ----------
    folds : pandas.DataFrame
        As returned by :func:`~imblearn_pgan.benchmark.run_keel`.
    out : str or path-like
        Directory, created if missing.

    Returns
    -------
    paths : list of pathlib.Path
        The files written.
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
    return paths
