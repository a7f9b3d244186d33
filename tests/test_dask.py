"""fit_resample on Dask collections: lazy output, one pass over the chunks, a real cluster."""

import sys

import numpy as np
import pytest

da = pytest.importorskip("dask.array")
import dask  # noqa: E402

from imblearn_pgan._core import TRAINING_ROWS_PER_CLASS  # noqa: E402

from .conftest import FAST, in_convex_hull, make_pgan  # noqa: E402

SYNC = {"scheduler": "synchronous"}


@pytest.fixture
def chunked():
    """3,000 rows in 6 chunks, two Gaussian classes, 10 % minority."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3000, 4))
    y = (rng.random(3000) < 0.1).astype(np.int64)
    X[y == 1] += 2.0
    return X, y, da.from_array(X, chunks=(500, 2)), da.from_array(y, chunks=500)


def test_dask_in_dask_out_originals_first(chunked):
    X, y, Xd, yd = chunked
    s = make_pgan(random_state=0, **FAST)
    X_res, y_res = s.fit_resample(Xd, yd)
    assert isinstance(X_res, da.Array) and isinstance(y_res, da.Array)
    n_new = int((y == 0).sum() - (y == 1).sum())
    assert X_res.shape == (3000 + n_new, 4) and y_res.shape == (3000 + n_new,)
    # The original chunks come first, untouched: the same graph keys as the input's.
    assert X_res.chunks[0][:6] == Xd.chunks[0]
    with dask.config.set(SYNC):
        out, labels = X_res.compute(), y_res.compute()
    np.testing.assert_array_equal(out[:3000], X)
    np.testing.assert_array_equal(labels[:3000], y)
    assert (labels[3000:] == 1).all() and np.isfinite(out).all()
    assert in_convex_hull(out[3000:], X[y == 1]).all()
    assert s.sampling_strategy_ == {1: n_new} and s.n_features_in_ == 4
    assert s.history_ and s.model_ is not None


def test_dask_seeded_per_chunking(chunked):
    X, y, Xd, yd = chunked

    def run(Xd, yd, seed):
        X_res, _ = make_pgan(random_state=seed, **FAST).fit_resample(Xd, yd)
        with dask.config.set(SYNC):
            return X_res[3000:].compute()

    first = run(Xd, yd, 0)
    np.testing.assert_array_equal(first, run(Xd, yd, 0))
    assert not np.array_equal(first, run(Xd, yd, 1))
    # numpy y aligned to X's chunks gives the same as a Dask y of those chunks.
    np.testing.assert_array_equal(first, run(Xd, y, 0))


def test_dask_sample_is_uniform_within_classes_and_bounded(chunked):
    from imblearn_pgan._dask import as_dask_arrays, scan

    X, y, Xd, yd = chunked
    Xd, yd, _ = as_dask_arrays(Xd, yd, "test")
    classes, counts, mean, scale, X_s, y_s = scan(Xd, yd, 0, "test", per_class=100)
    np.testing.assert_array_equal(classes, [0, 1])
    np.testing.assert_array_equal(counts, np.bincount(y))
    np.testing.assert_allclose(mean, X.mean(0))
    np.testing.assert_allclose(scale, X.std(0))
    assert np.bincount(y_s).tolist() == [100, 100]
    # Every sampled row is a row of its class.
    rows = {tuple(r) for r in X[y == 1]}
    assert all(tuple(r) in rows for r in X_s[y_s == 1])
    # Another chunking, the same counts and statistics.
    again = scan(Xd.rechunk((700, 4)), yd.rechunk(700), 0, "test", per_class=100)
    np.testing.assert_array_equal(again[1], counts)
    np.testing.assert_allclose(again[2], mean)


def test_in_memory_fit_trains_on_a_sample_of_large_classes():
    """A class over TRAINING_ROWS_PER_CLASS rows is sampled; the output keeps every row."""
    rng = np.random.default_rng(0)
    n = TRAINING_ROWS_PER_CLASS + 500
    X = rng.normal(size=(n + 300, 3)).astype(np.float32)
    y = np.r_[np.zeros(n, int), np.ones(300, int)]
    s = make_pgan(random_state=0, **FAST)
    captured = {}
    train = s._train

    def spy(X_train, y_train, n_new, seed, population=None):
        captured.update(rows=len(X_train), population=population)
        return train(X_train, y_train, n_new, seed, population)

    s._train = spy
    X_res, y_res = s.fit_resample(X, y)
    assert captured["rows"] == TRAINING_ROWS_PER_CLASS + 300
    np.testing.assert_array_equal(captured["population"][0], [n, 300])
    assert X_res.dtype == np.float32 and np.array_equal(X_res[: len(X)], X)
    assert np.bincount(y_res).tolist() == [n, n]


def test_dask_bad_input(chunked):
    X, y, Xd, yd = chunked
    bad = X.copy()
    bad[1234, 2] = np.nan
    with pytest.raises(ValueError, match=r"chunk 2 \(rows 1000 to 1499; first at row 1234\)"):
        make_pgan(random_state=0, **FAST).fit_resample(
            da.from_array(bad, chunks=(500, 4)), yd)
    unknown = Xd[Xd[:, 0] > -100]
    with pytest.raises(ValueError, match="compute_chunk_sizes"):
        make_pgan(**FAST).fit_resample(unknown, yd)
    with pytest.raises(ValueError, match="class labels"):
        make_pgan(**FAST).fit_resample(Xd, yd + 0.5)
    with pytest.raises(ValueError, match="at least two classes"):
        make_pgan(**FAST).fit_resample(Xd, da.zeros(3000, chunks=500, dtype=int))
    with pytest.raises(ValueError, match="categorical_features"):
        make_pgan(categorical_features=[0], **FAST).fit_resample(Xd, yd)
    with pytest.raises(ValueError, match="as many rows"):
        make_pgan(**FAST).fit_resample(Xd, y[:10])


def test_dask_class_smaller_than_n_anchors():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(400, 3))
    y = np.r_[np.zeros(398, int), np.ones(2, int)]
    X_res, y_res = make_pgan(random_state=0, **FAST).fit_resample(
        da.from_array(X, chunks=100), da.from_array(y, chunks=100))
    with dask.config.set(SYNC):
        out = X_res[400:].compute()
    assert len(out) == 396 and in_convex_hull(out, X[398:]).all()


def test_dask_integer_x_comes_back_float_as_in_memory(chunked):
    X, y, _, yd = chunked
    counts = np.rint(np.abs(X) * 10).astype(np.int64)
    X_res, _ = make_pgan(random_state=0, **FAST).fit_resample(
        da.from_array(counts, chunks=(500, 4)), yd)
    in_memory, _ = make_pgan(random_state=0, **FAST).fit_resample(counts, y)
    assert X_res.dtype == in_memory.dtype == np.float64
    with dask.config.set(SYNC):
        np.testing.assert_array_equal(X_res[:3000].compute(), counts)


def test_dask_dataframe_round_trip(chunked):
    dd = pytest.importorskip("dask.dataframe")
    pd = pytest.importorskip("pandas")
    X, y, _, _ = chunked
    frame = dd.from_pandas(pd.DataFrame(X, columns=list("abcd")), npartitions=4)
    target = dd.from_pandas(pd.Series(y), npartitions=4)
    X_res, y_res = make_pgan(random_state=0, **FAST).fit_resample(frame, target)
    assert list(X_res.columns) == list("abcd")
    with dask.config.set(SYNC):
        out = X_res.compute()
    np.testing.assert_array_equal(out.to_numpy()[:3000], X)
    assert len(out) == len(y_res.compute())


def _worker_memory_mb():
    """(RSS, peak RSS since the last reset) of this process, from /proc (Linux).

    Not ``ru_maxrss``: it survives the exec of a spawned worker, so it would
    start at the peak of the process that started the cluster.
    """
    status = dict(line.split(":", 1) for line in open("/proc/self/status"))
    return tuple(int(status[key].split()[0]) / 1024 for key in ("VmRSS", "VmHWM"))


def _warm_up():
    """Import torch and the package in a worker, run a few ops, reset the peak RSS."""
    import torch

    import imblearn_pgan  # noqa: F401

    net = torch.nn.Linear(64, 256)
    net(torch.zeros(128, 64)).sum().backward()
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    return _worker_memory_mb()[0]


def test_local_cluster_adds_under_100_mb_per_worker(tmp_path):
    """200k x 64 float64 rows (102 MB) resampled on 2 workers, written chunk by chunk.

    The data never sits whole in a worker: each worker's peak memory stays
    within 100 MB of its memory once torch is loaded (torch itself takes about
    500 MB of a worker), and no worker is restarted.
    """
    distributed = pytest.importorskip("distributed")
    if not sys.platform.startswith("linux"):
        pytest.skip("reads the workers' peak memory from /proc")
    n, d, chunk = 200_000, 64, 10_000
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  memory_limit="1.5GiB", dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        base = client.run(_warm_up)
        pids = client.run(lambda: __import__("os").getpid())
        X = da.random.default_rng(0).normal(size=(n, d), chunks=(chunk, d))
        y = (da.random.default_rng(1).random(n, chunks=chunk) < 0.05).astype(np.int64)
        X = X + 2.0 * y[:, None]
        sampler = make_pgan(random_state=0, n_iter=20, autoencoder_steps=20)
        X_res, y_res = sampler.fit_resample(X, y)
        da.to_npy_stack(tmp_path / "X", X_res)
        da.to_npy_stack(tmp_path / "y", y_res)
        peaks = client.run(lambda: _worker_memory_mb()[1])
        assert client.run(lambda: __import__("os").getpid()) == pids  # no restart
    added = {w: peaks[w] - base[w] for w in base}
    assert max(added.values()) < 100, added
    out, labels = da.from_npy_stack(tmp_path / "X"), da.from_npy_stack(tmp_path / "y")
    counts = np.bincount(labels.compute())
    assert counts[0] == counts[1] and out.shape == (counts.sum(), d)
    with dask.config.set(SYNC):
        np.testing.assert_array_equal(out[:chunk].compute(), X[:chunk].compute())
        assert np.isfinite(out[n:].compute()).all()
