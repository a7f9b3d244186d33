"""Validation-driven P-GAN (issue #40): research rows that let held-out real rows decide
what P-GAN's networks cannot, how many points to add and which to keep.

:class:`ValidatedPolarityGAN` wraps :class:`~imblearn_pgan.PolarityGANSampler` and
splits the training rows into two stratified halves; a logistic-regression proxy
learnt on one half is judged on the other (cross-fitting, so no row judges a model it
trained). Its leads, one per ``lead``:

``"amount"``
    How many (AutoSMOTE's question): P-GAN is fitted on each half, and the share of
    the full balance in ``amounts`` whose points most raise the proxy's G-mean on the
    other half is kept; the final P-GAN adds that share of every class's gap.
``"influence"``
    Which to keep (bilevel selection, first order): the final P-GAN draws a pool of
    ``pool`` times the gap, and the points kept are those whose added weight most
    lowers the proxy's balanced log-loss on the held-out half, by the influence
    function of a logistic regression (Koh & Liang 2017), in place of C's uncertainty.
``"influence-amount"``
    Both: only the pool's points whose influence lowers the held-out loss are kept,
    up to the gap; the amount is learnt with the points.
"""

import numbers

import numpy as np
from imblearn.over_sampling.base import BaseOverSampler
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.utils._param_validation import Interval, StrOptions

__all__ = ["ValidatedPolarityGAN", "held_out_influence"]

#: The proxy's inverse regularisation (scikit-learn's ``C``).
PROXY_C = 1.0


def _with_intercept(X):
    return np.hstack([X, np.ones((len(X), 1))])


def _balanced_weights(t):
    """Weights that give both sides of a 0/1 target the same total."""
    n_pos = max(t.sum(), 1)
    n_neg = max(len(t) - t.sum(), 1)
    return np.where(t == 1, len(t) / (2 * n_pos), len(t) / (2 * n_neg))


def held_out_influence(X_fit, t_fit, X_held, t_held, Z, t_z):
    """First-order change of a balanced logistic proxy's held-out loss when each row of
    ``Z`` (targets ``t_z``) joins the rows it learns from; negative helps.

    The proxy is ``LogisticRegression(class_weight="balanced", C=PROXY_C)`` on
    ``X_fit``; the change is ``-g_held' H^-1 g_z`` (Koh & Liang 2017), with ``H`` the
    Hessian of its penalised objective and ``g`` gradients of the log-loss.
    """
    if len(np.unique(t_fit)) < 2 or len(np.unique(t_held)) < 2:
        return np.zeros(len(Z))
    proxy = LogisticRegression(C=PROXY_C, class_weight="balanced", max_iter=1000)
    proxy.fit(X_fit, t_fit)
    theta = np.r_[proxy.coef_.ravel(), proxy.intercept_]
    A, B, C = _with_intercept(X_fit), _with_intercept(X_held), _with_intercept(Z)
    p = 1 / (1 + np.exp(-A @ theta))
    H = PROXY_C * (A * (_balanced_weights(t_fit) * p * (1 - p))[:, None]).T @ A
    H[np.arange(len(theta) - 1), np.arange(len(theta) - 1)] += 1.0  # the bias is free
    q = 1 / (1 + np.exp(-B @ theta))
    g_held = B.T @ (_balanced_weights(t_held) * (q - t_held)) / len(t_held)
    r = 1 / (1 + np.exp(-C @ theta))
    g_z = C * (r - t_z)[:, None]
    return -g_z @ np.linalg.solve(H, g_held)


def _g_mean(y, pred):
    """The geometric mean of the recalls of ``y``'s classes."""
    return float(np.prod([np.mean(pred[y == v] == v) for v in np.unique(y)])
                 ** (1 / len(np.unique(y))))


def _first(y_new, share):
    """Positions of the first ``share`` of each class's points among ``y_new``."""
    return np.concatenate([np.flatnonzero(y_new == v)[:int(round(share * np.sum(y_new == v)))]
                           for v in np.unique(y_new)] or [np.zeros(0, dtype=int)])


class ValidatedPolarityGAN(BaseOverSampler):
    """P-GAN whose amount or kept points are chosen on held-out real rows (#40's leads).

    Parameters
    ----------
    lead : {"amount", "influence", "influence-amount"}
        What the held-out rows decide (see the module's text).
    sampling_strategy : as imbalanced-learn's
        The gap to fill, before ``lead`` chooses a share of it.
    random_state : int
        Seeds the halves and every P-GAN fit.
    pool : float
        The influence leads draw ``pool`` times the gap and keep at most the gap.
    amounts : tuple of float
        The shares of the gap the amount lead tries.
    sampler_params : dict or None
        :class:`~imblearn_pgan.PolarityGANSampler`'s parameters.
    """

    _sampling_type = "over-sampling"
    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "lead": [StrOptions({"amount", "influence", "influence-amount"})],
        "random_state": ["random_state"],
        "pool": [Interval(numbers.Real, 1, None, closed="left")],
        "amounts": [tuple],
        "sampler_params": [dict, None],
    }

    def __init__(self, *, lead="influence", sampling_strategy="auto", random_state=None,
                 pool=2.0, amounts=(0.0, 0.25, 0.5, 1.0), sampler_params=None):
        super().__init__(sampling_strategy=sampling_strategy)
        self.lead = lead
        self.random_state = random_state
        self.pool = pool
        self.amounts = amounts
        self.sampler_params = sampler_params

    def _pgan(self, y, new=None):
        """P-GAN adding ``new[label]`` points to each class (imbalanced-learn's dict is of
        the counts after resampling); ``new=None``: balance (``"auto"``)."""
        from ..sampler import PolarityGANSampler

        strategy = "auto" if new is None else {
            label: int(np.sum(y == label)) + n for label, n in new.items()}
        return PolarityGANSampler(**{**(self.sampler_params or {}),
                                     "random_state": self.random_state,
                                     "sampling_strategy": strategy})

    def _halves(self, y):
        folds = StratifiedKFold(2, shuffle=True, random_state=self.random_state)
        return list(folds.split(np.zeros((len(y), 1)), y))

    def _fit_resample(self, X, y):
        gap = {label: n for label, n in self.sampling_strategy_.items() if n > 0}
        self.share_ = 1.0
        if not gap:
            return X.copy(), y.copy()
        if self.lead == "amount":
            self.share_ = self._amount(X, y, gap)
            gap = {label: int(round(self.share_ * n)) for label, n in gap.items()}
            if not any(gap.values()):
                return X.copy(), y.copy()
            return self._pgan(y, gap).fit_resample(X, y)
        pool = {label: int(np.ceil(self.pool * n)) for label, n in gap.items()}
        X_res, y_res = self._pgan(y, pool).fit_resample(X, y)
        Z, z_label = X_res[len(y):], y_res[len(y):]
        keep = np.concatenate([self._kept(X, y, Z, z_label, label, n)
                               for label, n in gap.items()])
        self.share_ = len(keep) / sum(gap.values())
        keep.sort()
        return np.vstack([X, Z[keep]]), np.concatenate([y, z_label[keep]])

    def _kept(self, X, y, Z, z_label, label, n):
        """Indices into ``Z`` of the pool's points of ``label`` to keep."""
        mean, scale = X.mean(0), X.std(0) + 1e-12
        S, own = (X - mean) / scale, np.flatnonzero(z_label == label)
        t, Sz = (y == label).astype(float), (Z[own] - mean) / scale
        score = np.zeros(len(own))
        for fit, held in self._halves(y):
            score += held_out_influence(S[fit], t[fit], S[held], t[held], Sz, np.ones(len(own)))
        order = np.argsort(score, kind="stable")[:n]
        if self.lead == "influence-amount":
            order = order[score[order] < 0]
        return own[order]

    def _amount(self, X, y, gap):
        """The share of the gap whose points most raise the proxy's held-out G-mean."""
        scores = np.zeros(len(self.amounts))
        for fit, held in self._halves(y):
            X_res, y_res = self._pgan(y[fit]).fit_resample(X[fit], y[fit])
            n, mean, scale = len(fit), X[fit].mean(0), X[fit].std(0) + 1e-12
            for i, share in enumerate(self.amounts):
                rows = np.r_[np.arange(n), n + _first(y_res[n:], share)]
                proxy = LogisticRegression(max_iter=1000).fit(
                    (X_res[rows] - mean) / scale, y_res[rows])
                scores[i] += _g_mean(y[held], proxy.predict((X[held] - mean) / scale))
        # Ties go to the smaller share: fewer points, less cost downstream.
        return float(self.amounts[int(np.argmax(scores))])
