"""Mixed-type tables: which columns are categorical or discrete, and how they reach the networks.

The networks see every row as floats: the numeric columns as they are, then
each categorical column one-hot (:meth:`ColumnLayout.encode`). Synthetic rows
come back through :meth:`ColumnLayout.decode`, which gives every categorical
column a category its class has, every integer-valued column an integer in the
class's range, and every two-valued column one of the class's values.

P-GAN's own rows need none of that snapping: their categorical, binary and
integer columns are taken from (or rounded from) the point's anchors
(:mod:`imblearn_pgan.polarity`), so decoding them changes nothing. The GAN
baselines' unconstrained rows are snapped.
"""

import contextlib
import numbers

import numpy as np

__all__ = ["ColumnLayout", "check_finite_columns", "column_names", "numeric_columns_expected",
           "resolve_columns"]


def _is_numeric(values):
    """Whether an object column holds numbers only (bools and strings are not)."""
    return all(isinstance(v, numbers.Number) and not isinstance(v, (bool, np.bool_))
               for v in values)


def _auto_categorical(X):
    """Indices of pandas ``category``, ``object``, ``string`` and ``bool`` columns.

    An ndarray: its non-numeric columns when its dtype is object, else none.
    """
    if hasattr(X, "dtypes") and hasattr(X, "iloc"):
        import pandas as pd

        return [i for i, dtype in enumerate(X.dtypes)
                if isinstance(dtype, pd.CategoricalDtype) or pd.api.types.is_object_dtype(dtype)
                or pd.api.types.is_string_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)]
    X = np.asarray(X)
    if X.dtype != object or X.ndim != 2:
        return []
    return [j for j in range(X.shape[1]) if not _is_numeric(X[:, j])]


def _indices(spec, parameter, n_features, names):
    """Column indices from indices, names or a boolean mask, validated as SMOTENC does."""
    spec = np.asarray(spec)
    if spec.ndim != 1:
        raise ValueError(f"{parameter} must be 'auto', None or 1-D: indices, names or a "
                         f"boolean mask; got an array of shape {spec.shape}.")
    if spec.dtype.kind == "b":
        if len(spec) != n_features:
            raise ValueError(f"{parameter} as a boolean mask needs one entry per feature "
                             f"({n_features}), got {len(spec)}.")
        return np.flatnonzero(spec)
    if spec.size == 0:
        return np.zeros(0, dtype=int)
    if spec.dtype.kind in "iu":
        bad = spec[(spec < -n_features) | (spec >= n_features)]
        if bad.size:
            raise ValueError(f"{parameter} has indices out of range for {n_features} "
                             f"features: {bad.tolist()}.")
        return np.unique(spec % n_features)
    if spec.dtype.kind in "UO":
        if names is None:
            raise ValueError(f"{parameter} names columns, but X has no column names: pass "
                             "a DataFrame, or give indices or a boolean mask.")
        where = {name: i for i, name in enumerate(names)}
        unknown = [str(s) for s in spec if s not in where]
        if unknown:
            raise ValueError(f"{parameter} names unknown columns {unknown}; X has "
                             f"{list(map(str, names))}.")
        return np.unique([where[s] for s in spec])
    raise ValueError(f"{parameter} must hold column indices, names or booleans, got "
                     f"dtype {spec.dtype}.")


def resolve_columns(X, categorical_features, discrete_features, sampler_name):
    """The categorical and discrete column indices of ``X``, checked.

    Parameters
    ----------
    X : DataFrame or array-like of shape (n_samples, n_features)
        The input as given to ``fit_resample`` (before conversion).
    categorical_features, discrete_features : None, "auto" or array-like
        The sampler's parameters.
    sampler_name : str
        Named in error messages.

    Returns
    -------
    categorical, discrete : ndarray of int
        Sorted column indices; ``discrete`` holds no categorical column, is
        ``"auto"`` to be resolved from the values (:class:`ColumnLayout`), or
        None. The integer-dtype columns of a DataFrame are always discrete.
    """
    names = np.asarray(X.columns) if hasattr(X, "columns") and hasattr(X, "iloc") else None
    n_features = np.shape(X)[1] if np.ndim(X) == 2 else None
    if n_features is None:
        return np.zeros(0, dtype=int), discrete_features
    if categorical_features is None:
        categorical = np.zeros(0, dtype=int)
    elif isinstance(categorical_features, str) and categorical_features == "auto":
        categorical = np.asarray(_auto_categorical(X), dtype=int)
    else:
        categorical = _indices(categorical_features, "categorical_features", n_features, names)
    if len(categorical) == n_features:
        raise ValueError(
            f"{sampler_name} needs at least one numeric column, and every column is "
            "categorical: use imbalanced-learn's SMOTEN for all-categorical data."
        )
    # A frame comes back with its dtypes: an integer column must not be truncated.
    integer = (np.asarray([i for i, dtype in enumerate(X.dtypes)
                           if dtype.kind in "iu" and i not in categorical], dtype=int)
               if names is not None else np.zeros(0, dtype=int))
    if isinstance(discrete_features, str):
        return categorical, discrete_features
    if discrete_features is None:
        return categorical, (integer if len(integer) else None)
    discrete = np.union1d(_indices(discrete_features, "discrete_features", n_features, names),
                          integer)
    both = np.intersect1d(discrete, categorical)
    if both.size:
        shown = [str(names[i]) if names is not None else int(i) for i in both]
        raise ValueError(f"Columns {shown} are both categorical and discrete: a column is "
                         "one or the other.")
    return categorical, discrete


def column_names(names, columns):
    """The columns by name where ``names`` (``feature_names_in_``) is given, else by index."""
    return [str(names[j]) if names is not None else int(j) for j in columns]


@contextlib.contextmanager
def numeric_columns_expected(X, sampler_name):
    """Turn numpy's "could not convert string to float" into an error naming the columns."""
    try:
        yield
    except ValueError as exc:
        strings = resolve_columns(X, "auto", None, sampler_name)[0]
        if not len(strings):
            raise
        names = np.asarray(X.columns) if hasattr(X, "columns") and hasattr(X, "iloc") else None
        raise ValueError(
            f"{sampler_name} got non-numeric columns {column_names(names, strings)} ({exc}): "
            "pass categorical_features='auto' (or list them) to generate categories, or "
            "encode them first."
        ) from None


def check_finite_columns(X, categorical, sampler_name, names=None):
    """A clear error naming the columns with NaN or infinite values (nothing is dropped)."""
    import pandas as pd

    is_categorical = np.zeros(X.shape[1], dtype=bool)
    is_categorical[categorical] = True
    # A NaN or infinity makes its column's sum non-finite: one pass over a numeric X
    # instead of a strided one per column (a finite overflow only sends it to the
    # column check, without numpy's warning).
    if not is_categorical.any():
        with np.errstate(over="ignore"):
            if np.isfinite(X.sum(0)).all():
                return
    bad = []
    for j in range(X.shape[1]):
        column = X[:, j]
        if is_categorical[j]:
            missing = pd.isna(column).any()
        else:
            try:
                missing = not np.isfinite(np.asarray(column, dtype=np.float64)).all()
            except (TypeError, ValueError):
                raise ValueError(
                    f"Column {column_names(names, [j])[0]!r} is not numeric: list it in "
                    "categorical_features (or pass categorical_features='auto')."
                ) from None
        if missing:
            bad.append(j)
    if bad:
        raise ValueError(
            f"{sampler_name} got NaN or infinite values in columns {column_names(names, bad)}: "
            "impute them first, e.g. with a SimpleImputer in the pipeline before the sampler."
        )


def _column_name(names, j):
    return repr(str(names[j])) if names is not None else str(j)


class ColumnLayout:
    """The float layout of a mixed-type table that the networks train on.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Training rows, object dtype when there are categorical columns.
    y_index : ndarray of shape (n_samples,)
        Class index of each row.
    n_classes : int
        Number of classes.
    categorical : ndarray of int
        Categorical column indices.
    discrete : ndarray of int or "auto"
        Integer-valued numeric columns; ``"auto"``: the numeric columns whose
        training values are all integers. None: none.
    names : ndarray or None
        Column names, for messages.

    Attributes
    ----------
    numeric : ndarray of int
        The other columns, in order; the first columns of the encoding.
    categories : list of ndarray
        The categories of each categorical column, sorted.
    rounded : ndarray of int
        Discrete columns with more than two values (counts), in encoded
        space: rounded, and with ``pick_counts`` taken from one anchor (in
        ``picked`` too) before the rounding, which then changes nothing.
    picked : ndarray of int
        Encoded columns taken whole from one anchor: the two-valued discrete
        columns, the other discrete ones with ``pick_counts``, and every
        one-hot column.
    pick_group : ndarray of int
        For each of ``picked``, its group: the columns of one group come from
        the same anchor. A categorical column's one-hot block is one group;
        with ``pick_together`` every picked column is in group 0, so a row's
        picked columns are those of one real row.
    """

    def __init__(self, X, y_index, n_classes, categorical, discrete, names=None,
                 pick_counts=False, pick_together=False):
        n_features = X.shape[1]
        self.n_features = n_features
        self.categorical = np.asarray(categorical, dtype=int)
        self.numeric = np.setdiff1d(np.arange(n_features), self.categorical)
        self.names = names
        numeric = self.to_float(X[:, self.numeric])
        if isinstance(discrete, str):  # "auto"
            integral = np.all(numeric == np.round(numeric), axis=0)
            discrete = self.numeric[integral]
        elif discrete is None:
            discrete = np.zeros(0, dtype=int)
        else:
            position = np.searchsorted(self.numeric, discrete)
            fractional = ~np.all(numeric[:, position] == np.round(numeric[:, position]), axis=0)
            if fractional.any():
                shown = [_column_name(names, j) for j in np.asarray(discrete)[fractional]]
                raise ValueError(f"discrete_features lists columns {shown} that hold "
                                 "non-integer values.")
        self.discrete = np.asarray(discrete, dtype=int)
        self.categories = [np.array(sorted(set(X[:, j].tolist()), key=_sort_key), dtype=object)
                           for j in self.categorical]
        position = np.searchsorted(self.numeric, self.discrete)
        n_values = np.array([len(np.unique(numeric[:, p])) for p in position], dtype=int)
        self.binary = position[n_values <= 2]  # encoded column = numeric position
        self.rounded = position[n_values > 2]
        widths = [len(c) for c in self.categories]
        self.block_start = len(self.numeric) + np.r_[0, np.cumsum(widths)[:-1]].astype(int)
        self.n_encoded = len(self.numeric) + int(sum(widths))
        blocks = [np.arange(s, s + w) for s, w in zip(self.block_start, widths)]
        # One group per column taken alone, then one per categorical block.
        single = np.r_[self.binary, self.rounded] if pick_counts else self.binary
        self.picked = np.concatenate([single, *blocks]).astype(int)
        self.pick_group = np.concatenate(
            [np.arange(len(single)),
             *(np.full(w, len(single) + g) for g, w in enumerate(widths))]).astype(int)
        self.n_groups = len(single) + len(widths)
        if pick_together and self.n_groups:
            self.pick_group[:] = 0
            self.n_groups = 1
        # What each class has: decoding keeps synthetic rows to these values.
        Z = self.encode(X)
        self.class_min = np.stack([Z[y_index == k].min(0) for k in range(n_classes)])
        self.class_max = np.stack([Z[y_index == k].max(0) for k in range(n_classes)])

    @property
    def trivial(self):
        """Whether the encoding is the identity: no categorical, binary or rounded column."""
        return self.n_groups == 0 and len(self.rounded) == 0

    def to_float(self, values):
        """The numeric columns as float64; one that is not numeric gets an error naming it."""
        out = np.empty(values.shape, dtype=np.float64)
        for p, j in enumerate(self.numeric):
            try:
                out[:, p] = np.asarray(values[:, p], dtype=np.float64)
            except (TypeError, ValueError) as exc:
                raise ValueError(
                    f"Column {_column_name(self.names, j)} is not numeric ({exc}); list it in "
                    "categorical_features (or pass categorical_features='auto')."
                ) from None
        return out

    def encode(self, X):
        """Float rows for the networks: the numeric columns, then one-hot blocks.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features)

        Returns
        -------
        Z : ndarray of shape (n_samples, n_encoded), float64
        """
        Z = np.zeros((len(X), self.n_encoded))
        Z[:, : len(self.numeric)] = self.to_float(X[:, self.numeric])
        for j, start, categories in zip(self.categorical, self.block_start, self.categories):
            codes = _codes(X[:, j], categories)
            Z[np.arange(len(X)), start + codes] = 1.0
        return Z

    def decode(self, Z, class_index, dtype):
        """Rows of the input's columns from encoded rows of one class.

        Integer-valued columns are rounded and kept in the class's range,
        two-valued ones snap to the nearer of the class's values, and each
        categorical column takes the category of its block's largest entry
        among those the class has.

        Parameters
        ----------
        Z : ndarray of shape (n, n_encoded)
        class_index : int
        dtype : numpy dtype
            Of the output: object when there are categorical columns.

        Returns
        -------
        X : ndarray of shape (n, n_features)
        """
        low, high = self.class_min[class_index], self.class_max[class_index]
        numeric = Z[:, : len(self.numeric)].copy()
        numeric[:, self.rounded] = np.clip(np.rint(numeric[:, self.rounded]),
                                          low[self.rounded], high[self.rounded])
        b = self.binary
        nearer_low = np.abs(numeric[:, b] - low[b]) <= np.abs(numeric[:, b] - high[b])
        numeric[:, b] = np.where(nearer_low, low[b], high[b])
        X = np.empty((len(Z), self.n_features), dtype=dtype)
        X[:, self.numeric] = numeric
        for j, start, categories in zip(self.categorical, self.block_start, self.categories):
            block = Z[:, start : start + len(categories)]
            has = high[start : start + len(categories)] > 0
            codes = np.where(has, block, -np.inf).argmax(1)
            X[:, j] = categories[codes]
        return X


def _sort_key(value):
    # Categories of mixed types (1 and "a") still get a fixed order.
    return (type(value).__name__, value)


def _codes(values, categories):
    """Index of each value in ``categories``; an unseen value is an error."""
    lookup = {c: i for i, c in enumerate(categories)}
    try:
        return np.fromiter((lookup[v] for v in values.tolist()), dtype=np.int64,
                           count=len(values))
    except KeyError as exc:
        raise ValueError(f"Category {exc.args[0]!r} was not seen in fit_resample.") from None
