"""What the three suites share: names and availability of the rows, the loop over
tasks (joblib, a progress bar), each finished part saved and ``--resume``, and the
run's settings for ``meta.json``.

A suite (:mod:`.images`, :mod:`.keel`, :mod:`.tables`) keeps its data, its
per-task step and its constants; it hands this module a list of tasks, each
with the *part* it belongs to (a seed of the images suite, a data set of the
fold suites). A part is saved as soon as all its tasks are done, and a run
with ``resume`` loads the parts that a stopped run with the same settings
(the same content hash) saved.
"""

import hashlib
import json
import tempfile
import time
import warnings
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
from joblib import Memory, Parallel
from threadpoolctl import threadpool_limits
from tqdm.auto import tqdm

from .. import __version__
from .tuning import (NO_CLASS_WEIGHT, THRESHOLD_FALLBACK, balanced, synthetic_count,
                     tuned_threshold)

__all__ = ["PartStore", "check_names", "describe_methods", "fold_records", "fold_scores",
           "run_tasks", "runnable_methods", "settings_hash"]


def check_names(names, known, what):
    """``names`` (one or a sequence) as a list without repeats, all of them in ``known``.

    Raises
    ------
    ValueError
        For an unknown name, or none.
    """
    names = [names] if isinstance(names, str) else list(names)
    unknown = [n for n in names if n not in known]
    if unknown or not names:
        problem = f"unknown {what}(s) {', '.join(map(repr, unknown))}" if unknown else f"no {what}"
        raise ValueError(f"{problem}; choose from {', '.join(known)}")
    return list(dict.fromkeys(names))


def runnable_methods(methods, reason_of, *, announce=True):
    """The rows that can run and, for the others, why not.

    ``reason_of(method)`` is None for a row that can run, else one line.
    ``announce`` prints a "skipping" line for each row left out.

    Raises
    ------
    ValueError
        When none of the rows can run.
    """
    runnable, unavailable = [], {}
    for method in methods:
        reason = reason_of(method)
        if reason is None:
            runnable.append(method)
            continue
        unavailable[method.name] = reason
        if announce:
            print(f"skipping {method.name}: {reason}")
    if not runnable:
        raise ValueError("none of the methods can run: " + "; ".join(
            f"{m}: {r}" for m, r in unavailable.items()))
    return runnable, unavailable


def describe_methods(runnable, settings_of, shown, **fields):
    """Each row's description and settings for ``meta.json``, and its GAN settings.

    ``settings_of(method)`` gives the settings of the row's sampler as built
    for the first part ({} without one); ``shown`` names the settings that
    the report lists for a GAN row. ``fields`` maps a field name to a
    function of the method, added to each row's entry.
    """
    described, gan = {}, {}
    for m in runnable:
        params = settings_of(m)
        described[m.name] = {"description": m.description,
                             **{k: f(m) for k, f in fields.items()}, "settings": params}
        if m.gan:
            gan[m.name] = {k: params[k] for k in dict.fromkeys(shown) if k in params}
    return described, gan


def settings_hash(settings):
    """The content hash of a run's settings: parts saved under another hash are not reused."""
    text = json.dumps({**settings, "version": __version__}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class PartStore:
    """Each finished part's records in ``out/<folder>/<part>.csv``.

    ``settings.json`` beside them holds the settings and their
    :func:`settings_hash`; ``resume`` loads the parts saved under the same
    hash, and a store without ``resume`` starts afresh.
    """

    def __init__(self, out, folder, settings, resume):
        self.folder = None if out is None else Path(out) / folder
        self.done = set()
        if self.folder is None:
            if resume:
                raise ValueError("resume needs out, the folder of the run to go on with")
            return
        stamp = self.folder / "settings.json"
        digest = settings_hash(settings)
        if resume and stamp.exists():
            saved = json.loads(stamp.read_text())
            if saved.get("hash") != digest:
                raise ValueError(
                    f"the runs saved in {self.folder} used other settings "
                    f"({saved.get('settings', saved)}); use another output folder, or run "
                    "without resume to start afresh")
            self.done = {p.stem for p in self.folder.glob("*.csv")}
            return
        if self.folder.exists():
            for old in self.folder.glob("*.csv"):
                old.unlink()
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp.write_text(json.dumps({"hash": digest, "settings": settings}, indent=1,
                                    default=str))

    def load(self, part):
        if part not in self.done:
            return []
        return pd.read_csv(self.folder / f"{part}.csv").to_dict("records")

    def save(self, part, records, order=None):
        if self.folder is not None:
            frame = pd.DataFrame.from_records(records)
            if order is not None:
                frame = frame.sort_values(order, kind="stable")
            frame.to_csv(self.folder / f"{part}.csv", index=False)


def run_tasks(tasks, store, *, n_jobs=1, progress=True, desc="tasks", order=None):
    """Run the tasks of the parts that ``store`` has not saved; return every record.

    ``tasks`` is a list of ``(part, delayed call)``; a call returns
    ``(part, records, extra)``. A part is saved (records sorted by ``order``) once
    all its tasks are done. Returns the records (the saved parts' first, in
    the parts' order, then the new ones as they finish) and each new part's
    extras, a list per part.
    """
    parts = list(dict.fromkeys(part for part, _ in tasks))
    records = [r for part in parts for r in store.load(part)]
    todo = [(part, call) for part, call in tasks if part not in store.done]
    left = Counter(part for part, _ in todo)
    pending = {part: [] for part in left}
    extras = {}
    bar = tqdm(total=len(todo), desc=desc, disable=not progress, ncols=80)
    with bar:
        results = Parallel(n_jobs=n_jobs, return_as="generator_unordered")(
            call for _, call in todo)
        for part, new, extra in results:
            pending[part] += new
            extras.setdefault(part, []).append(extra)
            left[part] -= 1
            if left[part] == 0:
                store.save(part, pending[part], order)
                records += pending.pop(part)
            bar.update()
    return records, extras


def fold_scores(classifier, X_test, y_test):
    """AUC, G-mean, minority F1, balanced accuracy and Brier score of a fitted binary
    classifier.

    Parameters
    ----------
    classifier : fitted classifier
        With ``decision_function`` or ``predict_proba`` for the AUC.
    X_test, y_test : ndarray
        Test rows and 0/1 labels (1 the minority).

    Returns
    -------
    scores : dict
        ``auc``, ``g_mean``, ``f1``, ``balanced_accuracy`` (higher is better)
        and ``brier`` (the mean squared error of the minority's predicted
        probability, lower is better; NaN for a classifier without
        ``predict_proba``, such as the SVC).
    """
    from sklearn.metrics import (
        balanced_accuracy_score,
        brier_score_loss,
        f1_score,
        roc_auc_score,
    )

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
        "brier": (float(brier_score_loss(y_test, classifier.predict_proba(X_test)[:, 1]))
                  if hasattr(classifier, "predict_proba") else float("nan")),
    }


def _tuned_record(method, fold, classifier, make_classifier, pipeline, memory):
    """The scores of a threshold row (the classifier, or the row's pipeline, with a tuned
    threshold), its status, its fit seconds and the synthetic rows of its final fit.

    A pipeline caches its steps' fits in ``memory``: the inner folds are the same for
    every classifier, so each classifier after the first reuses the sampler's fits."""
    plain = pipeline(method, fold, make_classifier(classifier, fold["seed"]))
    if hasattr(plain, "steps"):
        plain.set_params(memory=memory)
    start = time.perf_counter()
    try:
        fitted = tuned_threshold(plain, fold["seed"]).fit(fold["X_train"], fold["y_train"])
        status, final = "ok", fitted.estimator_
    except ValueError as exc:
        if "constant predictions" not in str(exc):
            raise
        fitted = final = plain.fit(fold["X_train"], fold["y_train"])
        status = THRESHOLD_FALLBACK
    fit_s = time.perf_counter() - start
    return status, fit_s, synthetic_count(final), fold_scores(fitted, fold["X_test"],
                                                              fold["y_test"])


def fold_records(fold, methods, classifiers, resample, make_classifier, pipeline):
    """Records of every method and classifier on one fold of a fold suite.

    ``fold`` holds ``dataset``, ``fold``, ``seed``, the training part
    (``X_train``, ``y_train``) and the test part (``X_test``, ``y_test``).
    ``resample(method, fold)`` returns the resampled training rows, the
    test rows as the classifiers see them, the sampler's seconds and the
    row's own columns; it raises when the sampler fails, and the row then
    counts as no resampling on this fold (``resample(None, fold)``), its
    status saying why. Every classifier learns the same resampled rows. A
    threshold row whose fit raises counts as no resampling too.

    A row with ``tuning="class_weight"`` trains each classifier with balanced
    class weights on the unresampled rows (an empty cell, NaN scores, for one
    without). A row with ``tuning="threshold"`` fits ``pipeline(method, fold,
    classifier)``, the row's steps and the classifier on the raw training
    part, with its threshold tuned (:func:`tuned_threshold`).
    """
    records = []
    n = len(fold["y_train"])
    # One thread per task: the folds are the parallel unit.
    with threadpool_limits(limits=1), warnings.catch_warnings(), \
            tempfile.TemporaryDirectory(prefix="pgan-fold-") as cache:
        warnings.simplefilter("ignore")
        memory = Memory(cache, verbose=0)
        for method in methods:
            key = {"dataset": fold["dataset"], "fold": fold["fold"], "method": method.name}
            if method.tuning == "threshold":
                for c in classifiers:
                    try:
                        status, fit_s, n_new, scores = _tuned_record(
                            method, fold, c, make_classifier, pipeline, memory)
                    except Exception as exc:  # as a failing sampler: no resampling
                        status = f"failed: {type(exc).__name__}: {exc}".splitlines()[0]
                        X_raw, y_raw, X_score, _, _ = resample(None, fold)
                        fit_s, n_new = 0.0, 0
                        scores = fold_scores(make_classifier(c, fold["seed"]).fit(X_raw, y_raw),
                                             X_score, fold["y_test"])
                    records.append({**key, "classifier": c, "status": status, "fit_s": fit_s,
                                    "n_synthetic": n_new, **scores})
                continue
            status = "ok"
            try:
                X_res, y_res, X_score, fit_s, columns = resample(method, fold)
            except Exception as exc:
                status = f"failed: {type(exc).__name__}: {exc}".splitlines()[0]
                X_res, y_res, X_score, fit_s, columns = resample(None, fold)
            for c in classifiers:
                clf = make_classifier(c, fold["seed"])
                if method.tuning == "class_weight":
                    clf = balanced(clf)
                if clf is None:
                    records.append({**key, "classifier": c, "status": NO_CLASS_WEIGHT,
                                    "fit_s": 0.0, "n_synthetic": 0})
                    continue
                records.append({
                    **key, "classifier": c, "status": status, "fit_s": fit_s,
                    "n_synthetic": len(y_res) - n, **columns,
                    **fold_scores(clf.fit(X_res, y_res), X_score, fold["y_test"]),
                })
    return records
