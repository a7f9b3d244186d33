"""Random convex mixes of a class's rows: P-GAN's generator without any training.

:class:`ConvexRandomSampler` makes each new row a flat-Dirichlet mix of 2 or 3
rows of its class, so it lies in the class's convex hull as P-GAN's rows do,
in milliseconds. It began as the benchmark's "no learning" ablation of
:class:`~imblearn_pgan.PolarityGANSampler` and is offered for users who want
that speed: on the KEEL dev list it ranks level with P-GAN (see
:doc:`experiment log </experiment_log>`, entries 4 and 10).
"""

import numbers

import numpy as np
from imblearn.over_sampling.base import BaseOverSampler
from scipy import sparse
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn_compat.utils.validation import validate_data

from ._columns import check_finite_columns, numeric_columns_expected, resolve_columns

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
        untrained twin of ``PolarityGANSampler(gan_params={"support": "local"})``.
    categorical_features : "auto", array-like or None, default=None
        Categorical columns, as for :class:`~imblearn_pgan.PolarityGANSampler`
        (indices, names, a boolean mask, or ``"auto"`` for the pandas
        ``category``, ``object``, ``string`` and ``bool`` columns). Each new
        row takes, in each of them, the value of one of the rows it mixes,
        drawn with the mixing weights. Dense input only.
    discrete_features : "auto", array-like or None, default=None
        Integer-valued columns (counts, flags), in the same forms; ``"auto"``
        takes every numeric column whose values are all integers. Each takes
        one mixed row's value, as the categorical columns do, so it stays an
        integer the class has.
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
        "categorical_features": [None, StrOptions({"auto"}), "array-like"],
        "discrete_features": [None, StrOptions({"auto"}), "array-like"],
        "random_state": ["random_state"],
    }

    def __init__(self, *, sampling_strategy="auto", k_min=2, k_max=3, n_neighbors=None,
                 categorical_features=None, discrete_features=None, random_state=None):
        super().__init__(sampling_strategy=sampling_strategy)
        self.k_min, self.k_max, self.n_neighbors = k_min, k_max, n_neighbors
        self.categorical_features, self.discrete_features = categorical_features, discrete_features
        self.random_state = random_state

    def _check_X_y(self, X, y, accept_sparse=None):
        name = type(self).__name__
        categorical, discrete = resolve_columns(X, self.categorical_features,
                                                self.discrete_features, name)
        self._picked = None  # no column is taken whole from one row
        if not len(categorical) and discrete is None:
            with numeric_columns_expected(X, name):
                return super()._check_X_y(X, y, accept_sparse)
        from imblearn.utils import check_target_type

        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        with numeric_columns_expected(X, name):
            X, y = validate_data(self, X=X, y=y, reset=True, accept_sparse=False,
                                 dtype=object if len(categorical) else np.float64,
                                 ensure_all_finite=False)
        check_finite_columns(X, categorical, name, getattr(self, "feature_names_in_", None))
        numeric = np.setdiff1d(np.arange(X.shape[1]), categorical)
        if isinstance(discrete, str):  # "auto": the numeric columns of whole numbers
            values = X[:, numeric].astype(np.float64)
            discrete = numeric[(values == np.round(values)).all(0)]
        self._numeric = numeric
        self._picked = np.union1d(categorical, [] if discrete is None else discrete).astype(int)
        self._mixed = np.setdiff1d(numeric, self._picked)
        return X, y, binarize_y

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
            # A table's neighbours: on its numeric columns.
            features = rows if self._picked is None else rows[:, self._numeric].astype(float)
            picks, weights = self._picks(features, rng.randint(self.k_min, self.k_max + 1, size=n),
                                         rng)
            X_parts.append(self._mix(rows, picks, weights, rng))
            y_parts.append(np.full(n, label, dtype=y.dtype))
        if sparse.issparse(X):
            return sparse.vstack(X_parts, format=X.format), np.concatenate(y_parts)
        return np.concatenate(X_parts), np.concatenate(y_parts)

    def _mix(self, rows, picks, weights, rng):
        """The new rows: each a weighted mix of its picked rows; with categorical or
        discrete columns, each of those the value of one picked row (drawn with the
        weights), the other columns mixed."""
        counts = [len(p) for p in picks]
        n = len(picks)
        W = sparse.csr_matrix(
            (np.concatenate(weights), np.concatenate(picks), np.r_[0, np.cumsum(counts)]),
            shape=(n, rows.shape[0]),
        )
        if self._picked is None:
            return (W @ rows).astype(rows.dtype)
        new = np.empty((n, rows.shape[1]), dtype=rows.dtype)
        new[:, self._mixed] = W @ rows[:, self._mixed].astype(np.float64)
        width = max(counts)
        padded = np.array([np.r_[p, np.full(width - len(p), p[-1])] for p in picks])
        cumulative = np.array([np.r_[np.cumsum(w), np.ones(width - len(w))] for w in weights])
        u = rng.random_sample((n, len(self._picked)))
        position = np.minimum((u[:, :, None] >= cumulative[:, None, :]).sum(2), width - 1)
        source = np.take_along_axis(padded, position, axis=1)
        new[:, self._picked] = rows[source, self._picked[None, :]]
        return new
