"""The KEEL suite: the oversampling field's own protocol (Kovács 2019).

Every sampler resamples the training part of the same repeated stratified
folds of binary KEEL sets; SVC, kNN(5), a decision tree and a logistic
regression are trained on the result and scored on the untouched test part.
"""

import json
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.metrics import balanced_accuracy_score, f1_score, roc_auc_score
from sklearn.model_selection import RepeatedStratifiedKFold
from threadpoolctl import threadpool_limits
from tqdm.auto import tqdm

from .. import __version__
from ..datasets import (
    KEEL_DEV_SETS,
    KEEL_QUICK_SETS,
    KEEL_TUNING_SETS,
    KEEL_VALIDATION_SETS,
    load_keel,
)
from .methods import METHODS, make_classifier
from .metrics import placement
from .provenance import estimator_settings, run_meta
from .report_keel import write_keel_report
from .runner import _check_names

__all__ = [
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

#: The field's downstream classifiers (scaled inside their pipeline where needed).
KEEL_CLASSIFIERS = ("svc", "knn", "tree", "lr")

#: Scores of every fold; all higher-is-better. ``f1`` is the minority class's.
KEEL_METRICS = ("auc", "g_mean", "f1", "balanced_accuracy")


def fold_scores(classifier, X_test, y_test):
    """AUC, G-mean, minority F1 and balanced accuracy of a fitted binary classifier.

    Parameters
    ----------
    classifier : fitted classifier
        With ``decision_function`` or ``predict_proba`` for the AUC.
    X_test, y_test : ndarray
        Test rows and 0/1 labels (1 the minority).

    Returns
    -------
    scores : dict
        ``auc``, ``g_mean``, ``f1``, ``balanced_accuracy``.
    """
    pred = classifier.predict(X_test)
    if hasattr(classifier, "decision_function"):
        score = classifier.decision_function(X_test)
    else:
        score = classifier.predict_proba(X_test)[:, 1]
    recall_pos = np.mean(pred[y_test == 1] == 1)
    recall_neg = np.mean(pred[y_test == 0] == 0)
    return {
        "auc": float(roc_auc_score(y_test, score)),
        "g_mean": float(np.sqrt(recall_pos * recall_neg)),
        "f1": float(f1_score(y_test, pred, pos_label=1, zero_division=0)),
        "balanced_accuracy": float(balanced_accuracy_score(y_test, pred)),
    }


def expand_set_names(datasets, quick):
    """The sets a run covers, each list name of :data:`KEEL_SET_LISTS` spelled out.

    ``datasets`` is a name, a sequence of names or None (the dev list, or
    the quick sets with ``quick``); repeats are dropped, the order kept.
    """
    names = list(KEEL_QUICK_SETS if quick else KEEL_DEV_SETS) if datasets is None else (
        [datasets] if isinstance(datasets, str) else list(datasets))
    return list(dict.fromkeys(n for name in names for n in KEEL_SET_LISTS.get(name, [name])))


def _run_fold(dataset, X, y, train, test, fold, seed, methods, classifiers, context):
    """Records of every method and classifier on one fold.

    A sampler that raises counts as no resampling on this fold; its status
    says why.
    """
    records = []
    # One thread per task: the folds are the parallel unit.
    with threadpool_limits(limits=1), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for method in methods:
            X_res, y_res, fit_s, status = X[train], y[train], 0.0, "ok"
            anchors = float("nan")
            if method.sampler is not None:
                try:
                    start = time.perf_counter()
                    sampler = method.sampler(seed, context)
                    X_res, y_res = sampler.fit_resample(X_res, y_res)
                    fit_s = time.perf_counter() - start
                    anchors = np.mean(list(getattr(sampler, "synthetic_anchors_", {}).values())
                                      or [np.nan])
                except Exception as exc:
                    status = f"failed: {type(exc).__name__}: {exc}".splitlines()[0]
                    X_res, y_res = X[train], y[train]
            n = len(train)
            where = placement(X[train], y[train], X_res[n:], y_res[n:])
            for c in classifiers:
                clf = make_classifier(c, seed).fit(X_res, y_res)
                records.append({
                    "dataset": dataset, "fold": fold, "method": method.name, "classifier": c,
                    "status": status, "fit_s": fit_s, "n_synthetic": len(y_res) - n,
                    **where, "anchors": anchors, **fold_scores(clf, X[test], y[test]),
                })
    return records


class _SetStore:
    """Each finished data set's fold records in ``out/keel_sets/<name>.csv``.

    ``settings.json`` beside them says what produced them; ``resume`` loads
    the sets saved under the same settings.
    """

    def __init__(self, out, settings, resume):
        self.folder = None if out is None else Path(out) / "keel_sets"
        self.done = set()
        if self.folder is None:
            if resume:
                raise ValueError("resume needs out, the folder of the run to go on with")
            return
        stamp = self.folder / "settings.json"
        if resume and stamp.exists():
            saved = json.loads(stamp.read_text())
            if saved != settings:
                raise ValueError(
                    f"the runs saved in {self.folder} used other settings ({saved}); "
                    "use another output folder, or run without resume to start afresh")
            self.done = {p.stem for p in self.folder.glob("*.csv")}
        else:
            if self.folder.exists():
                for old in self.folder.glob("*.csv"):
                    old.unlink()
            self.folder.mkdir(parents=True, exist_ok=True)
            stamp.write_text(json.dumps(settings, indent=1))

    def load(self, name):
        if name not in self.done:
            return []
        return pd.read_csv(self.folder / f"{name}.csv").to_dict("records")

    def save(self, name, records):
        if self.folder is not None:
            frame = pd.DataFrame.from_records(records).sort_values("fold", kind="stable")
            frame.to_csv(self.folder / f"{name}.csv", index=False)


def run_keel(
    datasets=None,
    *,
    methods=None,
    classifiers=KEEL_CLASSIFIERS,
    n_splits=5,
    n_repeats=2,
    random_state=0,
    quick=False,
    n_iter=None,
    pgan_params=None,
    device="auto",
    n_jobs=1,
    out=None,
    resume=False,
    progress=True,
    command=None,
):
    """Compare oversamplers on KEEL sets with the field's protocol.

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
        Rows of :data:`~imblearn_pgan.benchmark.methods.METHODS`; None runs
        :data:`KEEL_METHODS`. Rows that cannot run (smote-variants missing)
        are skipped with a notice.
    classifiers : sequence of str, default=("svc", "knn", "tree", "lr")
        Downstream classifiers.
    n_splits, n_repeats : int, default=5 and 2
        Folds and repeats of the stratified k-fold.
    random_state : int, default=0
        Seeds the folds; fold ``i`` seeds its samplers and classifiers with
        ``random_state + i``.
    quick : bool, default=False
        The smoke version, about a minute on 2 cores: 3 folds, 1 repeat, the
        quick sets by default, and the GAN samplers at
        ``n_iter=QUICK_N_ITER`` unless ``n_iter`` is given. It checks the
        pipeline; its scores are not P-GAN's.
    n_iter : int, default=None
        ``n_iter`` of the GAN samplers; None keeps their defaults.
    pgan_params : dict, default=None
        Settings of every P-GAN row (an ablation row's own setting wins).
    device : str, default="auto"
        Device of the GAN samplers.
    n_jobs : int, default=1
        Folds run in parallel with joblib (each with one thread).
    out : str or path-like, default=None
        Directory for ``keel_folds.csv``, ``keel_means.csv``, ``results.md``
        and ``keel_ranks.png``. Each data set's folds are also saved in
        ``out/keel_sets/`` as soon as they are done.
    resume : bool, default=False
        Load the data sets already saved in ``out/keel_sets/`` by a run with
        the same settings instead of running them again (a long run that was
        stopped goes on where it was). Settings that differ raise an error.
    progress : bool, default=True
        Show a progress bar over data set x fold.
    command : str, default=None
        The command line, for the report.

    Returns
    -------
    folds : pandas.DataFrame
        One row per data set, fold, method and classifier: ``status``,
        ``fit_s``, ``n_synthetic`` and the :data:`KEEL_METRICS`. Its
        ``attrs["meta"]`` holds the context of the run.

    Examples
    --------
    >>> from imblearn_pgan.benchmark import run_keel
    >>> folds = run_keel(["glass4"], methods=["none", "smote"], classifiers=["knn"],
    ...                  quick=True, progress=False)  # doctest: +SKIP
    """
    started = time.time()
    if quick:
        n_splits, n_repeats = 3, 1
        n_iter = QUICK_N_ITER if n_iter is None else n_iter
    names = expand_set_names(datasets, quick)
    if not names:
        raise ValueError("no KEEL data set given")
    methods = _check_names(KEEL_METHODS if methods is None else methods, METHODS, "method")
    classifiers = _check_names(classifiers, KEEL_CLASSIFIERS + ("rf", "mlp"), "classifier")
    unavailable = {}
    runnable = []
    for name in methods:
        reason = METHODS[name].unavailable_reason("tabular", has_images=False)
        if reason is None and METHODS[name].image_model is not None:
            reason = "needs image data"
        if reason is None:
            runnable.append(METHODS[name])
        else:
            unavailable[name] = reason
            print(f"skipping {name}: {reason}")
    if not runnable:
        raise ValueError("none of the methods can run: " + "; ".join(
            f"{m}: {r}" for m, r in unavailable.items()))

    data = {name: load_keel(name) for name in names}
    settings = {"methods": [m.name for m in runnable], "classifiers": classifiers,
                "n_splits": n_splits, "n_repeats": n_repeats, "random_state": random_state,
                "n_iter": n_iter, "pgan_params": pgan_params or {}, "device": device,
                "version": __version__}
    store = _SetStore(out, settings, resume)
    records = []
    for name in names:
        records += store.load(name)
    splitter = RepeatedStratifiedKFold(n_splits=n_splits, n_repeats=n_repeats,
                                       random_state=random_state)
    tasks, pending = [], {}
    for name, bunch in data.items():
        if name in store.done:
            continue
        context = {"dataset": name, "n_iter": n_iter, "device": device,
                   "pgan_params": pgan_params}
        for fold, (train, test) in enumerate(splitter.split(bunch.data, bunch.target)):
            tasks.append(delayed(_run_fold)(
                name, bunch.data, bunch.target, train, test, fold, random_state + fold,
                runnable, classifiers, context))
        pending[name] = []
    bar = tqdm(total=len(tasks), desc="KEEL data set x fold", disable=not progress, ncols=80)
    with bar:
        for part in Parallel(n_jobs=n_jobs, return_as="generator_unordered")(tasks):
            name = part[0]["dataset"]
            pending[name] += part
            if len(pending[name]) == n_splits * n_repeats * len(runnable) * len(classifiers):
                store.save(name, pending[name])
                records += pending.pop(name)
            bar.update()

    folds = pd.DataFrame.from_records(records)
    folds = folds.sort_values(["dataset", "fold"], kind="stable").reset_index(drop=True)
    # Every sampler's settings as built for the first fold (the GAN samplers'
    # "auto" schedules resolve per data set: see keel_folds.csv for each fold's).
    described, gan = {}, {}
    for m in runnable:
        params = {} if m.sampler is None else estimator_settings(m.sampler(
            random_state, {"dataset": names[0], "n_iter": n_iter, "device": device,
                           "pgan_params": pgan_params}))
        described[m.name] = {"description": m.description, "settings": params}
        if m.gan:
            shown = (*_GAN_SETTINGS, *(pgan_params or {}), *_ROW_SETTINGS)
            gan[m.name] = {k: params[k] for k in dict.fromkeys(shown) if k in params}
    folds.attrs["meta"] = run_meta(started, {
        "datasets": {name: {"rows": len(b.target), "features": b.data.shape[1],
                            "minority": int(b.target.sum()),
                            "imbalance_ratio": b.imbalance_ratio}
                     for name, b in data.items()},
        "methods": described,
        "classifiers": classifiers,
        "classifier_settings": {c: estimator_settings(make_classifier(c, random_state))
                                for c in classifiers},
        "protocol": f"{n_splits}-fold stratified x {n_repeats} repeat(s), "
                    f"random_state={random_state}",
        "settings": settings,
        "gan_settings": gan,
        "unavailable": unavailable,
        "resumed": sorted(store.done),
        "n_jobs": n_jobs,
    }, command=command or f"run_keel({names!r}, methods={methods!r})", device=device)
    if out is not None:
        write_keel_report(folds, out)
    return folds
