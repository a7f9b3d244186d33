"""The KEEL suite: the oversampling field's own protocol (Kovács 2019).

Every sampler resamples the training part of the same repeated stratified
folds of binary KEEL sets; SVC, kNN(5), a decision tree and a logistic
regression are trained on the result and scored on the untouched test part.
"""

import time

import numpy as np
import pandas as pd
from joblib import delayed
from sklearn.model_selection import RepeatedStratifiedKFold

from ..datasets import (
    KEEL_DEV_SETS,
    KEEL_QUICK_SETS,
    KEEL_TUNING_SETS,
    KEEL_VALIDATION_SETS,
    load_keel,
)
from .common import (
    PartStore,
    check_names,
    describe_methods,
    fold_records,
    fold_scores,
    run_tasks,
    runnable_methods,
)
from .methods import METHODS, make_classifier
from .metrics import placement
from .provenance import estimator_settings, run_meta
from .report_keel import write_keel_report
from .tuning import after_sampler

__all__ = [
    "FOLD_SUITE_PARAMETERS",
    "KEEL_CLASSIFIERS",
    "KEEL_METHODS",
    "KEEL_METRICS",
    "KEEL_SET_LISTS",
    "expand_set_names",
    "QUICK_N_ITER",
    "fold_scores",
    "run_keel",
]

#: The peers of the KEEL suite: imbalanced-learn's samplers, the top of
#: Kovács' ranking from smote-variants, and P-GAN.
KEEL_METHODS = ("none", "ros", "smote", "borderline", "adasyn", "svmsmote",
                "polynom-fit-smote-star", "prowsyn", "smote-ipf", "pgan")

#: Names that stand for a list of sets in ``datasets``: the whole dev list and
#: its two halves (see :func:`imblearn_pgan.datasets.split_keel_dev`).
KEEL_SET_LISTS = {"dev": KEEL_DEV_SETS, "tuning": KEEL_TUNING_SETS,
                  "validation": KEEL_VALIDATION_SETS}

#: ``n_iter`` of the GAN samplers in the quick smoke run (pre-training scaled alike).
QUICK_N_ITER = 100

# GAN parameters that the report lists for each GAN row.
_GAN_SETTINGS = ("n_iter", "autoencoder_steps", "batch_size", "hidden_dim")
# P-GAN settings that the ablation rows change, listed too.
_ROW_SETTINGS = ("n_anchors", "uncertainty", "selection")

#: The field's downstream classifiers (scaled inside their pipeline where needed);
#: ``--classifiers`` may add ``hgb``, gradient boosting, the strong learner.
KEEL_CLASSIFIERS = ("svc", "knn", "tree", "lr")

#: Scores of every fold that the ranks use, all higher-is-better (``f1`` is the
#: minority class's); each fold also records the ``brier`` score.
KEEL_METRICS = ("auc", "g_mean", "f1", "balanced_accuracy")


def expand_set_names(datasets, quick):
    """The sets a run covers, each list name of :data:`KEEL_SET_LISTS` spelled out.

    ``datasets`` is a name, a sequence of names or None (the dev list, or
    the quick sets with ``quick``); repeats are dropped, the order kept.
    """
    names = list(KEEL_QUICK_SETS if quick else KEEL_DEV_SETS) if datasets is None else (
        [datasets] if isinstance(datasets, str) else list(datasets))
    return list(dict.fromkeys(n for name in names for n in KEEL_SET_LISTS.get(name, [name])))


def _resample(method, fold):
    """One row's training rows for one fold, where they lie, and the sampler's anchors."""
    X_res, y_res, fit_s, anchors = fold["X_train"], fold["y_train"], 0.0, float("nan")
    if method is not None and method.sampler is not None:
        start = time.perf_counter()
        sampler = method.sampler(fold["seed"], fold["context"])
        X_res, y_res = sampler.fit_resample(X_res, y_res)
        fit_s = time.perf_counter() - start
        anchors = np.mean(list(getattr(sampler, "synthetic_anchors_", {}).values()) or [np.nan])
    n = len(fold["y_train"])
    where = placement(fold["X_train"], fold["y_train"], X_res[n:], y_res[n:])
    return X_res, y_res, fold["X_test"], fit_s, {**where, "anchors": anchors}


def _pipeline(method, fold, classifier):
    """A threshold row's estimator on the raw rows: the classifier after the row's sampler."""
    sampler = None if method.sampler is None else method.sampler(fold["seed"], fold["context"])
    return after_sampler(sampler, classifier)


def _run_fold(fold, methods, classifiers):
    """The records of one fold, with the part (its data set) they belong to."""
    return fold["dataset"], fold_records(fold, methods, classifiers, _resample,
                                         make_classifier, _pipeline), None


def fold_meta(settings, classifier_settings, gan, unavailable, store, n_jobs, quick):
    """The part of a fold suite's ``meta.json`` that the KEEL and tables suites share."""
    return {
        "classifiers": settings["classifiers"],
        "classifier_settings": classifier_settings,
        "protocol": f"{settings['n_splits']}-fold stratified x {settings['n_repeats']} "
                    f"repeat(s), random_state={settings['random_state']}",
        "settings": settings, "gan_settings": gan, "unavailable": unavailable,
        "resumed": sorted(store.done), "n_jobs": n_jobs, "quick": quick,
    }


def run_folds(data, runnable, classifiers, settings, context, run_fold, *, folder, out,
              resume, n_jobs, progress, desc):
    """Every fold of every data set of a fold suite: the same folds for every row, fold
    ``i`` seeded with ``random_state + i``, each data set saved in ``out/folder`` when
    done. Returns the records (sorted by data set and fold) and the store."""
    store = PartStore(out, folder, settings, resume)
    seed = settings["random_state"]
    splitter = RepeatedStratifiedKFold(n_splits=settings["n_splits"],
                                       n_repeats=settings["n_repeats"], random_state=seed)
    tasks = []
    for name, bunch in data.items():
        X, y = bunch.data, bunch.target
        take = (lambda rows: X.iloc[rows]) if hasattr(X, "iloc") else (lambda rows: X[rows])
        for i, (train, test) in enumerate(splitter.split(X, y)):
            fold = {"dataset": name, "fold": i, "seed": seed + i, "X_train": take(train),
                    "y_train": y[train], "X_test": take(test), "y_test": y[test],
                    "context": {**context, "dataset": name}}
            tasks.append((name, delayed(run_fold)(fold, runnable, classifiers)))
    records, _ = run_tasks(tasks, store, n_jobs=n_jobs, progress=progress, desc=desc,
                           order="fold")
    folds = pd.DataFrame.from_records(records)
    return folds.sort_values(["dataset", "fold"], kind="stable").reset_index(drop=True), store


#: The parameters that the KEEL and tables suites share, for their docstrings.
FOLD_SUITE_PARAMETERS = """n_splits, n_repeats : int, default=5 and 2
        Folds and repeats of the stratified k-fold.
    random_state : int, default=0
        Seeds the folds; fold ``i`` seeds its samplers and classifiers with
        ``random_state + i``.
    n_iter : int, default=None
        ``n_iter`` of the GAN samplers; None keeps their defaults.
    pgan_params : dict, default=None
        Settings of every P-GAN row by name (an ablation row's own setting wins).
    device : str, default="auto"
        Device of the GAN samplers.
    n_jobs : int, default=1
        Folds run in parallel with joblib (each with one thread).
    resume : bool, default=False
        Load the data sets already saved in ``out`` by a stopped run with
        the same settings (the same content hash) instead of running them
        again. Settings that differ raise an error.
    progress : bool, default=True
        Show a progress bar over data set x fold.
    command : str, default=None
        The command line, for the report."""


def _keel_reason(method):
    reason = method.unavailable_reason("tabular", has_images=False)
    if reason is None and method.image_model is not None:
        reason = "needs image data"
    return reason


def run_keel(datasets=None, *, methods=None, classifiers=KEEL_CLASSIFIERS, n_splits=5,
             n_repeats=2, random_state=0, quick=False, n_iter=None, pgan_params=None,
             device="auto", n_jobs=1, out=None, resume=False, progress=True, command=None):
    started = time.time()
    if quick:
        n_splits, n_repeats = 3, 1
        n_iter = QUICK_N_ITER if n_iter is None else n_iter
    names = expand_set_names(datasets, quick)
    if not names:
        raise ValueError("no KEEL data set given")
    methods = check_names(KEEL_METHODS if methods is None else methods, METHODS, "method")
    classifiers = check_names(classifiers, (*KEEL_CLASSIFIERS, "hgb", "rf", "mlp"),
                              "classifier")
    runnable, unavailable = runnable_methods([METHODS[m] for m in methods], _keel_reason)
    data = {name: load_keel(name) for name in names}
    settings = {"methods": [m.name for m in runnable], "classifiers": classifiers,
                "n_splits": n_splits, "n_repeats": n_repeats, "random_state": random_state,
                "n_iter": n_iter, "pgan_params": pgan_params or {}, "device": device}
    context = {"n_iter": n_iter, "device": device, "pgan_params": pgan_params}
    folds, store = run_folds(data, runnable, classifiers, settings, context, _run_fold,
                             folder="keel_sets", out=out, resume=resume, n_jobs=n_jobs,
                             progress=progress, desc="KEEL data set x fold")
    first = {**context, "dataset": names[0]}
    described, gan = describe_methods(
        runnable, lambda m: {} if m.sampler is None else estimator_settings(
            m.sampler(random_state, first)),
        (*_GAN_SETTINGS, *(pgan_params or {}), *_ROW_SETTINGS))
    folds.attrs["meta"] = run_meta(started, {
        "datasets": {name: {"rows": len(b.target), "features": b.data.shape[1],
                            "minority": int(b.target.sum()),
                            "imbalance_ratio": b.imbalance_ratio}
                     for name, b in data.items()},
        "methods": described,
        **fold_meta(settings, {c: estimator_settings(make_classifier(c, random_state))
                               for c in classifiers}, gan, unavailable, store, n_jobs, quick),
    }, command=command or f"run_keel({names!r}, methods={methods!r})", device=device)
    if out is not None:
        write_keel_report(folds, out)
    return folds


run_keel.__doc__ = """Compare oversamplers on KEEL sets with the field's protocol.

    Repeated stratified k-fold (the same folds for every sampler), four
    classifiers, four scores; then ranks per (data set, classifier) cell,
    average ranks, Wilcoxon signed-rank tests of P-GAN against every other
    sampler and win/tie/loss counts.

    Parameters
    ----------
    datasets : sequence of str, default=None
        KEEL set names (see :func:`imblearn_pgan.datasets.load_keel`), or
        ``"dev"``, ``"tuning"`` and ``"validation"`` for the lists of
        :data:`KEEL_SET_LISTS`; None runs
        :data:`~imblearn_pgan.datasets.KEEL_DEV_SETS`, or
        :data:`~imblearn_pgan.datasets.KEEL_QUICK_SETS` with ``quick``.
    methods : sequence of str, default=None
        Rows of :data:`~imblearn_pgan.suites.methods.METHODS`; None runs
        :data:`KEEL_METHODS`. Rows that cannot run (smote-variants missing)
        are skipped with a notice.
    classifiers : sequence of str, default=("svc", "knn", "tree", "lr")
        Downstream classifiers.
    quick : bool, default=False
        The smoke version, about a minute on 2 cores: 3 folds, 1 repeat, the
        quick sets by default, and the GAN samplers at
        ``n_iter=QUICK_N_ITER`` unless ``n_iter`` is given. It checks the
        pipeline; its scores are not P-GAN's.
    out : str or path-like, default=None
        Directory for ``keel_folds.csv``, ``keel_means.csv``, ``results.md``,
        ``keel_ranks.png`` and ``meta.json``. Each data set's folds are also
        saved in ``out/keel_sets/`` as soon as they are done.
    """ + FOLD_SUITE_PARAMETERS + """

    Returns
    -------
    folds : pandas.DataFrame
        One row per data set, fold, method and classifier: ``status``,
        ``fit_s``, ``n_synthetic`` and the :data:`KEEL_METRICS`. Its
        ``attrs["meta"]`` holds the context of the run.

    Examples
    --------
    >>> from imblearn_pgan.suites import run_keel
    >>> folds = run_keel(["glass4"], methods=["none", "smote"], classifiers=["knn"],
    ...                  quick=True, progress=False)  # doctest: +SKIP
    """
