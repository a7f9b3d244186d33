"""Behaviour of PolarityGANSampler: output contract, hull, determinism, faults."""

import os
import pickle
import subprocess
import sys
import warnings

import joblib
import numpy as np
import pandas as pd
import pytest
import torch
from scipy import sparse
from scipy.optimize import nnls
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from imblearn_pgan import PolarityGANSampler, TrainingDivergedError
from imblearn_pgan._core import TrainingData, make_generator
from imblearn_pgan.polarity import PolarityGAN

from .conftest import FAST, cuda


def in_convex_hull(points, vertices, tol=1e-7):
    """NNLS on [V^T; 1] w = [p; 1], w >= 0: zero residual iff p is in the hull."""
    scale = np.abs(vertices).max() + 1.0
    A = np.vstack([vertices.T / scale, np.full(len(vertices), 1.0)])
    return np.array([nnls(A, np.r_[p / scale, 1.0])[1] < tol for p in points])


def test_hull_check_detects_outside_points():
    square = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    assert in_convex_hull(np.array([[0.5, 0.5], [1.0, 1.0]]), square).all()
    assert not in_convex_hull(np.array([[1.01, 0.5], [-0.001, 0.2]]), square).any()


@pytest.mark.parametrize("uncertainty", ["entropy", "margin", "least_confidence", "ratio", None])
def test_synthetic_points_lie_in_their_class_hull(imbalanced, uncertainty):
    X, y = imbalanced
    sampler = PolarityGANSampler(random_state=0, uncertainty=uncertainty, **FAST)
    X_res, y_res = sampler.fit_resample(X, y)
    new_X, new_y = X_res[len(X):], y_res[len(X):]
    for k in (1, 2):
        assert in_convex_hull(new_X[new_y == k], X[y == k]).all()


def test_hull_holds_in_many_dimensions():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(70, 12))
    y = np.r_[np.zeros(50, int), np.ones(20, int)]
    X_res, y_res = PolarityGANSampler(random_state=0, **FAST).fit_resample(X, y)
    assert in_convex_hull(X_res[70:], X[y == 1]).all()


def test_masked_path_used_on_cuda_matches_the_cpu_class_blocks(imbalanced):
    """The GPU path (one masked softmax) gives the CPU path's points (class blocks)."""
    X, y = imbalanced
    s = PolarityGANSampler(random_state=0, **FAST)
    data = TrainingData(X, y, 3, np.array([0, 40, 52]), torch.device("cpu"))
    model = s._build_model(data, X, make_generator(0, "cpu"), 0)
    model.fit_latent(0)
    labels = torch.tensor([1, 1, 2, 2, 2])
    grouped = model.fake(labels, make_generator(5, "cpu"))
    model.grouped = False
    masked = model.fake(labels, make_generator(5, "cpu"))
    for a, b in zip(grouped, masked):
        torch.testing.assert_close(a, b)


def test_output_contract(imbalanced):
    X, y = imbalanced
    X_before, y_before = X.copy(), y.copy()
    X_res, y_res = PolarityGANSampler(random_state=0, **FAST).fit_resample(X, y)
    np.testing.assert_array_equal(X, X_before)  # inputs untouched
    np.testing.assert_array_equal(y, y_before)
    np.testing.assert_array_equal(X_res[: len(X)], X)  # originals first, unchanged
    np.testing.assert_array_equal(y_res[: len(y)], y)
    assert np.bincount(y_res).tolist() == [60, 60, 60]
    assert np.isfinite(X_res).all()


def test_dtypes_and_string_labels(imbalanced):
    X, y = imbalanced
    labels = np.array(["cat", "dog", "eel"])[y]
    X_res, y_res = PolarityGANSampler(random_state=0, **FAST).fit_resample(
        X.astype(np.float32), labels
    )
    assert X_res.dtype == np.float32
    assert y_res.dtype == labels.dtype
    assert sorted(set(y_res)) == ["cat", "dog", "eel"]


def test_pandas_in_pandas_out(imbalanced):
    pd = pytest.importorskip("pandas")
    X, y = imbalanced
    df = pd.DataFrame(X, columns=["a", "b"])
    sampler = PolarityGANSampler(random_state=0, **FAST)
    X_res, y_res = sampler.fit_resample(df, pd.Series(y, name="t"))
    assert list(X_res.columns) == ["a", "b"]
    assert y_res.name == "t"


def test_same_seed_bit_identical_and_global_rng_untouched(imbalanced):
    X, y = imbalanced
    np_state, torch_state = np.random.get_state(), torch.get_rng_state()
    a = PolarityGANSampler(random_state=3, **FAST).fit_resample(X, y)[0]
    b = PolarityGANSampler(random_state=3, **FAST).fit_resample(X, y)[0]
    c = PolarityGANSampler(random_state=4, **FAST).fit_resample(X, y)[0]
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert np.array_equal(np.random.get_state()[1], np_state[1])
    assert torch.equal(torch.get_rng_state(), torch_state)


def test_random_state_none_leaves_global_rng(imbalanced):
    X, y = imbalanced
    np_state, torch_state = np.random.get_state(), torch.get_rng_state()
    PolarityGANSampler(**FAST).fit_resample(X, y)
    assert np.array_equal(np.random.get_state()[1], np_state[1])
    assert torch.equal(torch.get_rng_state(), torch_state)


def test_fitted_attributes(imbalanced):
    X, y = imbalanced
    s = PolarityGANSampler(random_state=0, **FAST)
    s.fit_resample(X, y)
    assert s.device_ == torch.device("cpu")
    assert s.sampling_strategy_ == {1: 40, 2: 52}
    stages = {r["stage"] for r in s.history_}
    assert {"autoencoder", "gan"} <= stages
    gan = [r for r in s.history_ if r["stage"] == "gan"][-1]
    for key in ("critic", "gradient_penalty", "classifier", "generator_critic",
                "generator_classifier", "max_weight", "spread", "elapsed_s"):
        assert np.isfinite(gan[key])
    for net in (s.generator_, s.critic_, s.classifier_, s.autoencoder_):
        assert all(p.device.type == "cpu" for p in net.parameters())
    assert set(s.synthetic_uncertainty_) == {1, 2}
    assert set(s.synthetic_uncertainty_[1]) == {"least_confidence", "margin", "ratio", "entropy"}
    assert all(0 <= v <= 1 for d in s.synthetic_uncertainty_.values() for v in d.values())


def test_uncertainty_selection_raises_uncertainty(imbalanced):
    X, y = imbalanced
    kw = dict(FAST, n_iter=30)
    raw = PolarityGANSampler(random_state=0, uncertainty=None, **kw)
    raw.fit_resample(X, y)
    picked = PolarityGANSampler(random_state=0, uncertainty="entropy", pool_factor=4.0, **kw)
    picked.fit_resample(X, y)
    for k in (1, 2):
        assert (picked.synthetic_uncertainty_[k]["entropy"]
                >= raw.synthetic_uncertainty_[k]["entropy"])


def test_sample_more_without_retraining(imbalanced):
    X, y = imbalanced
    s = PolarityGANSampler(random_state=0, **FAST)
    s.fit_resample(X, y)
    more = s.sample(25, class_label=2, random_state=7)
    assert more.shape == (25, 2)
    np.testing.assert_array_equal(more, s.sample(25, class_label=2, random_state=7))
    assert in_convex_hull(more, X[y == 2]).all()
    with pytest.raises(ValueError, match="not seen"):
        s.sample(3, class_label=9)
    with pytest.raises(ValueError, match="positive"):
        s.sample(0, class_label=2)


def test_nothing_to_generate_returns_copy(imbalanced):
    X, y = imbalanced
    X_res, y_res = PolarityGANSampler(sampling_strategy={1: 20}, **FAST).fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X)


def test_single_row_class_gives_copies_with_warning(imbalanced):
    X, y = imbalanced
    X1, y1 = np.vstack([X, [[9.0, 9.0]]]), np.r_[y, 3]
    with pytest.warns(UserWarning, match="single row"):
        X_res, y_res = PolarityGANSampler(random_state=0, **FAST).fit_resample(X1, y1)
    np.testing.assert_allclose(X_res[len(X1):][y_res[len(X1):] == 3], 9.0)


@pytest.mark.parametrize(
    "X_fn, y_fn, match",
    [
        (lambda X: np.where(np.arange(X.size).reshape(X.shape) == 3, np.nan, X), None, "NaN"),
        (lambda X: np.where(np.arange(X.size).reshape(X.shape) == 3, np.inf, X), None, "infinity"),
        (None, lambda y: np.zeros_like(y), "more than 1 class"),
        (lambda X: X[:, 0], None, "2D array"),
        (lambda X: X[:-1], None, "inconsistent numbers of samples"),
        (None, lambda y: y + np.linspace(0, 0.5, len(y)), "continuous"),
    ],
)
def test_bad_input_gets_a_clear_error(imbalanced, X_fn, y_fn, match):
    X, y = imbalanced
    X_bad = X_fn(X) if X_fn else X
    y_bad = y_fn(y) if y_fn else y
    with pytest.raises(ValueError, match=match):
        PolarityGANSampler(**FAST).fit_resample(X_bad, y_bad)


def test_sparse_input_is_refused_clearly(imbalanced):
    X, y = imbalanced
    with pytest.raises(TypeError, match="dense"):
        PolarityGANSampler(**FAST).fit_resample(sparse.csr_matrix(X), y)


@pytest.mark.parametrize(
    "params, match",
    [
        (dict(device="tpu"), "device"),
        (dict(device="banana"), "device"),
        (dict(betas=(0.5,)), "betas"),
        (dict(betas=(0.5, 1.5)), "betas"),
    ],
)
def test_bad_parameters(imbalanced, params, match):
    X, y = imbalanced
    with pytest.raises(ValueError, match=match):
        PolarityGANSampler(**{**FAST, **params}).fit_resample(X, y)


def test_invalid_constraint_values(imbalanced):
    X, y = imbalanced
    for bad in (dict(n_iter=0), dict(uncertainty="gini"), dict(pool_factor=0.5),
                dict(learning_rate=0.0), dict(device=3)):
        with pytest.raises(ValueError):
            PolarityGANSampler(**{**FAST, **bad}).fit_resample(X, y)


@pytest.mark.skipif(torch.cuda.is_available(), reason="CUDA is present here")
def test_cuda_requested_without_cuda(imbalanced):
    X, y = imbalanced
    with pytest.raises(ValueError, match="CUDA"):
        PolarityGANSampler(**{**FAST, "device": "cuda"}).fit_resample(X, y)


def test_divergence_is_reported_and_nothing_returned(imbalanced, monkeypatch):
    X, y = imbalanced
    original = PolarityGAN.gan_step

    def diverging(self, step):
        losses = original(self, step)
        return {**losses, "critic": torch.tensor(float("nan"))}

    monkeypatch.setattr(PolarityGAN, "gan_step", diverging)
    with pytest.raises(TrainingDivergedError, match="learning_rate"):
        PolarityGANSampler(**FAST).fit_resample(X, y)


def test_out_of_memory_names_the_parameter(imbalanced, monkeypatch):
    X, y = imbalanced

    def oom(self, step):
        raise torch.OutOfMemoryError("CUDA out of memory")

    monkeypatch.setattr(PolarityGAN, "gan_step", oom)
    with pytest.raises(MemoryError, match="batch_size.*max_anchors"):
        PolarityGANSampler(**FAST).fit_resample(X, y)


def test_clone_pickle_joblib_round_trip(imbalanced, tmp_path):
    X, y = imbalanced
    s = PolarityGANSampler(random_state=0, **FAST)
    s.fit_resample(X, y)
    assert clone(s).get_params() == s.get_params()
    again = pickle.loads(pickle.dumps(s))
    joblib.dump(s, tmp_path / "s.joblib")
    loaded = joblib.load(tmp_path / "s.joblib")
    expected = s.sample(10, class_label=1, random_state=0)
    np.testing.assert_array_equal(again.sample(10, class_label=1, random_state=0), expected)
    np.testing.assert_array_equal(loaded.sample(10, class_label=1, random_state=0), expected)


def test_verbose_shows_progress(imbalanced, capsys):
    X, y = imbalanced
    PolarityGANSampler(verbose=1, **FAST).fit_resample(X, y)
    assert "PolarityGANSampler" in capsys.readouterr().err


@cuda
def test_cuda_fit_matches_contract_and_loads_on_cpu_only(imbalanced, tmp_path):
    X, y = imbalanced
    s = PolarityGANSampler(random_state=0, **{**FAST, "device": "cuda"})
    X_res, y_res = s.fit_resample(X, y)
    assert s.device_.type == "cuda"
    np.testing.assert_array_equal(X_res[: len(X)], X)
    for k in (1, 2):
        assert in_convex_hull(X_res[len(X):][y_res[len(X):] == k], X[y == k]).all()
    path = tmp_path / "s.joblib"
    joblib.dump(s, path)
    code = (
        "import joblib, numpy as np, torch;"
        f"s = joblib.load({str(path)!r});"
        "assert not torch.cuda.is_available();"
        "print(s.sample(4, class_label=1, random_state=0).shape)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "CUDA_VISIBLE_DEVICES": ""})
    assert out.returncode == 0, out.stderr
    assert "(4, 2)" in out.stdout


# --- what a new user trips over (issue: fast and predictable on a laptop) ------


def test_sample_before_fit_resample_says_what_to_call(imbalanced):
    X, y = imbalanced
    s = PolarityGANSampler(random_state=0, **FAST).fit(X, y)
    with pytest.raises(NotFittedError, match=r"fit_resample\(X, y\)") as info:
        s.sample(3, class_label=1)
    assert "fit only validates" in str(info.value)
    balanced = PolarityGANSampler(sampling_strategy={1: 20}, **FAST)
    balanced.fit_resample(X, y)
    with pytest.raises(NotFittedError, match="no row to generate"):
        balanced.sample(3, class_label=1)


def test_refit_with_nothing_to_generate_drops_the_old_networks(imbalanced):
    X, y = imbalanced
    s = PolarityGANSampler(random_state=0, **FAST)
    s.fit_resample(X, y)
    s.set_params(sampling_strategy={1: 20}).fit_resample(X, y)
    assert not hasattr(s, "model_") and not hasattr(s, "generator_")


def test_threads_are_fixed_in_fit_and_restored_after(imbalanced):
    X, y = imbalanced
    before = torch.get_num_threads()
    outputs = []
    try:
        for caller_threads in (1, 2):
            torch.set_num_threads(caller_threads)
            s = PolarityGANSampler(random_state=0, **FAST)
            outputs.append(s.fit_resample(X, y)[0])
            assert torch.get_num_threads() == caller_threads
            s.sample(4, class_label=2, random_state=0)
            assert torch.get_num_threads() == caller_threads
    finally:
        torch.set_num_threads(before)
    np.testing.assert_array_equal(outputs[0], outputs[1])
    with pytest.raises(ValueError, match="n_threads"):
        PolarityGANSampler(n_threads=0, **FAST).fit_resample(X, y)


def test_verbose_ends_with_a_one_line_summary(imbalanced, capsys):
    X, y = imbalanced
    PolarityGANSampler(verbose=1, **FAST).fit_resample(X, y)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("PolarityGANSampler: 92 rows generated in ")
    assert "autoencoder" in lines[0] and "gan" in lines[0] and "1 thread(s)" in lines[0]


@pytest.mark.parametrize("scale", [1e160, 1e-160])
def test_extreme_scales_give_the_same_points_scaled(imbalanced, scale):
    X, y = imbalanced
    n = len(X)
    reference = PolarityGANSampler(random_state=0, **FAST).fit_resample(X, y)[0][n:]
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # no overflow on the way
        X_res, _ = PolarityGANSampler(random_state=0, **FAST).fit_resample(X * scale, y)
    assert len(np.unique(X_res[n:], axis=0)) > 10
    np.testing.assert_allclose(X_res[n:] / scale, reference, rtol=1e-4, atol=1e-6)


def test_sample_returns_the_type_fit_resample_returned(imbalanced):
    X, y = imbalanced
    frame = pd.DataFrame(X, columns=["a", "b"])
    s = PolarityGANSampler(random_state=0, **FAST)
    X_res, _ = s.fit_resample(frame, y)
    more = s.sample(5, class_label=2, random_state=0)
    assert isinstance(X_res, pd.DataFrame) and isinstance(more, pd.DataFrame)
    assert list(more.columns) == ["a", "b"]
    s.fit_resample(X, y)
    assert isinstance(s.sample(5, class_label=2, random_state=0), np.ndarray)


def test_import_pulls_in_neither_torchvision_nor_matplotlib():
    code = ("import sys, imblearn_pgan; from imblearn_pgan import PolarityGANSampler; "
            "print(sorted(m for m in ('torchvision', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
