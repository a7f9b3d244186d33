import gzip
import hashlib
import io
import pickle
import struct
import zipfile
from pathlib import Path
from urllib.error import URLError

import numpy as np
import pytest
from sklearn.datasets import load_digits

from imblearn_pgan.datasets import (
    DIGITS_COUNTS,
    PAPER_COUNTS,
    DatasetNotFoundError,
    load_benchmark_data,
    load_default_benchmark_data,
    load_fashion_mnist,
    load_mnist,
    make_imbalance,
)
from imblearn_pgan.datasets import _files
from imblearn_pgan.datasets import images as images_module

DEBIAN_DIR = Path("/usr/share/datasets/fashion-mnist")
STEMS = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}


def idx_bytes(array, magic=None):
    array = np.asarray(array, dtype=np.uint8)
    magic = 0x800 + array.ndim if magic is None else magic
    dims = struct.pack(f">{array.ndim}I", *array.shape)
    return struct.pack(">I", magic) + dims + array.tobytes()


def tiny_set(n=12, seed=0):
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
    labels = np.arange(n) % 10
    return images, labels


def write_set(directory, subset="train", gz=True, images=None, labels=None, seed=0):
    """Write an IDX image/label pair; return (images, labels, image path, label path)."""
    directory.mkdir(parents=True, exist_ok=True)
    if images is None:
        images, labels = tiny_set(seed=seed)
    paths = []
    for stem, array in zip(STEMS[subset], (images, labels)):
        payload = idx_bytes(array)
        path = directory / (stem + (".gz" if gz else ""))
        path.write_bytes(gzip.compress(payload) if gz else payload)
        paths.append(path)
    return images, labels, *paths


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """No user cache, no env var, and no network for every test."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("IMBLEARN_PGAN_DATA", raising=False)

    def no_network(url, timeout=None):
        raise URLError("network disabled in tests")

    monkeypatch.setattr(_files, "urlopen", no_network)


@pytest.fixture
def no_system_copies(monkeypatch):
    monkeypatch.setitem(images_module._SYSTEM_DIRS, "fashion-mnist", ())
    monkeypatch.setitem(images_module._SYSTEM_DIRS, "mnist", ())


# ----------------------------------------------------------------- IDX files


@pytest.mark.parametrize("loader", [load_fashion_mnist, load_mnist])
@pytest.mark.parametrize("subset", ["train", "test"])
@pytest.mark.parametrize("gz", [True, False])
def test_idx_round_trip(tmp_path, loader, subset, gz):
    images, labels, *_ = write_set(tmp_path, subset, gz=gz)
    X, y = loader(subset=subset, data_home=tmp_path, download=False)
    assert X.dtype == np.uint8 and X.shape == (12, 28, 28)
    assert y.dtype == np.int64 and y.shape == (12,)
    np.testing.assert_array_equal(X, images)
    np.testing.assert_array_equal(y, labels)
    X[0, 0, 0] = 1  # the arrays are writable copies


def test_dataset_subfolder_and_bunch(tmp_path):
    images, labels, image_path, label_path = write_set(tmp_path / "fashion-mnist")
    bunch = load_fashion_mnist(data_home=tmp_path, return_X_y=False)
    np.testing.assert_array_equal(bunch.images, images)
    np.testing.assert_array_equal(bunch.data, images.reshape(12, 784))
    np.testing.assert_array_equal(bunch.target, labels)
    assert bunch.target_names[0] == "T-shirt/top" and len(bunch.target_names) == 10
    assert bunch.filenames == [str(image_path), str(label_path)]


def test_env_var_lookup(tmp_path, monkeypatch, no_system_copies):
    images, _, *_ = write_set(tmp_path / "env" / "mnist", "test")
    monkeypatch.setenv("IMBLEARN_PGAN_DATA", str(tmp_path / "env"))
    X, _ = load_mnist(subset="test", download=False)
    np.testing.assert_array_equal(X, images)


def test_data_home_searched_before_env_var_and_cache(tmp_path, monkeypatch):
    expected, _, *_ = write_set(tmp_path / "explicit", seed=1)
    write_set(tmp_path / "env", seed=2)
    write_set(tmp_path / "home" / ".cache" / "imblearn_pgan", seed=3)
    monkeypatch.setenv("IMBLEARN_PGAN_DATA", str(tmp_path / "env"))
    X, _ = load_fashion_mnist(data_home=tmp_path / "explicit")
    np.testing.assert_array_equal(X, expected)


def test_user_cache_lookup(tmp_path, no_system_copies):
    expected, _, *_ = write_set(tmp_path / "home" / ".cache" / "imblearn_pgan" / "fashion-mnist")
    X, _ = load_fashion_mnist(download=False)
    np.testing.assert_array_equal(X, expected)


def test_bad_subset(tmp_path):
    with pytest.raises(ValueError, match="subset"):
        load_fashion_mnist(subset="valid", data_home=tmp_path)


def _corrupt(images_path, labels_path, kind):
    """Damage one file of a raw (non-gzip) pair; return the damaged path."""
    images = images_path.read_bytes()
    if kind == "magic":
        images_path.write_bytes(struct.pack(">I", 0x00000801) + images[4:])
    elif kind == "truncated":
        images_path.write_bytes(images[:-7])
    elif kind == "trailing":
        images_path.write_bytes(images + b"\0")
    elif kind == "header":
        labels_path.write_bytes(labels_path.read_bytes()[:6])
        return labels_path
    elif kind == "dims":
        images_path.write_bytes(idx_bytes(np.zeros((12, 27, 29))))
    elif kind == "count":
        labels_path.write_bytes(idx_bytes(np.zeros(11)))
    elif kind == "label_range":
        labels_path.write_bytes(idx_bytes(np.full(12, 10)))
        return labels_path
    return images_path


@pytest.mark.parametrize(
    "kind, message",
    [
        ("magic", "bad magic number"),
        ("truncated", "payload has"),
        ("trailing", "payload has"),
        ("header", "too short"),
        ("dims", "expected \\(28, 28\\)"),
        ("count", "12 images .* 11 labels"),
        ("label_range", "outside 0..9"),
    ],
)
def test_corrupt_raw_files(tmp_path, kind, message):
    _, _, images_path, labels_path = write_set(tmp_path, gz=False)
    bad = _corrupt(images_path, labels_path, kind)
    with pytest.raises(ValueError, match=message) as info:
        load_fashion_mnist(data_home=tmp_path, download=False)
    assert str(bad) in str(info.value)


@pytest.mark.parametrize("damage", [lambda b: b"not gzip" + b, lambda b: b[: len(b) // 2]])
def test_corrupt_gzip(tmp_path, damage):
    _, _, images_path, _ = write_set(tmp_path, gz=True)
    images_path.write_bytes(damage(images_path.read_bytes()))
    with pytest.raises(ValueError, match="gzip") as info:
        load_fashion_mnist(data_home=tmp_path, download=False)
    assert str(images_path) in str(info.value)


def test_labels_magic_checked(tmp_path):
    _, _, _, labels_path = write_set(tmp_path, gz=True)
    labels_path.write_bytes(gzip.compress(idx_bytes(np.zeros(12), magic=0x00000803)))
    with pytest.raises(ValueError, match="0x00000801") as info:
        load_fashion_mnist(data_home=tmp_path)
    assert str(labels_path) in str(info.value)


# ------------------------------------------------------- missing / download


def _assert_helpful(message, tmp_path, name):
    for directory in [
        tmp_path / "data" / name,
        tmp_path / "data",
        tmp_path / "env" / name,
        tmp_path / "env",
        tmp_path / "home" / ".cache" / "imblearn_pgan" / name,
        tmp_path / "home" / ".cache" / "imblearn_pgan",
    ]:
        assert f"  {directory}\n" in message
    assert "IMBLEARN_PGAN_DATA" in message
    assert "dataset-fashion-mnist" in message
    assert "train-images-idx3-ubyte" in message


@pytest.mark.parametrize(
    "name, loader", [("fashion-mnist", load_fashion_mnist), ("mnist", load_mnist)]
)
def test_missing_files_without_download(tmp_path, monkeypatch, no_system_copies, name, loader):
    monkeypatch.setenv("IMBLEARN_PGAN_DATA", str(tmp_path / "env"))
    with pytest.raises(DatasetNotFoundError) as info:
        loader(data_home=tmp_path / "data", download=False)
    assert isinstance(info.value, FileNotFoundError)
    _assert_helpful(str(info.value), tmp_path, name)
    assert "download=False" in str(info.value)


def test_missing_files_offline(tmp_path, monkeypatch, no_system_copies):
    monkeypatch.setenv("IMBLEARN_PGAN_DATA", str(tmp_path / "env"))
    with pytest.raises(DatasetNotFoundError, match="network disabled") as info:
        load_fashion_mnist(data_home=tmp_path / "data")
    _assert_helpful(str(info.value), tmp_path, "fashion-mnist")
    assert "/usr/share/datasets/fashion-mnist" in str(info.value)
    assert isinstance(info.value.__cause__, URLError)
    assert not list((tmp_path / "data" / "fashion-mnist").iterdir())  # no partial files


def _serve(monkeypatch, files, requests):
    """Make _files.urlopen serve ``files`` (file name -> bytes)."""

    def fake_urlopen(url, timeout=None):
        requests.append((url, timeout))
        return io.BytesIO(files[url.rsplit("/", 1)[1]])

    monkeypatch.setattr(_files, "urlopen", fake_urlopen)


def test_download_verified(tmp_path, monkeypatch, no_system_copies):
    images, labels = tiny_set()
    files = {
        "t10k-images-idx3-ubyte.gz": gzip.compress(idx_bytes(images)),
        "t10k-labels-idx1-ubyte.gz": gzip.compress(idx_bytes(labels)),
    }
    for filename, content in files.items():
        digest = hashlib.sha256(content).hexdigest()
        monkeypatch.setitem(images_module._SOURCES["fashion-mnist"]["sha256"], filename, digest)
    requests = []
    _serve(monkeypatch, files, requests)

    X, y = load_fashion_mnist(subset="test", data_home=tmp_path)
    np.testing.assert_array_equal(X, images)
    np.testing.assert_array_equal(y, labels)
    assert sorted(p.name for p in (tmp_path / "fashion-mnist").iterdir()) == sorted(files)
    assert [url for url, _ in requests] == [
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/" + f for f in files
    ]
    assert all(0 < timeout <= 10 for _, timeout in requests)

    requests.clear()  # a second call uses the downloaded copy
    load_fashion_mnist(subset="test", data_home=tmp_path)
    assert requests == []


def test_download_sha_mismatch(tmp_path, monkeypatch, no_system_copies):
    images, labels = tiny_set()
    files = {
        "train-images-idx3-ubyte.gz": gzip.compress(idx_bytes(images)),
        "train-labels-idx1-ubyte.gz": gzip.compress(idx_bytes(labels)),
    }
    _serve(monkeypatch, files, [])
    with pytest.raises(ValueError, match="SHA-256 mismatch") as info:
        load_mnist(data_home=tmp_path)
    assert "train-images-idx3-ubyte.gz" in str(info.value)
    assert list((tmp_path / "mnist").iterdir()) == []  # nothing left behind


def test_official_checksums_are_well_formed():
    for source in images_module._SOURCES.values():
        expected = sorted(f"{stem}.gz" for pair in STEMS.values() for stem in pair)
        assert sorted(source["sha256"]) == expected
        for digest in source["sha256"].values():
            assert len(digest) == 64 and int(digest, 16) >= 0


@pytest.mark.skipif(
    not (DEBIAN_DIR / "train-images-idx3-ubyte.gz").is_file(),
    reason="Fashion-MNIST not installed; run `apt-get install dataset-fashion-mnist`",
)
def test_real_fashion_mnist_from_debian_package():
    X, y = load_fashion_mnist(subset="train", download=False)
    assert X.shape == (60000, 28, 28) and X.dtype == np.uint8
    assert y.shape == (60000,) and y.dtype == np.int64
    np.testing.assert_array_equal(np.bincount(y), [6000] * 10)
    X, y = load_fashion_mnist(subset="test", download=False)
    assert X.shape == (10000, 28, 28) and X.dtype == np.uint8
    np.testing.assert_array_equal(np.bincount(y), [1000] * 10)


# -------------------------------------------------------------- imbalance


def balanced(n_per_class, n_classes=10, shape=(2,)):
    y = np.repeat(np.arange(n_classes), n_per_class)
    X = np.arange(len(y) * int(np.prod(shape)), dtype=float).reshape(len(y), *shape)
    return X, y


def test_paper_profile_exact_counts():
    X, y = balanced(5000, shape=(1,))
    X_sub, y_sub = make_imbalance(X, y, profile="paper", random_state=0)
    np.testing.assert_array_equal(np.bincount(y_sub), PAPER_COUNTS)
    # rows stay paired with their labels and keep the original order
    np.testing.assert_array_equal(y[X_sub[:, 0].astype(int)], y_sub)
    assert np.all(np.diff(X_sub[:, 0]) > 0)


def test_scale_and_image_rank():
    X, y = balanced(60, shape=(28, 28))
    X_sub, y_sub = make_imbalance(X, y, scale=0.01, random_state=0)
    assert X_sub.shape[1:] == (28, 28)
    np.testing.assert_array_equal(np.bincount(y_sub), [50, 40, 30, 20, 15, 10, 5, 2, 1, 1])


def test_deterministic_for_a_seed():
    X, y = balanced(100)
    a = make_imbalance(X, y, profile="exp", random_state=3)
    b = make_imbalance(X, y, profile="exp", random_state=3)
    c = make_imbalance(X, y, profile="exp", random_state=4)
    np.testing.assert_array_equal(a[0], b[0])
    assert not np.array_equal(a[0], c[0])


@pytest.mark.parametrize("random_state", [None, 0, np.random.default_rng(0)])
def test_global_rng_untouched(random_state):
    X, y = balanced(100)
    before = np.random.get_state()
    make_imbalance(X, y, profile="step", random_state=random_state)
    after = np.random.get_state()
    assert before[0] == after[0] and before[2:] == after[2:]
    np.testing.assert_array_equal(before[1], after[1])


def test_exp_profile():
    X, y = balanced(200)
    _, y_sub = make_imbalance(X, y, profile="exp", imbalance_ratio=20, random_state=0)
    counts = np.bincount(y_sub)
    assert counts[0] == 200 and counts[-1] == 10
    assert np.all(np.diff(counts) < 0)


def test_step_profile():
    X, y = balanced(200)
    _, y_sub = make_imbalance(X, y, profile="step", imbalance_ratio=20, random_state=0)
    np.testing.assert_array_equal(np.bincount(y_sub), [200] * 5 + [10] * 5)


def test_explicit_profiles_and_n_classes():
    X, y = balanced(50, n_classes=3)
    _, y_sub = make_imbalance(X, y, profile=[50, 20, 5], random_state=0)
    np.testing.assert_array_equal(np.bincount(y_sub), [50, 20, 5])
    _, y_sub = make_imbalance(X, y, profile={2: 3}, random_state=0)
    np.testing.assert_array_equal(np.bincount(y_sub), [50, 50, 3])
    _, y_sub = make_imbalance(X, y, profile="paper", n_classes=2, scale=0.005, random_state=0)
    np.testing.assert_array_equal(np.bincount(y_sub), [25, 20])
    y_str = np.array(["b", "a", "c"])[y]
    _, y_sub = make_imbalance(X, y_str, profile={"c": 4}, random_state=0)
    assert (y_sub == "c").sum() == 4 and (y_sub == "a").sum() == 50


def test_too_few_rows():
    X, y = balanced(1000)
    with pytest.raises(ValueError, match="class 0 has 1000 rows but the profile asks for 5000"):
        make_imbalance(X, y, profile="paper")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"profile": "zipf"}, "unknown profile 'zipf'"),
        ({"profile": [1, 2]}, "2 counts but y has 3 classes"),
        ({"profile": {7: 1}}, "not in y"),
        ({"profile": [3, 0, 1]}, "positive"),
        ({"scale": 0}, "scale"),
        ({"imbalance_ratio": 0.5}, "imbalance_ratio"),
        ({"n_classes": 4}, "n_classes"),
    ],
)
def test_invalid_arguments(kwargs, message):
    X, y = balanced(10, n_classes=3)
    with pytest.raises(ValueError, match=message):
        make_imbalance(X, y, **kwargs)


def test_length_mismatch():
    with pytest.raises(ValueError, match="same number of rows"):
        make_imbalance(np.zeros((5, 2)), np.zeros(4))


# ---------------------------------------------------------- benchmark data


def test_default_benchmark_data():
    data = load_default_benchmark_data(random_state=0)
    assert data.X_train.shape == (500, 64) and data.X_test.shape == (350, 64)
    assert data.images_train.shape == (500, 8, 8) and data.images_test.shape == (350, 8, 8)
    assert data.X_train.dtype == np.float64 and data.y_train.dtype == np.int64
    assert 0 <= data.X_train.min() and data.X_train.max() <= 1
    np.testing.assert_array_equal(data.images_train.reshape(500, 64), data.X_train)
    np.testing.assert_array_equal(np.bincount(data.y_train), DIGITS_COUNTS)
    np.testing.assert_array_equal(np.bincount(data.y_test), [35] * 10)
    assert min(DIGITS_COUNTS) >= 6  # SMOTE with k_neighbors=5 needs 6 rows

    # disjoint, and every row is a real digit with its own label (digits rows are unique)
    digits = load_digits()
    lookup = {row.tobytes(): label for row, label in zip(digits.data / 16.0, digits.target)}
    train = [row.tobytes() for row in data.X_train]
    test = [row.tobytes() for row in data.X_test]
    assert not set(train) & set(test)
    assert [lookup[row] for row in train] == data.y_train.tolist()
    assert [lookup[row] for row in test] == data.y_test.tolist()


def test_default_benchmark_data_is_seeded():
    a, b = load_default_benchmark_data(random_state=1), load_default_benchmark_data(random_state=1)
    np.testing.assert_array_equal(a.X_train, b.X_train)
    assert not np.array_equal(a.X_train, load_default_benchmark_data(random_state=2).X_train)
    digits = load_benchmark_data("digits", random_state=1)
    np.testing.assert_array_equal(a.X_test, digits.X_test)


def test_benchmark_data_mnist_style(tmp_path):
    train_images, _ = tiny_set(n=60, seed=0)
    write_set(tmp_path / "mnist", "train", images=train_images, labels=np.arange(60) % 10)
    test_images, test_labels, *_ = write_set(tmp_path / "mnist", "test", seed=1)
    data = load_benchmark_data(
        "mnist", profile=[6, 5, 4, 3, 2, 2, 1, 1, 1, 1], data_home=tmp_path, download=False
    )
    np.testing.assert_array_equal(np.bincount(data.y_train), [6, 5, 4, 3, 2, 2, 1, 1, 1, 1])
    assert data.images_train.dtype == np.uint8 and data.images_train.shape == (26, 28, 28)
    assert data.X_train.dtype == np.float32 and data.X_train.shape == (26, 784)
    np.testing.assert_allclose(data.X_test, test_images.reshape(12, 784) / 255, rtol=1e-6)
    np.testing.assert_array_equal(data.images_test, test_images)
    np.testing.assert_array_equal(data.y_test, test_labels)


def test_benchmark_data_npz(tmp_path):
    X, y = balanced(20, n_classes=3, shape=(4,))
    path = tmp_path / "tab.npz"
    np.savez(path, X=X, y=y)
    data = load_benchmark_data(path)
    np.testing.assert_array_equal(np.bincount(data.y_test), [4, 4, 4])
    assert data.X_train.shape == (48, 4) and data.images_train is None
    assert not set(map(bytes, data.X_train)) & set(map(bytes, data.X_test))

    images = np.arange(30 * 9, dtype=np.uint8).reshape(30, 3, 3)
    path = tmp_path / "img.npz"
    np.savez(path, X=images, y=np.arange(30) % 3, X_test=images[:3], y_test=np.arange(3))
    data = load_benchmark_data(str(path))
    assert data.images_train.shape == (30, 3, 3) and data.X_train.shape == (30, 9)
    np.testing.assert_allclose(data.X_test, images[:3].reshape(3, 9) / 255)


@pytest.mark.parametrize(
    "arrays, message",
    [
        ({"X": np.zeros((4, 2))}, "missing array\\(s\\) \\['y'\\]"),
        ({"X": np.zeros((4, 2)), "y": np.zeros(4), "X_test": np.zeros((2, 2))}, "together"),
        ({"X": np.zeros((4, 2)), "y": np.zeros(3)}, "shapes"),
    ],
)
def test_benchmark_data_bad_npz(tmp_path, arrays, message):
    path = tmp_path / "bad.npz"
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match=message) as info:
        load_benchmark_data(path)
    assert str(path) in str(info.value)


# The contract that every .npz error message states.
NPZ_CONTRACT = "numeric arrays 'X' and 'y' (and optionally both 'X_test' and 'y_test')"


@pytest.mark.parametrize("object_key", ["X", "y_test"])
def test_benchmark_data_npz_object_array_refused(tmp_path, object_key):
    arrays = {"X": np.zeros((4, 2)), "y": np.arange(4), "X_test": np.zeros((2, 2)),
              "y_test": np.arange(2)}
    arrays[object_key] = arrays[object_key].astype(object)  # np.savez pickles it
    path = tmp_path / "objects.npz"
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match="refused for safety") as info:
        load_benchmark_data(path)
    message = str(info.value)
    assert str(path) in message and f"array {object_key!r} holds Python objects" in message
    assert NPZ_CONTRACT in message and "allow_pickle" not in message


def _npy_bytes(array):
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def _zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        b"X,y\n1,0\n",  # e.g. a CSV file
        pickle.dumps({"X": np.zeros((4, 2)), "y": np.arange(4)}),
        _npy_bytes(np.zeros((4, 2))),  # a single .npy array
        b"",
    ],
    ids=["text", "pickle", "npy", "empty"],
)
def test_benchmark_data_npz_not_an_archive(tmp_path, content):
    path = tmp_path / "data.npz"
    path.write_bytes(content)
    with pytest.raises(ValueError, match="is not an .npz archive") as info:
        load_benchmark_data(path)
    message = str(info.value)
    assert str(path) in message and NPZ_CONTRACT in message
    assert "refused for safety" in message and "allow_pickle" not in message


GOOD_NPZ = _zip({"X.npy": _npy_bytes(np.zeros((4, 2))), "y.npy": _npy_bytes(np.arange(4))})


@pytest.mark.parametrize(
    "content, message",
    [
        (GOOD_NPZ[:-30], "damaged or truncated"),
        # y's last bytes overwritten in place: the member's CRC-32 fails
        (GOOD_NPZ.replace(np.arange(4).tobytes()[-8:], b"\xff" * 8), "damaged or truncated"),
        (_zip({"X.npy": b"not an array", "y.npy": _npy_bytes(np.arange(4))}),
         "'X' is not a .npy array"),
    ],
    ids=["truncated", "bad-crc", "not-npy"],
)
def test_benchmark_data_npz_damaged(tmp_path, content, message):
    path = tmp_path / "data.npz"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=message) as info:
        load_benchmark_data(path)
    assert str(path) in str(info.value) and NPZ_CONTRACT in str(info.value)


def test_benchmark_data_npz_reads_only_its_arrays(tmp_path):
    path = tmp_path / "extra.npz"
    np.savez(path, X=np.zeros((20, 2)), y=np.arange(20) % 2, notes=np.array(["x"], dtype=object))
    assert load_benchmark_data(path).X_train.shape == (16, 2)


def test_benchmark_data_npz_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_benchmark_data(tmp_path / "absent.npz")


def test_benchmark_data_unknown_name():
    with pytest.raises(ValueError, match="unknown benchmark data 'cifar'"):
        load_benchmark_data("cifar")
