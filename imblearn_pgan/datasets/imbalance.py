"""Long-tailed subsets of balanced data sets: :func:`make_imbalance` and its profiles.

Works on rows of any rank (images or tables), whatever their source.
"""

from collections.abc import Mapping

import numpy as np

#: Training rows per class (class 0 first) of the Polarity-GAN paper.
PAPER_COUNTS = (5000, 4000, 3000, 2000, 1500, 1000, 500, 250, 100, 50)


def as_rng(random_state):
    """The random generator that ``random_state`` stands for.

    A legacy RandomState is used as given; anything else (None, an int, a
    Generator) goes through :func:`numpy.random.default_rng`, so the global
    numpy RNG is never read or advanced.
    """
    if isinstance(random_state, np.random.RandomState):
        return random_state
    return np.random.default_rng(random_state)


def _requested_counts(profile, classes, sizes, imbalance_ratio):
    """Map label -> requested number of rows (before ``scale``)."""
    n = len(classes)
    if isinstance(profile, str):
        if profile == "paper":
            if n > len(PAPER_COUNTS):
                raise ValueError(
                    f"the 'paper' profile has {len(PAPER_COUNTS)} counts but y has {n} classes"
                )
            return dict(zip(classes, PAPER_COUNTS[:n]))
        if profile in ("exp", "step"):
            top = sizes.min()  # the largest count every class can supply
            rank = np.arange(n)
            if profile == "exp":
                wanted = top * float(imbalance_ratio) ** (-rank / max(n - 1, 1))
            else:
                wanted = np.where(rank < n - n // 2, top, top / imbalance_ratio)
            return dict(zip(classes, wanted))
        raise ValueError(
            f"unknown profile {profile!r}; expected 'paper', 'exp', 'step', "
            "a sequence of counts or a {label: count} dict"
        )
    if isinstance(profile, Mapping):
        known = set(classes)
        unknown = [label for label in profile if label not in known]
        if unknown:
            raise ValueError(f"profile names labels {unknown} that are not in y")
        return dict(profile)
    wanted = list(profile)
    if len(wanted) != n:
        raise ValueError(f"profile has {len(wanted)} counts but y has {n} classes")
    return dict(zip(classes, wanted))


def make_imbalance(
    X, y, *, profile="paper", imbalance_ratio=100, n_classes=None, scale=1.0, random_state=None
):
    """Draw a class-imbalanced subset of a data set.

    Classes are ranked by sorted label: the first label gets the largest
    count. Rows of each class are drawn at random without replacement; the
    returned rows keep their original relative order.

    Parameters
    ----------
    X : array-like of shape (n_samples, ...)
        Samples of any rank, e.g. images (n, 28, 28) or features (n, d).
    y : array-like of shape (n_samples,)
        Class labels.
    profile : {"paper", "exp", "step"}, sequence of int or dict, default="paper"
        Rows to keep per class:

        - ``"paper"``: :data:`PAPER_COUNTS`, i.e. 5000, 4000, 3000, 2000,
          1500, 1000, 500, 250, 100, 50 (at most 10 classes);
        - ``"exp"``: exponential decay from the largest count every class
          can supply (the smallest class size) down to that count divided by
          ``imbalance_ratio``;
        - ``"step"``: the first ``n - n // 2`` classes keep that count, the
          other ``n // 2`` get it divided by ``imbalance_ratio``;
        - a sequence: one count per class, in sorted label order;
        - a dict ``{label: count}``: classes left out keep all their rows
          (and are not scaled).
    imbalance_ratio : float, default=100
        Ratio of the largest to the smallest count for ``"exp"`` and
        ``"step"``.
    n_classes : int, default=None
        Keep only the first ``n_classes`` labels in sorted order; the rows
        of the other classes are dropped. None keeps every class.
    scale : float, default=1.0
        Multiplies the requested counts (rounded, at least 1), e.g. to
        shrink the paper profile for a small data set.
    random_state : int, numpy Generator or RandomState, default=None
        Seed of the row selection. An int or None seeds a local
        :func:`numpy.random.default_rng`; the global numpy RNG is never used.

    Returns
    -------
    X_sub : ndarray of shape (n_kept, ...)
        The selected samples.
    y_sub : ndarray of shape (n_kept,)
        Their labels.

    Raises
    ------
    ValueError
        Unknown profile, invalid parameters, or a class with fewer rows than
        requested (the message names the class and both counts).

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_pgan.datasets import make_imbalance
    >>> X = np.zeros((300, 2)); y = np.repeat([0, 1, 2], 100)
    >>> X_sub, y_sub = make_imbalance(X, y, profile=[100, 40, 5], random_state=0)
    >>> np.bincount(y_sub)
    array([100,  40,   5])
    >>> _, y_sub = make_imbalance(X, y, profile="paper", scale=0.01, random_state=0)
    >>> np.bincount(y_sub)
    array([50, 40, 30])
    """
    X, y, classes, sizes = _checked(X, y, imbalance_ratio, n_classes, scale)
    requested = _requested_counts(profile, classes, sizes, imbalance_ratio)
    keep = _draw_rows(y, classes, sizes, requested, scale, as_rng(random_state))
    return X[keep], y[keep]


def _checked(X, y, imbalance_ratio, n_classes, scale):
    """X and y as arrays, and the labels kept (plain Python values) with their sizes."""
    X = np.asarray(X)
    y = np.asarray(y)
    if y.ndim != 1 or X.ndim == 0 or len(X) != len(y):
        raise ValueError(
            f"X and y must have the same number of rows and y must be 1-d, "
            f"got X {X.shape} and y {y.shape}"
        )
    if not scale > 0:
        raise ValueError(f"scale must be > 0, got {scale}")
    if not imbalance_ratio >= 1:
        raise ValueError(f"imbalance_ratio must be >= 1, got {imbalance_ratio}")
    classes, sizes = np.unique(y, return_counts=True)
    if n_classes is not None:
        if not 1 <= n_classes <= len(classes):
            raise ValueError(f"n_classes must be in [1, {len(classes)}], got {n_classes}")
        classes, sizes = classes[:n_classes], sizes[:n_classes]
    return X, y, classes.tolist(), sizes  # plain Python labels for dict keys and messages


def _draw_rows(y, classes, sizes, requested, scale, rng):
    """The sorted indices of the rows kept: each class's count drawn without replacement."""
    keep = []
    for label, size in zip(classes, sizes.tolist()):
        if label in requested:
            if not requested[label] > 0:
                raise ValueError(
                    f"class {label!r}: counts must be positive, got {requested[label]}"
                )
            count = max(1, int(round(requested[label] * scale)))
        else:
            count = size
        if count > size:
            raise ValueError(
                f"class {label!r} has {size} rows but the profile asks for {count}"
            )
        keep.append(rng.choice(np.flatnonzero(y == label), count, replace=False))
    return np.sort(np.concatenate(keep))
