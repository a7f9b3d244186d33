"""Data larger than memory: ``fit_resample`` on Dask arrays and data frames.

The GAN samplers learn from minibatches, and each synthetic row of P-GAN
needs only its own few anchors, so neither training nor generation needs X
in memory. One pass over the chunks (:func:`scan`) counts the classes,
computes the columns' statistics, checks every value, and keeps a uniform
random sample of at most ``TRAINING_ROWS_PER_CLASS`` rows of each class (the
bottom keys of a seeded random key per row), as an in-memory fit does for classes
of more rows. The networks train on that sample, and
the anchors are drawn from it. The output is lazy: the input's own chunks,
followed by synthetic chunks that the fitted sampler generates when they are
computed, each from a seed of its own.
"""

import numpy as np

from ._core import TRAINING_ROWS_PER_CLASS, row_chunks

__all__ = ["as_dask_arrays", "is_dask_collection", "scan", "synthetic_block"]

#: Summaries merged at once by the tree reduction of :func:`scan`: pairs, so
#: that a merge holds at most three class samples.
_SPLIT_EVERY = 2


def is_dask_collection(X):
    """Whether ``X`` is a Dask collection (without importing Dask when it is not loaded)."""
    import sys

    if "dask" not in sys.modules:
        return False
    import dask

    return dask.is_dask_collection(X)


def as_dask_arrays(X, y, name):
    """``X`` as a 2-D float Dask array chunked by rows only, ``y`` as a 1-D one aligned to it.

    Returns the arrays and the columns of a Dask data frame (None for an array).
    """
    import dask.array as da

    columns = None
    if hasattr(X, "columns") and hasattr(X, "to_dask_array"):
        columns = X.columns
        X = X.to_dask_array(lengths=True)
    if not isinstance(X, da.Array):
        raise TypeError(f"{name} takes a Dask array or data frame as X; got {type(X).__name__}.")
    if X.ndim != 2:
        raise ValueError(f"{name} needs a 2-D X; the Dask array has shape {X.shape}.")
    if any(np.isnan(c) for c in X.chunks[0]):
        raise ValueError(
            f"{name} needs known chunk sizes along the rows; call X.compute_chunk_sizes() "
            "first (or to_dask_array(lengths=True) on a data frame).")
    if not np.issubdtype(X.dtype, np.floating) and not np.issubdtype(X.dtype, np.integer):
        raise ValueError(f"{name} takes numeric Dask input only; X has dtype {X.dtype}.")
    if not isinstance(X._meta, np.ndarray):
        raise TypeError(f"{name} takes dense Dask arrays only; the chunks are "
                        f"{type(X._meta).__name__}.")
    if hasattr(y, "to_dask_array"):
        y = y.to_dask_array(lengths=True)
    if not isinstance(y, da.Array):
        y = np.asarray(y)
        if y.ndim != 1 or len(y) != X.shape[0]:
            raise ValueError(f"y must be 1-D with as many rows as X ({X.shape[0]}); "
                             f"got shape {y.shape}.")
        y = da.from_array(y, chunks=(X.chunks[0],))
    if y.ndim != 1 or y.shape[0] != X.shape[0] or any(np.isnan(c) for c in y.chunks[0]):
        raise ValueError(f"y must be a 1-D Dask array of known chunks with as many rows as X "
                         f"({X.shape[0]}); got shape {y.shape}.")
    X = X.rechunk({1: -1})
    if not np.issubdtype(X.dtype, np.floating):
        X = X.astype(np.float64)  # as the in-memory path: convex mixes are not integers
    y = y.rechunk((X.chunks[0],))
    return X, y, columns


def _smallest_keys(keys, rows, k):
    """The ``k`` rows with the smallest keys (all when there are fewer)."""
    if len(keys) <= k:
        return keys, rows
    keep = np.argpartition(keys, k - 1)[:k]
    return keys[keep], rows[keep]


def _scan_block(x, y, index, start, seed, per_class, name):
    """One chunk's summary: classes, counts, column statistics and its sample.

    The sample keeps, per class, the rows with the ``per_class`` smallest
    random keys; merging keeps the smallest keys again, so the final sample
    is uniform within each class whatever the chunking.
    """
    from sklearn.utils.multiclass import type_of_target

    x = np.asarray(x)
    y = np.asarray(y)
    if not np.isfinite(x).all():
        bad = np.flatnonzero(~np.isfinite(x).all(axis=1))
        raise ValueError(
            f"{name} got NaN or infinite values in chunk {index} (rows {start} to "
            f"{start + len(x) - 1}; first at row {start + bad[0]}): impute them first.")
    if len(y) and type_of_target(y) not in ("binary", "multiclass"):
        raise ValueError(f"{name} needs class labels; chunk {index} of y holds "
                         f"{type_of_target(y)} values.")
    keys = np.random.default_rng([seed, index]).random(len(x))
    labels, y_index = np.unique(y, return_inverse=True)
    sample, counts = {}, {}
    for k, label in enumerate(labels):
        rows = np.flatnonzero(y_index == k)
        counts[label] = len(rows)
        kept, rows = _smallest_keys(keys[rows], rows, per_class)
        sample[label] = (kept, x[rows])
    # In units of the chunk's largest value, a row piece at a time: no float64
    # copy of the chunk, and no overflow in the squares.
    peak = np.abs(x).max(axis=0).astype(np.float64) if len(x) else np.zeros(x.shape[1])
    safe = np.where(peak > 0, peak, 1.0)
    pieces = row_chunks(len(x))
    mean = sum(np.sum(x[c] / safe, axis=0) for c in pieces) / max(len(x), 1)
    m2 = sum(np.sum((x[c] / safe - mean) ** 2, axis=0) for c in pieces)
    return {"counts": counts, "sample": sample, "n": len(x),
            "mean": mean * safe, "m2": m2 * safe**2, "per_class": per_class}


def _merge(*parts):
    """Two or more summaries as one (Chan et al.'s pairwise mean and variance)."""
    out = parts[0]
    for part in parts[1:]:
        counts = dict(out["counts"])
        for label, n in part["counts"].items():
            counts[label] = counts.get(label, 0) + n
        sample = dict(out["sample"])
        for label, (keys, rows) in part["sample"].items():
            if label in sample:
                keys, rows = _smallest_keys(np.concatenate([sample[label][0], keys]),
                                            np.concatenate([sample[label][1], rows]),
                                            out["per_class"])
            sample[label] = (keys, rows)
        n = out["n"] + part["n"]
        if n == 0:
            continue
        delta = part["mean"] - out["mean"]
        mean = out["mean"] + delta * (part["n"] / n)
        m2 = out["m2"] + part["m2"] + delta**2 * (out["n"] * part["n"] / n)
        out = {"counts": counts, "sample": sample, "n": n, "mean": mean, "m2": m2,
               "per_class": out["per_class"]}
    return out


def scan(X, y, seed, name, per_class=TRAINING_ROWS_PER_CLASS):
    """One pass over the chunks: class counts, column mean and scale, and a class-wise sample.

    Parameters
    ----------
    X, y : dask.array.Array
        From :func:`as_dask_arrays`.
    seed : int
        Seeds each chunk's random keys (with the chunk's index), so the
        sample depends on the chunking and the seed only.
    name : str
        The estimator named in errors.
    per_class : int, default=TRAINING_ROWS_PER_CLASS
        Rows of each class kept.

    Returns
    -------
    classes : ndarray
        Sorted class labels.
    counts : ndarray of int
        Rows of each class in the whole data.
    mean, scale : ndarray of shape (n_features,)
        Column statistics of the whole data (scale 1 for constant columns).
    X_sample : ndarray
        The sampled rows, in X's dtype, sorted by class then key.
    y_sample : ndarray
        Their labels.

    Raises
    ------
    ValueError
        NaN or infinite values in a chunk (named with its rows), non-class
        labels, or a single class.
    """
    import dask

    blocks = X.to_delayed().ravel()
    labels = y.to_delayed().ravel()
    starts = np.r_[0, np.cumsum(X.chunks[0])[:-1]]
    parts = [dask.delayed(_scan_block)(b, t, i, int(s), seed, per_class, name)
             for i, (b, t, s) in enumerate(zip(blocks, labels, starts))]
    while len(parts) > 1:
        parts = [dask.delayed(_merge)(*parts[i:i + _SPLIT_EVERY])
                 for i in range(0, len(parts), _SPLIT_EVERY)]
    summary = parts[0].compute()
    classes = np.array(sorted(summary["counts"]))
    if len(classes) < 2:
        raise ValueError(f"{name} needs at least two classes in y; got {len(classes)}.")
    counts = np.array([summary["counts"][c] for c in classes])
    scale = np.sqrt(summary["m2"] / summary["n"])
    X_sample, y_sample = [], []
    for label in classes:
        keys, rows = summary["sample"][label]
        order = np.argsort(keys, kind="stable")
        X_sample.append(rows[order])
        y_sample.append(np.full(len(rows), label))
    return (classes, counts, summary["mean"], np.where(scale > 0, scale, 1.0),
            np.concatenate(X_sample), np.concatenate(y_sample))


def synthetic_block(sampler, class_index, n, seed, dtype):
    """``n`` rows of one class from a fitted sampler: one lazy chunk of the output."""
    from ._core import make_generator, torch_threads

    out = np.empty((n, sampler.n_features_in_), dtype=dtype)
    with torch_threads(sampler._threads("generation")):
        sampler._generate_rows(sampler.model_, class_index, n, make_generator(seed, "cpu"), out)
    return out
