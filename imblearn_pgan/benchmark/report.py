"""Summary tables (text and markdown), results files and figures."""

from pathlib import Path

import numpy as np
import pandas as pd

from .methods import METHODS
from .metrics import UNCERTAINTY_COLUMNS, recall_column

__all__ = ["render_markdown", "render_text", "summarize", "write_report"]

_SCORES = ("macro_f1", "balanced_accuracy", "g_mean")
_UNCERTAINTY_TITLES = ("least conf.", "margin", "ratio", "entropy")
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
    header = ["method", *_UNCERTAINTY_TITLES]
    rows = [[r["method"], *(_pm(r[f"{c}_mean"], r[f"{c}_std"]) for c in UNCERTAINTY_COLUMNS)]
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
                         "the boundary)\n" + _text_table(unc_header, unc_rows))
    problems = [f"unavailable: {m}: {r}" for m, r in meta["unavailable"].items()]
    problems += [f"failed: {line}" for line in _failures(results)]
    if problems:
        parts.append("\n".join(problems))
    parts.append(f"{_MEMORY_NOTE}\ntotal wall time {meta['wall_s']:.1f} s")
    return "\n\n".join(parts)


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
            doc += ["", "## Uncertainty of the synthetic rows (Table 3)", "",
                    _markdown_table(unc_header, unc_rows)]
    doc += ["", "## Methods", ""]
    doc += [f"- {m}: {METHODS[m].description}" for m in results["method"].unique()]
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


def _plot_losses(history, path, plt):
    frame = pd.DataFrame(history)
    curves = {}
    for stage, part in frame.groupby("stage", sort=False):
        part = part.dropna(axis=1, how="all")
        losses = part.columns.drop(["stage", "step", "elapsed_s"])
        if len(losses):  # some stages (e.g. fitting the latent law) log no loss
            curves[stage] = (part["step"], part[losses])
    fig, axes = plt.subplots(1, len(curves), figsize=(5.5 * len(curves), 4), squeeze=False)
    for ax, (stage, (steps, losses)) in zip(axes[0], curves.items()):
        for column in losses:
            ax.plot(steps, losses[column], label=column)
        ax.set_title(f"P-GAN, stage {stage!r} (first seed)")
        ax.set_xlabel("step")
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def write_report(results, artifacts, out):
    """Write ``results.csv``, ``results.md`` and the PNG figures into ``out``.

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
    paths = [out / "results.csv", out / "results.md"]
    results.to_csv(paths[0], index=False)
    paths[1].write_text(render_markdown(results), encoding="utf-8")
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
