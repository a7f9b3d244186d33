"""Random convex mixes of a class's rows: P-GAN's generator without any training.

:class:`ConvexRandomSampler` makes each new row a flat-Dirichlet mix of 2 or 3
rows of its class, so it lies in the class's convex hull as P-GAN's rows do,
in milliseconds. It began as the benchmark's "no learning" ablation of
:class:`~imblearn_pgan.PolarityGANSampler` and is offered for users who want
that speed: on the KEEL dev list it ranks level with P-GAN (see
:doc:`/benchmarking`, experiment log entries 4 and 10).
"""

import numbers

import numpy as np
from imblearn.over_sampling.base import BaseOverSampler
from scipy import sparse
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval

__all__ = ["ConvexRandomSampler"]


class ConvexRandomSampler(BaseOverSampler):
    """Oversample with random convex combinations of rows of the class: no learning.

    Each new row of class ``c`` mixes ``k`` distinct random rows of ``c``
    (``k`` uniform in ``[k_min, k_max]``, at most the class size) with
    weights drawn from a flat Dirichlet distribution. It is P-GAN's
    convex-hull generator without any training: every new row lies in its
    class's convex hull, and a fit takes milliseconds. Dense and sparse
    ``X`` are accepted; the original rows come first, unchanged.

    Read more in the :ref:`User Guide <user_guide>`.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        As in :class:`imblearn.over_sampling.RandomOverSampler`.
    k_min, k_max : int, default=2 and 3
        Range of the number of rows mixed into each new row.
    n_neighbors : int or None, default=None
        ``None`` draws the rows from anywhere in the class. An int draws a
        random seed row and the others among its ``n_neighbors`` nearest rows
        of the class (Euclidean, on ``X`` as given), as SMOTE does: the
        untrained twin of ``PolarityGANSampler(support="local")``.
    random_state : int, RandomState instance or None, default=None
        Seeds the draws.

    Attributes
    ----------
    sampling_strategy_ : dict
        Class label to number of rows generated.

    See Also
    --------
    PolarityGANSampler : The same convex mixes, weighted by a trained G and
        chosen by a trained C.

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_pgan import ConvexRandomSampler
    >>> X = np.arange(20.0).reshape(10, 2); y = np.r_[np.zeros(7), np.ones(3)]
    >>> X_res, y_res = ConvexRandomSampler(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res.astype(int))
    array([7, 7])
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "k_min": [Interval(numbers.Integral, 1, None, closed="left")],
        "k_max": [Interval(numbers.Integral, 1, None, closed="left")],
        "n_neighbors": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "random_state": ["random_state"],
    }

    def __init__(self, *, sampling_strategy="auto", k_min=2, k_max=3, n_neighbors=None,
                 random_state=None):
        super().__init__(sampling_strategy=sampling_strategy)
        self.k_min = k_min
        self.k_max = k_max
        self.n_neighbors = n_neighbors
        self.random_state = random_state

    def _picks(self, rows, sizes, rng):
        """For each new point, the distinct rows of ``rows`` it mixes, and its weights.

        Drawn point by point, a point's rows then its weights.
        """
        n_rows = rows.shape[0]
        if self.n_neighbors is not None:
            k_near = min(self.n_neighbors, n_rows - 1)
            near = NearestNeighbors(n_neighbors=k_near + 1).fit(rows).kneighbors(
                rows, return_distance=False)[:, 1:]
        picks, weights = [], []
        for k in sizes:
            if self.n_neighbors is None:
                pick = rng.choice(n_rows, min(k, n_rows), replace=False)
            else:
                seed = rng.randint(n_rows)
                pick = np.r_[seed, near[seed, rng.choice(k_near, min(k - 1, k_near),
                                                         replace=False)]]
            picks.append(pick)
            weights.append(rng.dirichlet(np.ones(len(pick))))
        return picks, weights

    def _fit_resample(self, X, y):
        if self.k_min > self.k_max:
            raise ValueError(f"k_min={self.k_min} must not exceed k_max={self.k_max}.")
        rng = check_random_state(self.random_state)
        X_parts, y_parts = [X], [y]
        for label, n in self.sampling_strategy_.items():
            if n == 0:
                continue
            rows = X[y == label]
            n_rows = rows.shape[0]
            # One row of W per new point: its Dirichlet weights on k distinct rows.
            picks, weights = self._picks(rows, rng.randint(self.k_min, self.k_max + 1, size=n),
                                         rng)
            counts = [len(p) for p in picks]
            W = sparse.csr_matrix(
                (np.concatenate(weights), np.concatenate(picks), np.r_[0, np.cumsum(counts)]),
                shape=(n, n_rows),
            )
            X_parts.append((W @ rows).astype(X.dtype))
            y_parts.append(np.full(n, label, dtype=y.dtype))
        if sparse.issparse(X):
            return sparse.vstack(X_parts, format=X.format), np.concatenate(y_parts)
        return np.concatenate(X_parts), np.concatenate(y_parts)
