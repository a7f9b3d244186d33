"""The image suite's report: summary tables (text and markdown), results files and figures."""

from pathlib import Path

import numpy as np
import pandas as pd

from .metrics import UNCERTAINTY_COLUMNS, recall_column
from .provenance import write_meta
from .formatting import legend_lines, markdown_table, text_table, versions_line, wrap_lines

__all__ = [
    "render_markdown",
    "render_text",
    "summarize",
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
        As returned by :func:`~imblearn_pgan.suites.run_images`.

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


def _score_rows(summary, results, rare):
    header = ["method", "clf", "n", "macro-F1", "bal.acc", "G-mean", "Brier"]
    header += [f"rec[{c}]" for c in rare] + ["fit s", "fit MB"]
    blocks = {c: [] for c in results["classifier"].unique()}
    for _, r in summary.iterrows():
        row = [r["method"], r["classifier"], f"{r['n_ok']}/{r['n_runs']}"]
        row += [_pm(r[f"{m}_mean"], r[f"{m}_std"]) for m in _SCORES]
        brier = r.get("brier_mean", np.nan)
        row += ["–" if np.isnan(brier) else _pm(brier, r["brier_std"])]
        row += [f"{r[recall_column(c) + '_mean']:.2f}" for c in rare]
        row += [f"{r['fit_s_mean']:.2f}", f"{r['fit_mem_mb_mean']:.0f}"]
        blocks[r["classifier"]].append(row)
    # A method that failed on every seed keeps its row, last of its classifier's
    # block, so that the table shows what was asked for; the errors are listed below.
    ok = (results["status"] == "ok").groupby([results["method"], results["classifier"]],
                                             sort=False).agg(["sum", "size"])
    empty = results["status"].str.startswith("empty").groupby(
        [results["method"], results["classifier"]], sort=False).all()
    for (method, classifier), (n_ok, n_runs) in ok.iterrows():
        if n_ok == 0:
            what = "empty (see below)" if empty[method, classifier] else "failed (see below)"
            blocks[classifier].append([method, classifier, f"0/{n_runs}", what,
                                       *[""] * (len(header) - 4)])
    return header, [row for block in blocks.values() for row in block]


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
    """A line per method and status that is not "ok": the failures, then the empty cells
    (per classifier)."""
    failed = results[results["status"].str.startswith("failed")].drop_duplicates(
        ["method", "status"])
    empty = results[results["status"].str.startswith("empty")].drop_duplicates(
        ["method", "classifier", "status"])
    return ([f"failed: {r['method']} (seed {r['seed']}): {r['status']}"
             for _, r in failed.iterrows()]
            + [f"{r['method']} with {r['classifier']} (seed {r['seed']}): {r['status']}"
               for _, r in empty.iterrows()])


def _counts(counts):
    return ", ".join(f"{c}:{k}" for c, k in counts.items())


def _test_balanced(meta):
    return len(set(meta["test_counts"].values())) == 1


def _test_set(meta):
    """The test set by its class counts: balanced only when it is (an .npz may not be)."""
    if _test_balanced(meta):
        return f"balanced test set of {meta['n_test']} rows"
    return f"test set of {meta['n_test']} rows, not balanced: {_counts(meta['test_counts'])}"


def _gan_source(meta):
    """Where the GAN rows' step counts come from (each row's own follow it)."""
    n_iter = meta["options"]["n_iter"]
    if n_iter is not None:
        return (f"n_iter={n_iter} for every GAN sampler, autoencoder steps scaled "
                "alike, unless a row sets its own")
    defaults = ", ".join(f"{k}={v}" for k, v in meta["gan_dataset_defaults"].items())
    # P-GAN's "auto" schedule ignores the data set's settings (methods.gan_params).
    if defaults:
        return (f"P-GAN's \"auto\" schedule resolved for this data; GANs with fixed "
                f"defaults shortened to the {meta['dataset']} settings {defaults}")
    return "each sampler's defaults, \"auto\" resolved for this data"


#: The paper's Table 1 (F1) rows of the data sets this package loads, as the
#: paper's text gives them (``shared/seeds``), in the paper's column order.
PAPER_TABLE_1 = {
    "mnist": {"SMOTE-SVM": 0.80, "ResNet+RF": 0.87, "ResNet50": 0.91, "AC-GAN": 0.92,
              "BAGAN": 0.94, "WGAN-GP": 0.92, "P-GAN": 0.93},
    "fashion-mnist": {"SMOTE-SVM": 0.66, "ResNet+RF": 0.70, "ResNet50": 0.80, "AC-GAN": 0.82,
                      "BAGAN": 0.84, "WGAN-GP": 0.82, "P-GAN": 0.90},
}


def _context_lines(meta):
    gan = "; ".join(f"{m}: " + (", ".join(f"{k}={v}" for k, v in p.items()))
                    for m, p in meta["gan_settings"].items())
    lines = [
        (f"data: {meta['dataset']} (profile {meta['profile']}), train counts "
         f"{_counts(meta['train_counts'])}; {_test_set(meta)}"),
        f"features: {meta['features']}",
        (f"seeds: {', '.join(map(str, meta['seeds']))}; classifiers: "
         f"{', '.join(meta['classifiers'])}; device: {meta['device']}"),
    ]
    if meta.get("resumed"):
        lines.append(f"{', '.join(meta['resumed'])} loaded from an earlier, stopped run with "
                     "the same settings (--resume): the wall time counts this run only")
    if gan:
        lines.append(f"GAN settings as run ({_gan_source(meta)}): {gan}")
    lines.append(
        "recall columns: the 3 rarest training classes; uncertainty: eq. 7-10 on each "
        "method's synthetic rows, scored by one logistic regression fitted on the "
        "original training features")
    if "svc" in meta["classifiers"]:
        lines.append("paper's SMOTE-SVM baseline = rows smote/svc and svmsmote/svc")
    if meta["dataset"] in PAPER_TABLE_1 and meta["profile"] == "paper":
        lines.append(f"the paper's Table 1, {meta['dataset']} (F1, ResNet-50 features): "
                     + ", ".join(f"{row} {score:.2f}"
                                 for row, score in PAPER_TABLE_1[meta["dataset"]].items())
                     + "; here: smote/svc, embedding+rf/rf, none, acgan, bagan, wgangp, pgan")
    return lines


def render_images(results, *, markdown=True):
    """The images report: context, scores, uncertainty and place of the synthetic rows,
    problems, what each row is.

    Parameters
    ----------
    results : pandas.DataFrame
        As returned by :func:`~imblearn_pgan.suites.run_images`.
    markdown : bool, default=True
        ``results.md`` (with the command and the versions) or the printed text.

    Returns
    -------
    text : str
        The document.
    """
    meta = results.attrs["meta"]
    summary = summarize(results)
    table = markdown_table if markdown else text_table
    bullet = "- " if markdown else ""
    lines = ["# P-GAN benchmark", "", "```", meta["command"], "```", "",
             f"- versions: {versions_line(meta)}"] if markdown else []
    lines += wrap_lines([f"{bullet}{line}" for line in [
        f"total wall time: {meta['wall_s']:.1f} s", *_context_lines(meta)]],
        markdown=markdown)
    lines += _heading("Scores (mean ± std over seeds)", markdown) + [
        table(*_score_rows(summary, results, meta["rare_classes"]))]
    unc_header, unc_rows = _uncertainty_rows(summary) if not summary.empty else ([], [])
    if unc_rows:
        lines += _heading("Uncertainty of the synthetic rows (Table 3; higher = nearer the "
                          "boundary) and where they lie", markdown)
        lines += wrap_lines([_PLACEMENT_NOTE + "."], markdown=markdown) + [
            "", table(unc_header, unc_rows)]
    problems = [f"unavailable: {m}: {r}" for m, r in meta["unavailable"].items()]
    problems += _failures(results)
    if problems:
        lines += _heading("Not run or failed", markdown) + wrap_lines(
            [f"{bullet}{p}" for p in problems], markdown=markdown)
    lines += legend_lines(meta, markdown=markdown, heading="Methods",
                          describe=lambda name, method: _method_line(name, method, meta))
    return "\n".join(lines + [""] + wrap_lines([_MEMORY_NOTE], markdown=markdown) + [""])


def render_text(results):
    """The printed report: :func:`render_images` as plain text."""
    return render_images(results, markdown=False).rstrip("\n")


def render_markdown(results):
    """``results.md``: :func:`render_images` in markdown."""
    return render_images(results, markdown=True)


def _heading(text, markdown):
    return ["", f"## {text}" if markdown else text, ""]


def _method_line(name, method, meta):
    """The method's description as recorded by the run, with the GAN settings it ran with."""
    line = method["description"]
    settings = meta["gan_settings"].get(name)
    if settings:
        line += "; run with " + ", ".join(f"{k}={v}" for k, v in settings.items())
    return line


# ------------------------------------------------------------------ figures


def _plot_macro_f1(summary, path, plt, test_set):
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
    ax.set_ylabel(f"macro-F1 ({test_set})")
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
        As returned by :func:`~imblearn_pgan.suites.run_images`.
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
    # The provenance, settings, class counts and methods, for scripts that read the run.
    meta = results.attrs["meta"]
    paths.append(write_meta(out, meta))
    summary = summarize(results)
    if not summary.empty:
        paths.append(out / "macro_f1.png")
        _plot_macro_f1(summary, paths[-1], plt,
                       "balanced test set" if _test_balanced(meta) else "test set")
    if artifacts.get("synthetic"):
        paths.append(out / "projection.png")
        _plot_projection(artifacts, paths[-1], plt)
    if artifacts.get("pgan_history"):
        paths.append(out / "pgan_losses.png")
        _plot_losses(artifacts["pgan_history"], paths[-1], plt)
    return paths
