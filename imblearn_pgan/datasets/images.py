"""Image data sets and the benchmark splits made from them.

* MNIST and Fashion-MNIST from their IDX files, found on disk or downloaded.
* ``.npz`` files of arrays ``X`` and ``y`` (and optionally ``X_test`` and
  ``y_test``), read without unpickling anything.
* The imbalanced train / balanced test splits of the benchmark, including
  scikit-learn's embedded 8x8 digits.
"""

import gzip
import math
import os
import struct
import zipfile
import zlib
from http.client import HTTPException
from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits
from sklearn.utils import Bunch

from . import _files
from .imbalance import as_rng, make_imbalance

# ---------------------------------------------------------------- IDX files

DEBIAN_PACKAGE = "dataset-fashion-mnist"

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


def _not_found_message(name, stems, searched, target, reason):
    source = _SOURCES[name]
    lines = [f"{source['title']} files {stems[0]}[.gz] and {stems[1]}[.gz] not found."]
    lines += ["Searched:"] + [f"  {d}" for d in searched]
    lines += [
        f"Put both files into one of these directories (e.g. {target}), or set "
        f"${_files.ENV_VAR} to a directory holding them (or its '{name}' subfolder).",
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
    searched = _files.search_dirs(name, data_home, _SYSTEM_DIRS[name])
    for directory in searched:
        paths = [_files.find_file(directory, stem) for stem in stems]
        if all(paths):
            break
    else:
        target = _files.default_data_home(data_home) / name
        if not download:
            reason = "not attempted (download=False)"
            raise DatasetNotFoundError(_not_found_message(name, stems, searched, target, reason))
        source, filenames = _SOURCES[name], [f"{stem}.gz" for stem in stems]
        try:
            paths = _files.download(source["url"], source["sha256"], filenames, target)
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
    env=_files.ENV_VAR, name="fashion-mnist", url=_SOURCES["fashion-mnist"]["url"],
    debian=f" (Debian package ``{DEBIAN_PACKAGE}``)", func="load_fashion_mnist",
)
load_mnist.__doc__ = _LOADER_DOC.format(
    title="MNIST", train_n="60k", test_n="10k", what="handwritten digit",
    env=_files.ENV_VAR, name="mnist", url=_SOURCES["mnist"]["url"], debian="",
    func="load_mnist",
)


# ----------------------------------------------------------- benchmark data

BENCHMARK_DATASETS = ("digits", "fashion-mnist", "mnist")

#: The paper profile shrunk for ``load_digits`` (about 143 training rows per
#: class once the test rows are held out); the smallest class keeps 6 rows so
#: that SMOTE with ``k_neighbors=5`` still works.
DIGITS_COUNTS = (140, 112, 84, 56, 42, 28, 14, 10, 8, 6)

# 35, not 40: digit 0 has only 178 rows and must keep 140 for training.
_DIGITS_TEST_PER_CLASS = 35


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


# The contract of .npz files, quoted by every message about one.
_NPZ_KEYS = ("X", "y", "X_test", "y_test")
_NPZ_ARRAYS = "'X' and 'y' (and optionally both 'X_test' and 'y_test')"
_NPZ_EXPECTED = (
    f"expected a NumPy .npz archive (as np.savez writes) of numeric arrays {_NPZ_ARRAYS}"
)
# np.load reads a file starting with these as an .npz archive; anything else
# as a .npy array or, if allowed, as a pickle.
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


def _read_npz(path):
    """The arrays ``X``, ``y``, ``X_test`` and ``y_test`` that an ``.npz`` file holds.

    Nothing is unpickled (that can run code): a file that is not a zip
    archive, a damaged archive, object arrays and members that are not
    ``.npy`` arrays raise a ValueError that names the file.
    """
    with open(path, "rb") as file:  # a missing file stays a FileNotFoundError
        magic = file.read(4)
    if magic not in _ZIP_MAGIC:
        raise ValueError(
            f"{path} is not an .npz archive (not a zip file); {_NPZ_EXPECTED}. "
            "Pickled data are refused for safety."
        )
    arrays = {}
    try:
        with np.load(path, allow_pickle=False) as data:
            for key in _NPZ_KEYS:
                if key in data.files:
                    arrays[key] = _npz_array(path, data, key)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise ValueError(
            f"{path} is a damaged or truncated .npz archive ({exc}); {_NPZ_EXPECTED}"
        ) from exc
    return arrays


def _npz_array(path, data, key):
    try:
        value = data[key]
    except ValueError as exc:
        # numpy refuses object arrays (stored pickled) with a ValueError that
        # only its message tells apart from a damaged array header.
        if "allow_pickle" in str(exc):
            raise ValueError(
                f"{path}: array {key!r} holds Python objects (dtype=object), which only "
                f"unpickling could read; pickled data are refused for safety; {_NPZ_EXPECTED}"
            ) from exc
        raise ValueError(f"{path}: array {key!r} is damaged ({exc}); {_NPZ_EXPECTED}") from exc
    if not isinstance(value, np.ndarray):  # np.load returns other members as bytes
        raise ValueError(f"{path}: {key!r} is not a .npy array; {_NPZ_EXPECTED}")
    return value


def _load_npz(path, rng):
    arrays = _read_npz(path)
    missing = {"X", "y"} - set(arrays)
    if missing:
        raise ValueError(f"{path}: missing array(s) {sorted(missing)}; expected {_NPZ_ARRAYS}")
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
        Unknown name, or an ``.npz`` file that is not a zip archive of
        ``.npy`` arrays (as :func:`numpy.savez` writes), is damaged, holds
        object arrays (they would need unpickling, which is refused for
        safety) or lacks the required arrays; the message names the file.

    Examples
    --------
    >>> from imblearn_pgan.datasets import load_benchmark_data
    >>> data = load_benchmark_data("digits", random_state=0)
    >>> data.X_train.shape, data.images_train.shape, data.X_test.shape
    ((500, 64), (500, 8, 8), (350, 64))
    """
    rng = as_rng(random_state)
    if name == "digits":
        images_train, y_train, images_test, y_test = _digits_splits(profile, rng)
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
        raise ValueError(f"unknown benchmark data {name!r}; expected one of "
                         f"{BENCHMARK_DATASETS} or the path of an .npz file")
    return _benchmark_bunch(
        name,
        _flatten(images_train, dtype),
        y_train,
        _flatten(images_test, dtype),
        y_test,
        images_train,
        images_test,
    )


def _digits_splits(profile, rng):
    """digits' imbalanced training images and labels, then its balanced test split."""
    digits = load_digits()
    images = digits.images / 16.0
    y = digits.target.astype(np.int64)
    train, test = _balanced_split(y, _DIGITS_TEST_PER_CLASS, rng)
    counts = DIGITS_COUNTS if isinstance(profile, str) and profile == "paper" else profile
    images_train, y_train = make_imbalance(images[train], y[train], profile=counts,
                                           random_state=rng)
    return images_train, y_train, images[test], y[test]


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


