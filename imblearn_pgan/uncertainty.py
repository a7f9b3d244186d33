"""Uncertainty measures of §5, eq. 7–10 of the Polarity-GAN paper.

Each function takes a probability matrix ``proba`` of shape
``(n_samples, n_classes)`` (rows sum to one, as returned by ``predict_proba``)
and returns one score per sample in ``[0, 1]``; larger means more uncertain.
The paper writes each measure as a sum over samples; its Table 3 reports
values in ``[0, 1]``, i.e. the per-sample mean, which is what
:func:`uncertainty_summary` returns.
"""

import numpy as np

__all__ = [
    "MEASURES",
    "entropy",
    "least_confidence",
    "margin_of_confidence",
    "ratio_of_confidence",
    "uncertainty_summary",
]


def _check_proba(proba):
    proba = np.asarray(proba, dtype=np.float64)
    if proba.ndim != 2 or proba.shape[1] < 2:
        raise ValueError(
            "proba must be a 2-D array of shape (n_samples, n_classes) with at "
            f"least 2 classes; got shape {proba.shape}."
        )
    if not np.all(np.isfinite(proba)) or np.any(proba < 0):
        raise ValueError("proba must hold finite, non-negative probabilities.")
    return proba


def _top_two(proba):
    part = np.partition(proba, -2, axis=1)
    return part[:, -1], part[:, -2]


def least_confidence(proba):
    """Eq. 7: ``m (1 - y*) / (m - 1)``, with ``y*`` the top probability.

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes)
        Class probabilities.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        0 for a one-hot row, 1 for a uniform row.

    Examples
    --------
    >>> from imblearn_pgan.uncertainty import least_confidence
    >>> least_confidence([[1.0, 0.0], [0.5, 0.5]])
    array([0., 1.])
    """
    proba = _check_proba(proba)
    m = proba.shape[1]
    top, _ = _top_two(proba)
    return m * (1.0 - top) / (m - 1)


def margin_of_confidence(proba):
    """Eq. 8: ``1 - (y* - y**)``, one minus the gap between the top two.

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes)
        Class probabilities.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        0 for a one-hot row, 1 when the top two probabilities tie.

    Examples
    --------
    >>> from imblearn_pgan.uncertainty import margin_of_confidence
    >>> margin_of_confidence([[0.7, 0.2, 0.1]])
    array([0.5])
    """
    proba = _check_proba(proba)
    top, second = _top_two(proba)
    return 1.0 - (top - second)


def ratio_of_confidence(proba):
    """Eq. 9: ``y** / y*``, the second probability over the first.

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes)
        Class probabilities.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        0 for a one-hot row, 1 when the top two probabilities tie.

    Examples
    --------
    >>> from imblearn_pgan.uncertainty import ratio_of_confidence
    >>> ratio_of_confidence([[0.5, 0.25, 0.25]])
    array([0.5])
    """
    proba = _check_proba(proba)
    top, second = _top_two(proba)
    return np.divide(second, top, out=np.zeros_like(top), where=top > 0)


def entropy(proba):
    """Eq. 10: ``-sum_i y_i log2 y_i / log2 m``, the normalised entropy.

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes)
        Class probabilities.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        0 for a one-hot row, 1 for a uniform row.

    Examples
    --------
    >>> from imblearn_pgan.uncertainty import entropy
    >>> entropy([[0.25, 0.25, 0.25, 0.25], [0.5, 0.5, 0.0, 0.0]])
    array([1. , 0.5])
    """
    proba = _check_proba(proba)
    m = proba.shape[1]
    logs = np.log2(proba, out=np.zeros_like(proba), where=proba > 0)
    return -(proba * logs).sum(axis=1) / np.log2(m)


#: The measures by the names that ``PolarityGANSampler(uncertainty=...)`` takes.
MEASURES = {
    "least_confidence": least_confidence,
    "margin": margin_of_confidence,
    "ratio": ratio_of_confidence,
    "entropy": entropy,
}


def uncertainty_summary(proba):
    """Mean of each of the four measures over the rows, as in Table 3.

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes)
        Class probabilities.

    Returns
    -------
    summary : dict
        ``{"least_confidence", "margin", "ratio", "entropy"}`` to floats.

    Examples
    --------
    >>> from imblearn_pgan.uncertainty import uncertainty_summary
    >>> uncertainty_summary([[0.5, 0.5]])
    {'least_confidence': 1.0, 'margin': 1.0, 'ratio': 1.0, 'entropy': 1.0}
    """
    proba = _check_proba(proba)
    return {name: float(fn(proba).mean()) for name, fn in MEASURES.items()}
