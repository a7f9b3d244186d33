"""Scores of one benchmark run: test metrics, synthetic-point uncertainty, cost."""

import os
import threading
import time

import numpy as np
from imblearn.metrics import geometric_mean_score
from sklearn.metrics import balanced_accuracy_score, f1_score, recall_score
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors

from ..uncertainty import MEASURES, uncertainty_summary

__all__ = [
    "PLACEMENT_COLUMNS",
    "UNCERTAINTY_COLUMNS",
    "classification_metrics",
    "placement",
    "recall_column",
    "synthetic_uncertainty",
    "timed_fit_resample",
]

#: Result columns of the four uncertainty measures (paper Table 3).
UNCERTAINTY_COLUMNS = tuple(f"unc_{name}" for name in MEASURES)


def recall_column(label):
    """Result column holding the test recall of class ``label``."""
    return f"recall_{label}"


def classification_metrics(y_true, y_pred, classes, proba=None):
    """Test-set scores of one classifier.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted labels of the (balanced) test set.
    classes : array-like
        Every class label, in the order of the per-class recall columns.
    proba : ndarray of shape (n_samples, n_classes), default=None
        The classifier's probabilities, columns in the order of ``classes``;
        None for a classifier without them.

    Returns
    -------
    scores : dict
        ``macro_f1`` (paper Table 1), ``balanced_accuracy`` (the mean
        per-class accuracy of Table 2), ``g_mean`` (geometric mean of the
        per-class recalls), ``recall_<label>`` for every class and ``brier``,
        the multi-class Brier score (the mean over rows of the squared
        distance of the probabilities to the one-hot label; lower is better;
        NaN without ``proba``).
    """
    recalls = recall_score(y_true, y_pred, labels=classes, average=None, zero_division=0)
    scores = {
        "macro_f1": f1_score(y_true, y_pred, labels=classes, average="macro", zero_division=0),
        "balanced_accuracy": balanced_accuracy_score(y_true, y_pred),
        "g_mean": geometric_mean_score(y_true, y_pred, labels=classes, average="multiclass"),
    }
    scores.update({recall_column(c): r for c, r in zip(classes, recalls)})
    one_hot = np.asarray(y_true)[:, None] == np.asarray(classes)[None, :]
    scores["brier"] = (np.nan if proba is None
                       else ((np.asarray(proba) - one_hot) ** 2).sum(1).mean())
    return {k: float(v) for k, v in scores.items()}


def synthetic_uncertainty(judge, X_synthetic):
    """The four uncertainty measures of synthetic rows under a fixed judge.

    Parameters
    ----------
    judge : classifier with ``predict_proba``
        The same model for every sampler (fitted on the original training
        rows), so that the measures compare samplers, not their classifiers.
    X_synthetic : ndarray of shape (n_new, n_features)
        The rows a sampler appended.

    Returns
    -------
    scores : dict
        ``unc_<measure>`` to its mean over the rows; NaN without rows.
    """
    if len(X_synthetic) == 0:
        return dict.fromkeys(UNCERTAINTY_COLUMNS, float("nan"))
    summary = uncertainty_summary(judge.predict_proba(X_synthetic))
    return {f"unc_{name}": value for name, value in summary.items()}


#: Result columns of :func:`placement`.
PLACEMENT_COLUMNS = ("dist_other", "other_region")


def placement(X, y, X_new, y_new, n_neighbors=5):
    """Where synthetic rows lie relative to the real rows of the other classes.

    Distances are taken after standardising with the real rows' statistics.

    Parameters
    ----------
    X, y : ndarray
        The real (training) rows and labels.
    X_new, y_new : ndarray
        The synthetic rows and their labels.
    n_neighbors : int, default=5
        Neighbours of the vote that decides a row's region.

    Returns
    -------
    scores : dict
        ``dist_other``: mean distance of a synthetic row to the nearest real
        row of another class, over the same mean for the real rows of its
        class (below 1: nearer the other classes than the real rows are).
        ``other_region``: share of synthetic rows whose ``n_neighbors``
        nearest real rows vote for another class. NaN without rows.

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_pgan.suites.metrics import placement
    >>> X = np.array([[0.0], [1.0], [2.0], [10.0], [11.0], [12.0]]); y = np.r_[0, 0, 0, 1, 1, 1]
    >>> placement(X, y, np.array([[11.5], [3.0]]), np.array([1, 1]), n_neighbors=3)
    {'dist_other': 0.5833333333333334, 'other_region': 0.5}
    """
    if len(X_new) == 0:
        return dict.fromkeys(PLACEMENT_COLUMNS, float("nan"))
    mean, scale = X.mean(0), X.std(0)
    scale = np.where(scale > 0, scale, 1.0)
    A, B = (X - mean) / scale, (X_new - mean) / scale
    ratios = []
    for k in np.unique(y_new):
        others = A[y != k]
        if len(others) == 0:
            continue
        nearest = NearestNeighbors(n_neighbors=1).fit(others)
        real = nearest.kneighbors(A[y == k])[0].mean()
        new = nearest.kneighbors(B[y_new == k])[0][:, 0]
        ratios.append(new / max(real, 1e-12))
    vote = KNeighborsClassifier(min(n_neighbors, len(A))).fit(A, y).predict(B)
    return {
        "dist_other": float(np.concatenate(ratios).mean()) if ratios else float("nan"),
        "other_region": float(np.mean(vote != y_new)),
    }


class _PeakRSS:
    """Growth of the resident set size, polled every ``interval`` seconds.

    Unlike ``tracemalloc`` this sees torch's allocations too, and unlike the
    high-water mark ``ru_maxrss`` it is not hidden by an earlier, larger
    peak. It reads ``/proc/self/statm`` and so is Linux only (NaN elsewhere).
    Memory freed earlier and reused by an allocator does not count.
    """

    _STATM = "/proc/self/statm"

    def __init__(self, interval=0.01):
        self.interval = interval
        self.available = os.path.exists(self._STATM)
        self._page = os.sysconf("SC_PAGE_SIZE") if self.available else 0

    def _rss(self):
        with open(self._STATM) as statm:
            return int(statm.read().split()[1]) * self._page

    def _poll(self):
        while not self._stop.wait(self.interval):
            self.peak = max(self.peak, self._rss())

    def __enter__(self):
        if self.available:
            self.start = self.peak = self._rss()
            self._stop = threading.Event()
            self._thread = threading.Thread(target=self._poll, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc):
        if self.available:
            self._stop.set()
            self._thread.join()
            self.peak = max(self.peak, self._rss())

    @property
    def growth_mb(self):
        return (self.peak - self.start) / 2**20 if self.available else float("nan")


def timed_fit_resample(sampler, X, y):
    """Run ``sampler.fit_resample`` and measure its wall time and memory.

    Parameters
    ----------
    sampler : imbalanced-learn sampler
        Unfitted sampler.
    X, y : ndarray
        Training features and labels.

    Returns
    -------
    X_res, y_res : ndarray
        The resampled training set (original rows first).
    seconds : float
        Wall-clock time of ``fit_resample``.
    memory_mb : float
        Peak growth of the process's resident memory during the call, in
        MiB (numpy and torch CPU allocations alike; GPU memory is not
        included); NaN where ``/proc`` is missing.
    """
    with _PeakRSS() as memory:
        start = time.perf_counter()
        X_res, y_res = sampler.fit_resample(X, y)
        seconds = time.perf_counter() - start
    return np.asarray(X_res), np.asarray(y_res), seconds, memory.growth_mb
