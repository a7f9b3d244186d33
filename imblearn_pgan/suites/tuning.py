"""What a practitioner tunes instead of resampling, or besides it: the rows
``none-threshold``, ``class-weight``, ``pgan-threshold`` and ``smote-threshold``.

Binary suites (KEEL, tables) tune the decision threshold with scikit-learn's
``TunedThresholdClassifierCV``; the multi-class images suite tunes the post-hoc
logit adjustment of Menon et al. (2021), :class:`LogitAdjustedClassifier`, its
analogue. A row with a sampler tunes the whole pipeline, so that every inner
training fold is resampled as the outer one is.
"""

import numbers

import numpy as np
from imblearn.pipeline import Pipeline
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import StratifiedKFold, TunedThresholdClassifierCV
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted

__all__ = ["NO_CLASS_WEIGHT", "NO_PROBABILITIES", "THRESHOLD_FALLBACK",
           "LogitAdjustedClassifier", "after_sampler", "balanced", "synthetic_count",
           "tuned_threshold"]

#: The status of a row whose threshold could not be tuned: its classifier's scores
#: were constant on the inner folds (a fully grown tree's can be).
THRESHOLD_FALLBACK = "ok: threshold not tuned (constant inner scores), plain classifier"

#: The status of a class-weight cell whose classifier has no ``class_weight``.
NO_CLASS_WEIGHT = "empty: the classifier has no class_weight"

#: The status of a logit-adjusted cell whose classifier has no probabilities.
NO_PROBABILITIES = "empty: the classifier has no predict_proba"

#: Inner folds of every tuned row.
INNER_FOLDS = 5


def _inner_folds(seed):
    return StratifiedKFold(n_splits=INNER_FOLDS, shuffle=True, random_state=seed)


def after_sampler(sampler, classifier, memory=None):
    """The estimator a tuned row tunes: the classifier, after the row's sampler if any
    (its fits cached in ``memory``, a joblib ``Memory``, when given)."""
    if sampler is None:
        return classifier
    return Pipeline([("sampler", sampler), ("classifier", classifier)], memory=memory)


def synthetic_count(estimator):
    """The rows that the sampler of a fitted pipeline added in its fit (0 without one)."""
    sampler = getattr(estimator, "named_steps", {}).get("sampler")
    return sum(getattr(sampler, "sampling_strategy_", {}).values())


def balanced(classifier):
    """``classifier`` (or a pipeline's last step) with ``class_weight="balanced"``; None
    for a classifier that has no ``class_weight`` (kNN)."""
    last = classifier.steps[-1][0] + "__" if hasattr(classifier, "steps") else ""
    if f"{last}class_weight" not in classifier.get_params():
        return None
    return classifier.set_params(**{f"{last}class_weight": "balanced"})


def tuned_threshold(estimator, seed):
    """``estimator`` (a binary classifier, or a pipeline with a sampler) with its decision
    threshold tuned for balanced accuracy on stratified inner folds."""
    return TunedThresholdClassifierCV(estimator, scoring="balanced_accuracy",
                                      random_state=seed, cv=_inner_folds(seed))


class LogitAdjustedClassifier(ClassifierMixin, BaseEstimator):
    """Post-hoc logit adjustment: predict ``argmax_y log p(y|x) - tau log pi_y``.

    ``pi`` is the class prior of the training rows and ``tau`` is chosen among
    ``taus`` by balanced accuracy on stratified inner folds (Menon et al.,
    "Long-tail learning via logit adjustment", ICLR 2021); the estimator is
    then refitted on every row. The multi-class analogue of a tuned threshold.

    Parameters
    ----------
    estimator : classifier with ``predict_proba``
        The classifier, or a pipeline of a sampler and the classifier.
    taus : tuple of float, default=(0, 0.25, 0.5, 0.75, 1, 1.5, 2)
        The adjustments tried; ties go to the smaller.
    random_state : int, default=0
        Seeds the inner folds.

    Attributes
    ----------
    classes_ : ndarray
        The class labels.
    tau_ : float
        The chosen adjustment.
    estimator_ : classifier
        The estimator refitted on every row.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from imblearn_pgan.suites.tuning import LogitAdjustedClassifier
    >>> X, y = make_classification(300, n_classes=3, n_informative=4,
    ...                            weights=[0.7, 0.2, 0.1], random_state=0)
    >>> clf = LogitAdjustedClassifier(LogisticRegression()).fit(X, y)
    >>> clf.predict(X[:3]).shape, clf.tau_ in clf.taus
    ((3,), True)
    """

    _parameter_constraints: dict = {
        "estimator": [object],
        "taus": [tuple],
        "random_state": [Interval(numbers.Integral, 0, None, closed="left")],
    }

    def __init__(self, estimator, *, taus=(0, 0.25, 0.5, 0.75, 1, 1.5, 2), random_state=0):
        self.estimator = estimator
        self.taus = taus
        self.random_state = random_state

    def fit(self, X, y):
        if not hasattr(self.estimator, "predict_proba"):
            raise ValueError(f"{type(self).__name__} needs a classifier with predict_proba")
        y = np.asarray(y)
        self.classes_, counts = np.unique(y, return_counts=True)
        self.log_prior_ = np.log(counts / counts.sum())
        scores = np.zeros(len(self.taus))
        for train, test in _inner_folds(self.random_state).split(X, y):
            part = clone(self.estimator).fit(_rows(X, train), y[train])
            log_p = self._log_proba(part, _rows(X, test))
            scores += [balanced_accuracy_score(
                y[test], self.classes_[(log_p - tau * self.log_prior_).argmax(1)])
                for tau in self.taus]
        self.tau_ = self.taus[int(np.argmax(scores))]
        self.estimator_ = clone(self.estimator).fit(X, y)
        return self

    def _log_proba(self, estimator, X):
        """log p(y|x) on every class of ``classes_`` (0 for a class the fit never saw)."""
        proba = np.zeros((len(X), len(self.classes_)))
        columns = np.searchsorted(self.classes_, estimator.classes_)
        proba[:, columns] = estimator.predict_proba(X)
        return np.log(np.maximum(proba, 1e-12))

    def predict_proba(self, X):
        check_is_fitted(self)
        adjusted = self._log_proba(self.estimator_, X) - self.tau_ * self.log_prior_
        adjusted = np.exp(adjusted - adjusted.max(1, keepdims=True))
        return adjusted / adjusted.sum(1, keepdims=True)

    def predict(self, X):
        return self.classes_[self.predict_proba(X).argmax(1)]


def _rows(X, index):
    return X.iloc[index] if hasattr(X, "iloc") else X[index]
