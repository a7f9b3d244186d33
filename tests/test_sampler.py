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
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from imblearn_pgan import PolarityGANSampler, TrainingDivergedError
from imblearn_pgan._core import TrainingData, make_generator
from imblearn_pgan.uncertainty import entropy
from imblearn_pgan import _core
from imblearn_pgan.polarity import (
    SUPPORT_NEIGHBOURS,
    PolarityGAN,
    anchor_neighbours,
    schedule_steps,
    sequential_positions,
)

from .conftest import FAST, cuda, in_convex_hull, make_pgan


def test_hull_check_detects_outside_points():
    square = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    assert in_convex_hull(np.array([[0.5, 0.5], [1.0, 1.0]]), square).all()
    assert not in_convex_hull(np.array([[1.01, 0.5], [-0.001, 0.2]]), square).any()


@pytest.mark.parametrize("uncertainty", ["entropy", "margin", "least_confidence", "ratio", None])
def test_synthetic_points_lie_in_their_class_hull(imbalanced, uncertainty):
    X, y = imbalanced
    sampler = make_pgan(random_state=0, uncertainty=uncertainty, **FAST)
    X_res, y_res = sampler.fit_resample(X, y)
    new_X, new_y = X_res[len(X):], y_res[len(X):]
    for k in (1, 2):
        assert in_convex_hull(new_X[new_y == k], X[y == k]).all()


def test_hull_holds_in_many_dimensions():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(70, 12))
    y = np.r_[np.zeros(50, int), np.ones(20, int)]
    X_res, y_res = make_pgan(random_state=0, **FAST).fit_resample(X, y)
    assert in_convex_hull(X_res[70:], X[y == 1]).all()


def test_masked_path_used_on_cuda_matches_the_cpu_class_blocks(imbalanced):
    """The GPU path (one masked softmax) gives the CPU path's points (class blocks)."""
    X, y = imbalanced
    s = make_pgan(random_state=0, n_anchors=None, **FAST)
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
    X_res, y_res = make_pgan(random_state=0, **FAST).fit_resample(X, y)
    np.testing.assert_array_equal(X, X_before)  # inputs untouched
    np.testing.assert_array_equal(y, y_before)
    np.testing.assert_array_equal(X_res[: len(X)], X)  # originals first, unchanged
    np.testing.assert_array_equal(y_res[: len(y)], y)
    assert np.bincount(y_res).tolist() == [60, 60, 60]
    assert np.isfinite(X_res).all()


def test_dtypes_and_string_labels(imbalanced):
    X, y = imbalanced
    labels = np.array(["cat", "dog", "eel"])[y]
    X_res, y_res = make_pgan(random_state=0, **FAST).fit_resample(
        X.astype(np.float32), labels
    )
    assert X_res.dtype == np.float32
    assert y_res.dtype == labels.dtype
    assert sorted(set(y_res)) == ["cat", "dog", "eel"]


def test_pandas_in_pandas_out(imbalanced):
    pd = pytest.importorskip("pandas")
    X, y = imbalanced
    df = pd.DataFrame(X, columns=["a", "b"])
    sampler = make_pgan(random_state=0, **FAST)
    X_res, y_res = sampler.fit_resample(df, pd.Series(y, name="t"))
    assert list(X_res.columns) == ["a", "b"]
    assert y_res.name == "t"


def test_same_seed_bit_identical_and_global_rng_untouched(imbalanced):
    X, y = imbalanced
    np_state, torch_state = np.random.get_state(), torch.get_rng_state()
    a = make_pgan(random_state=3, **FAST).fit_resample(X, y)[0]
    b = make_pgan(random_state=3, **FAST).fit_resample(X, y)[0]
    c = make_pgan(random_state=4, **FAST).fit_resample(X, y)[0]
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert np.array_equal(np.random.get_state()[1], np_state[1])
    assert torch.equal(torch.get_rng_state(), torch_state)


def test_random_state_none_leaves_global_rng(imbalanced):
    X, y = imbalanced
    np_state, torch_state = np.random.get_state(), torch.get_rng_state()
    make_pgan(**FAST).fit_resample(X, y)
    assert np.array_equal(np.random.get_state()[1], np_state[1])
    assert torch.equal(torch.get_rng_state(), torch_state)


def test_fitted_attributes(imbalanced):
    X, y = imbalanced
    s = make_pgan(random_state=0, **FAST)
    s.fit_resample(X, y)
    assert s.device_ == torch.device("cpu")
    assert s.sampling_strategy_ == {1: 40, 2: 52}
    stages = {r["stage"] for r in s.history_}
    assert {"autoencoder", "gan"} <= stages
    gan = [r for r in s.history_ if r["stage"] == "gan"][-1]
    for key in ("critic", "gradient_penalty", "classifier", "generator_critic",
                "generator_classifier", "max_weight", "effective_anchors", "spread",
                "elapsed_s"):
        assert np.isfinite(gan[key])
    for net in (s.generator_, s.critic_, s.classifier_, s.autoencoder_):
        assert all(p.device.type == "cpu" for p in net.parameters())
    assert set(s.synthetic_uncertainty_) == {1, 2}
    assert set(s.synthetic_uncertainty_[1]) == {"least_confidence", "margin", "ratio", "entropy"}
    assert all(0 <= v <= 1 for d in s.synthetic_uncertainty_.values() for v in d.values())
    assert set(s.synthetic_anchors_) == {1, 2}
    assert all(1 <= v <= 3 for v in s.synthetic_anchors_.values())
    assert (s.n_iter_, s.autoencoder_steps_) == (8, 8)


@pytest.mark.parametrize("n_samples, n_classes, steps", [
    (10, 2, 50), (300, 2, 50), (501, 2, 50), (1234, 2, 123), (2000, 2, 200), (5000, 2, 200),
    (10**6, 2, 200), (17400, 10, 200), (500, 10, 200), (300, 3, 60), (3000, 20, 400),
    (900, 40, 500)])
def test_auto_schedule_rule(n_samples, n_classes, steps):
    """A tenth of the rows within [50, 200], at least 20 per class up to 500, both stages."""
    assert schedule_steps(n_samples, n_classes) == steps


def test_auto_schedule_resolves_per_fit(imbalanced):
    X, y = imbalanced
    s = make_pgan(random_state=0, **{**FAST, "n_iter": "auto",
                                              "autoencoder_steps": "auto"})
    s.fit_resample(X, y)
    # 88 rows, 3 classes: max(50, 8, 60) steps.
    assert (s.n_iter_, s.autoencoder_steps_) == (60, 60)
    assert max(r["step"] for r in s.history_ if r["stage"] == "gan") == 60
    assert max(r["step"] for r in s.history_ if r["stage"] == "autoencoder") == 60
    assert s.get_params()["n_iter"] == "auto"


def test_each_point_mixes_n_anchors_distinct_rows_of_its_class(imbalanced):
    X, y = imbalanced
    s = make_pgan(random_state=0, n_anchors=3, **FAST)
    s.fit_resample(X, y)
    model = s.model_
    labels = torch.tensor([1] * 50 + [2] * 50)
    support, w = model.mix_weights(labels, make_generator(3, "cpu"))
    assert support.shape == w.shape == (100, 3)
    assert (model.anchor_class[support] == labels[:, None]).all()
    assert all(len(set(row.tolist())) == 3 for row in support)
    torch.testing.assert_close(w.sum(1), torch.ones(100))
    # Each returned row is a convex mix of at most 3 rows of its class.
    X_new, _, anchors = model.generate(2, 200, make_generator(4, "cpu"), with_anchors=True)
    assert ((1 <= anchors) & (anchors <= 3 + 1e-9)).all()


def test_anchor_neighbours_are_the_nearest_of_the_class():
    anchors = torch.tensor([[0.0], [1.0], [3.0], [7.0], [100.0], [101.0], [50.0]])
    slices = [slice(0, 4), slice(4, 6), slice(6, 7)]
    near = anchor_neighbours(anchors, slices, k=2)
    assert near.tolist() == [[1, 2], [0, 2], [1, 0], [2, 1],  # nearest first
                             [5, 5], [4, 4],  # one other: repeated
                             [6, 6]]  # alone: itself


@pytest.mark.parametrize("n_anchors", [2, 3])
def test_local_support_is_a_seed_and_its_nearest_class_anchors(imbalanced, n_anchors):
    X, y = imbalanced
    s = make_pgan(random_state=0, n_anchors=n_anchors, support="local", **FAST)
    X_res, y_res = s.fit_resample(X, y)
    model = s.model_
    labels = torch.tensor([1] * 300 + [2] * 300)
    support, w = model.mix_weights(labels, make_generator(3, "cpu"))
    assert support.shape == w.shape == (600, n_anchors)
    assert (model.anchor_class[support] == labels[:, None]).all()
    d2 = torch.cdist(model.anchors, model.anchors)
    for seed, others in zip(support[:, 0].tolist(), support[:, 1:].tolist()):
        own = model.anchor_class == model.anchor_class[seed]
        dist = d2[seed].masked_fill(~own, float("inf"))
        dist[seed] = float("inf")
        nearest = set(dist.topk(SUPPORT_NEIGHBOURS, largest=False).indices.tolist())
        assert len(set(others)) == len(others) and set(others) <= nearest
    # Seeds cover the class: every anchor of class 1 is drawn as a seed.
    assert set(support[:300, 0].tolist()) == set(range(*model.anchor_slices[1].indices(
        len(model.anchors))))
    for k in (1, 2):
        assert in_convex_hull(X_res[len(X):][y_res[len(X):] == k], X[y == k]).all()


def test_support_temperature_is_fixed_and_all_anchor_mode_learns_it(imbalanced):
    X, y = imbalanced
    fixed = make_pgan(random_state=0, n_anchors=2, support_temperature=3.0, **FAST)
    fixed.fit_resample(X, y)
    temperature = float(fixed.generator_.P.log_temperature.detach().exp())
    assert temperature == pytest.approx(3.0)
    learnt = make_pgan(random_state=0, n_anchors=None, **FAST)
    learnt.fit_resample(X, y)
    start = learnt.model_._initial_temperature()
    learnt_temperature = float(learnt.generator_.P.log_temperature.detach().exp())
    assert learnt_temperature != pytest.approx(start, rel=1e-6)


@pytest.mark.parametrize("rule", ["uncertain", "confident"])
def test_anchor_draw_weighs_anchors_by_c(imbalanced, rule):
    X, y = imbalanced
    s = make_pgan(random_state=0, anchor_draw=rule, **FAST)
    X_res, y_res = s.fit_resample(X, y)
    model = s.model_
    proba = model.predict_proba(model.anchors).double().numpy()
    weight = model.anchor_draw_weight.double().numpy()
    for k, own in enumerate(model.anchor_slices):
        if rule == "uncertain":
            u = entropy(proba[own])
            expected = u + 0.1 * u.mean()
        else:
            expected = proba[own, k]
        np.testing.assert_allclose(weight[own], expected / expected.sum(), rtol=1e-5)
        assert in_convex_hull(X_res[len(X):][y_res[len(X):] == k], X[y == k]).all()
    # The same seed gives the same rows.
    X_again, _ = clone(s).fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X_again)


@pytest.mark.parametrize("params", [dict(support="local"), dict(n_anchors=None)])
def test_anchor_draw_needs_random_supports(imbalanced, params):
    X, y = imbalanced
    X_before = X.copy()
    with pytest.raises(ValueError, match="anchor_draw='confident'.*support='random'"):
        make_pgan(anchor_draw="confident", **params, **FAST).fit_resample(X, y)
    np.testing.assert_array_equal(X, X_before)


def test_anchor_draw_follows_the_weights(imbalanced):
    X, y = imbalanced
    s = make_pgan(random_state=0, **FAST)
    s.fit_resample(X, y)
    model = s.model_
    assert model.anchor_draw_weight is None  # "uniform": today's draws
    own = model.anchor_slices[1]
    weight = torch.zeros(len(model.anchors))
    weight[own.start:own.start + 4] = torch.tensor([0.4, 0.3, 0.2, 0.1])
    model.anchor_draw_weight = weight
    support, _ = model.draw_point_support(torch.ones(20_000, dtype=torch.long),
                                          make_generator(0, "cpu"))
    assert support.shape == (20_000, 3)
    # Only the four weighted anchors, each point's three distinct, the first
    # drawn in proportion to the weights.
    assert set(support.unique().tolist()) == set(range(own.start, own.start + 4))
    assert (support.sort(1).values.diff(1) > 0).all()
    first = torch.bincount(support[:, 0] - own.start, minlength=4) / 20_000
    np.testing.assert_allclose(first.numpy(), [0.4, 0.3, 0.2, 0.1], atol=0.015)


def test_tiny_class_with_fewer_rows_than_anchors(imbalanced):
    X, y = imbalanced
    keep = np.r_[np.flatnonzero(y != 2), np.flatnonzero(y == 2)[:2]]
    X_res, y_res = make_pgan(random_state=0, n_anchors=3, **FAST).fit_resample(
        X[keep], y[keep])
    assert in_convex_hull(X_res[len(keep):][y_res[len(keep):] == 2], X[keep][y[keep] == 2]).all()


def test_sequential_positions_are_uniform_distinct_ordered_draws():
    count = torch.full((60_000,), 5)
    pos = sequential_positions(count, 3, make_generator(0, "cpu"))
    assert pos.shape == (60_000, 3) and ((0 <= pos) & (pos < 5)).all()
    assert (pos[:, 0] != pos[:, 1]).all() and (pos[:, 1] != pos[:, 2]).all()
    assert (pos[:, 0] != pos[:, 2]).all()
    # Each of the 5 * 4 * 3 ordered triples ~1,000 times: a chi-square test.
    codes = (pos[:, 0] * 25 + pos[:, 1] * 5 + pos[:, 2]).numpy()
    seen = np.bincount(codes, minlength=125)
    seen = seen[seen > 0]
    assert len(seen) == 60
    chi2 = ((seen - 1000.0) ** 2 / 1000.0).sum()
    assert chi2 < 100  # 59 degrees of freedom: p ~ 0.001
    # Fewer positions than m: all of them, then the last one repeated (as the key draw).
    short = sequential_positions(torch.tensor([2, 1] * 50), 3, make_generator(1, "cpu"))
    assert all(sorted(r[:2]) == [0, 1] and r[2] == 1 for r in short[::2].tolist())
    assert (short[1::2] == 0).all()


def test_large_fits_draw_anchors_one_at_a_time(imbalanced, monkeypatch):
    X, y = imbalanced
    small = make_pgan(random_state=0, **FAST)
    X_small, _ = small.fit_resample(X, y)
    assert not small.model_.sequential_draw
    monkeypatch.setattr(_core, "LARGE_FIT_ROWS", len(X) - 1)
    samplers = [make_pgan(random_state=0, **FAST) for _ in range(2)]
    (X_res, y_res), (X_again, _) = [s.fit_resample(X, y) for s in samplers]
    np.testing.assert_array_equal(X_res, X_again)
    assert samplers[0].model_.sequential_draw and not np.array_equal(X_res, X_small)
    for k in (1, 2):
        assert in_convex_hull(X_res[len(X):][y_res[len(X):] == k], X[y == k]).all()
    labels = torch.tensor([1] * 50 + [2] * 50)
    support, _ = samplers[0].model_.mix_weights(labels, make_generator(3, "cpu"))
    assert (samplers[0].model_.anchor_class[support] == labels[:, None]).all()
    assert all(len(set(row.tolist())) == 3 for row in support)


def c_proba(sampler, rows):
    """C's class probabilities for rows of the input space (numeric data)."""
    model = sampler.model_
    Z = torch.as_tensor((rows - model.mean) / model.scale, dtype=torch.float32)
    return model.predict_proba(Z).numpy()


@pytest.mark.parametrize("selection", ["weighted", "top", "uniform"])
def test_selection_keeps_rows_that_c_assigns_to_their_class(imbalanced, selection):
    """With enough such candidates, no kept row is one that C puts in another class."""
    X, y = imbalanced
    s = make_pgan(random_state=0, selection=selection, pool_factor=3.0,
                           **dict(FAST, n_iter=30, hidden_dim=32))
    X_res, y_res = s.fit_resample(X, y)
    model = s.model_
    for k in (1, 2):
        n = int((y_res[len(X):] == k).sum())
        Z, _ = model.generate(k, 3 * n, make_generator(0, "cpu"))
        assert (model.predict_proba(Z).argmax(1) == k).sum() >= n  # enough to choose from
        proba = c_proba(s, X_res[len(X):][y_res[len(X):] == k])
        assert (proba.argmax(1) == k).all()


def test_selection_leans_toward_c_s_uncertainty(imbalanced):
    """On the same pool: top-k >= weighted draws >= the pool's own-class mean entropy,
    which the uniform draws keep."""
    X, y = imbalanced
    # A C trained enough that its uncertainty varies over the pool (near-uniform
    # scores would leave the weighted draws as a random subset).
    s = make_pgan(random_state=0, pool_factor=2.0,
                           **dict(FAST, n_iter=30, hidden_dim=32, learning_rate=2e-3))
    s.fit_resample(X, y)
    model = s.model_
    for k in (1, 2):
        Z, _ = model.generate(k, 1000, make_generator(1, "cpu"))
        proba = model.predict_proba(Z).double().numpy()
        own = proba.argmax(1) == k
        assert own.sum() >= 500
        pool_mean = entropy(proba[own]).mean()
        kept = {}
        for selection in ("weighted", "top", "uniform"):
            s.selection = selection
            s._kept = {}  # as inside fit_resample: C's scores of the kept rows are noted
            s._select(model, k, 500, make_generator(1, "cpu"))
            kept[selection] = entropy(s._kept.pop(k)[0][0]).mean()
        assert kept["top"] >= kept["weighted"] > pool_mean
        assert kept["weighted"] > kept["uniform"]
        assert abs(kept["uniform"] - pool_mean) < kept["weighted"] - pool_mean



def test_sample_more_without_retraining(imbalanced):
    X, y = imbalanced
    s = make_pgan(random_state=0, **FAST)
    s.fit_resample(X, y)
    more = s.sample(25, class_label=2, random_state=7)
    assert more.shape == (25, 2)
    np.testing.assert_array_equal(more, s.sample(25, class_label=2, random_state=7))
    assert in_convex_hull(more, X[y == 2]).all()
    with pytest.raises(ValueError, match="not seen"):
        s.sample(3, class_label=9)
    with pytest.raises(ValueError, match="positive"):
        s.sample(0, class_label=2)


def test_sample_defaults_to_the_one_oversampled_class(imbalanced):
    X, y = imbalanced
    s = make_pgan(sampling_strategy={2: 30}, random_state=0, **FAST)
    s.fit_resample(X, y)
    np.testing.assert_array_equal(s.sample(5, random_state=0),
                                  s.sample(5, class_label=2, random_state=0))
    assert in_convex_hull(s.sample(5, random_state=0), X[y == 2]).all()


def test_sample_without_class_label_names_the_oversampled_classes(imbalanced):
    X, y = imbalanced
    s = make_pgan(random_state=0, **FAST)
    s.fit_resample(X, y)
    with pytest.raises(ValueError, match=r"oversampled 2: 1, 2\. Pass one as class_label"):
        s.sample(5)


def test_messages_show_labels_as_python_writes_them(imbalanced):
    # numpy 2 writes np.int64(9) and np.str_('eel') for its scalars.
    X, y = imbalanced
    s = make_pgan(random_state=0, **FAST)
    s.fit_resample(X, y)
    with pytest.raises(ValueError) as info:
        s.sample(3, class_label=np.int64(9))
    assert str(info.value) == "class_label=9 was not seen in fit; known: 0, 1, 2."
    names = np.array(["cat", "dog", "eel"])
    s.fit_resample(X, names[y])
    with pytest.raises(ValueError) as info:
        s.sample(3)
    assert "'dog', 'eel'" in str(info.value) and "np." not in str(info.value)
    nothing_new = make_pgan(sampling_strategy={1: 20}, **FAST)
    nothing_new.fit_resample(X, y)
    with pytest.raises(NotFittedError, match=r"sampling_strategy_ is \{1: 0\}\)"):
        nothing_new.sample(3, class_label=1)


def test_nothing_to_generate_returns_copy(imbalanced):
    X, y = imbalanced
    X_res, y_res = make_pgan(sampling_strategy={1: 20}, **FAST).fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X)


def test_single_row_class_gives_copies_with_warning(imbalanced):
    X, y = imbalanced
    X1, y1 = np.vstack([X, [[9.0, 9.0]]]), np.r_[y, 3]
    with pytest.warns(UserWarning, match="single row"):
        X_res, y_res = make_pgan(random_state=0, **FAST).fit_resample(X1, y1)
    np.testing.assert_allclose(X_res[len(X1):][y_res[len(X1):] == 3], 9.0)


@pytest.mark.parametrize(
    "X_fn, y_fn, match",
    [
        (lambda X: np.where(np.arange(X.size).reshape(X.shape) == 3, np.nan, X), None,
         r"NaN or infinite values in columns \[1\]"),
        (lambda X: np.where(np.arange(X.size).reshape(X.shape) == 3, np.inf, X), None,
         r"NaN or infinite values in columns \[1\]"),
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
        make_pgan(**FAST).fit_resample(X_bad, y_bad)


def test_huge_finite_values_are_not_taken_for_infinite(imbalanced):
    # Columns whose sum overflows are still finite: the quick check must not refuse them.
    X, y = imbalanced
    X_huge = X.copy()
    X_huge[:, 0] = 1e308
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpy's overflow warning does not leak either
        X_res, _ = make_pgan(random_state=0, **FAST).fit_resample(X_huge, y)
    assert np.isfinite(X_res).all() and (X_res[:len(X), 0] == 1e308).all()


def test_integer_array_keeps_its_dtype_when_every_column_stays_integer():
    # As SMOTE and ConvexRandomSampler keep the dtype: every returned value is whole.
    rng = np.random.default_rng(0)
    X = rng.integers(0, 10, size=(60, 3))
    y = np.r_[np.zeros(45, int), np.ones(15, int)]
    sampler = make_pgan(random_state=0, discrete_features="auto", **FAST)
    X_res, _ = sampler.fit_resample(X, y)
    assert X_res.dtype == X.dtype and (X_res[:60] == X).all()
    assert sampler.sample(5, random_state=0).dtype == X.dtype
    # A continuous column: floats, as before.
    X_res, _ = make_pgan(random_state=0, **FAST).fit_resample(X, y)
    assert X_res.dtype == np.float64


def test_sparse_input_is_refused_clearly(imbalanced):
    X, y = imbalanced
    with pytest.raises(TypeError, match="dense"):
        make_pgan(**FAST).fit_resample(sparse.csr_matrix(X), y)


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
        make_pgan(**{**FAST, **params}).fit_resample(X, y)


def test_invalid_constraint_values(imbalanced):
    X, y = imbalanced
    for bad in (dict(n_iter=0), dict(n_iter="fast"), dict(autoencoder_steps="fast"),
                dict(n_anchors=0), dict(selection="random"), dict(support="near"),
                dict(anchor_draw="boundary"), dict(discrete_draw="cell"),
                dict(uncertainty="gini"), dict(pool_factor=0.5),
                dict(learning_rate=0.0), dict(device=3)):
        with pytest.raises(ValueError):
            make_pgan(**{**FAST, **bad}).fit_resample(X, y)


@pytest.mark.skipif(torch.cuda.is_available(), reason="CUDA is present here")
def test_cuda_requested_without_cuda(imbalanced):
    X, y = imbalanced
    with pytest.raises(ValueError, match="CUDA"):
        make_pgan(**{**FAST, "device": "cuda"}).fit_resample(X, y)


def test_divergence_is_reported_and_nothing_returned(imbalanced, monkeypatch):
    X, y = imbalanced
    original = PolarityGAN.gan_step

    def diverging(self, step):
        losses = original(self, step)
        return {**losses, "critic": torch.tensor(float("nan"))}

    monkeypatch.setattr(PolarityGAN, "gan_step", diverging)
    with pytest.raises(TrainingDivergedError, match="learning_rate"):
        make_pgan(**FAST).fit_resample(X, y)


def test_out_of_memory_names_the_parameter(imbalanced, monkeypatch):
    X, y = imbalanced

    def oom(self, step):
        raise torch.OutOfMemoryError("CUDA out of memory")

    monkeypatch.setattr(PolarityGAN, "gan_step", oom)
    with pytest.raises(MemoryError, match="batch_size.*max_anchors"):
        make_pgan(**FAST).fit_resample(X, y)


def test_clone_pickle_joblib_round_trip(imbalanced, tmp_path):
    X, y = imbalanced
    s = make_pgan(random_state=0, **FAST)
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
    make_pgan(verbose=1, **FAST).fit_resample(X, y)
    assert "PolarityGANSampler" in capsys.readouterr().err


@cuda
def test_cuda_fit_matches_contract_and_loads_on_cpu_only(imbalanced, tmp_path):
    X, y = imbalanced
    s = make_pgan(random_state=0, **{**FAST, "device": "cuda"})
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
    s = make_pgan(random_state=0, **FAST).fit(X, y)
    with pytest.raises(NotFittedError, match=r"fit_resample\(X, y\)") as info:
        s.sample(3, class_label=1)
    assert "fit only validates" in str(info.value)
    balanced = make_pgan(sampling_strategy={1: 20}, **FAST)
    balanced.fit_resample(X, y)
    with pytest.raises(NotFittedError, match="no row to generate"):
        balanced.sample(3, class_label=1)


def test_refit_with_nothing_to_generate_drops_the_old_networks(imbalanced):
    X, y = imbalanced
    s = make_pgan(random_state=0, **FAST)
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
            s = make_pgan(random_state=0, **FAST)
            outputs.append(s.fit_resample(X, y)[0])
            assert torch.get_num_threads() == caller_threads
            s.sample(4, class_label=2, random_state=0)
            assert torch.get_num_threads() == caller_threads
    finally:
        torch.set_num_threads(before)
    np.testing.assert_array_equal(outputs[0], outputs[1])
    with pytest.raises(ValueError, match="n_threads"):
        make_pgan(n_threads=0, **FAST).fit_resample(X, y)


def test_auto_threads_generate_a_large_fit_on_torchs_setting(imbalanced, monkeypatch):
    X, y = imbalanced
    monkeypatch.setattr(_core, "LARGE_FIT_ROWS", len(X) - 1)
    seen = {"_train": {}, "_generate_synthetic": {}}
    for name in seen:
        def spy(self, *args, _name=name, _method=getattr(PolarityGANSampler, name)):
            seen[_name][self.n_threads] = torch.get_num_threads()
            return _method(self, *args)
        monkeypatch.setattr(PolarityGANSampler, name, spy)
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(2)
        auto = make_pgan(random_state=0, **FAST)
        X_auto = auto.fit_resample(X, y)[0]
        X_one = make_pgan(random_state=0, n_threads=1, **FAST).fit_resample(X, y)[0]
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)
    assert seen == {"_train": {"auto": 1, 1: 1}, "_generate_synthetic": {"auto": 2, 1: 1}}
    # Generation gives the same rows on any number of threads.
    np.testing.assert_array_equal(X_auto, X_one)
    small = make_pgan(**FAST)
    small._large_fit = False
    assert small._threads("generation") == small._threads("training") == 1


def test_verbose_ends_with_a_one_line_summary(imbalanced, capsys):
    X, y = imbalanced
    make_pgan(verbose=1, **FAST).fit_resample(X, y)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("PolarityGANSampler: 92 rows generated in ")
    assert "autoencoder" in lines[0] and "gan" in lines[0] and "1 thread(s)" in lines[0]


@pytest.mark.parametrize("scale", [1e160, 1e-160])
def test_extreme_scales_give_the_same_points_scaled(imbalanced, scale):
    X, y = imbalanced
    n = len(X)
    reference = make_pgan(random_state=0, **FAST).fit_resample(X, y)[0][n:]
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # no overflow on the way
        X_res, _ = make_pgan(random_state=0, **FAST).fit_resample(X * scale, y)
    assert len(np.unique(X_res[n:], axis=0)) > 10
    np.testing.assert_allclose(X_res[n:] / scale, reference, rtol=1e-4, atol=1e-6)


def test_sample_returns_the_type_fit_resample_returned(imbalanced):
    X, y = imbalanced
    frame = pd.DataFrame(X, columns=["a", "b"])
    s = make_pgan(random_state=0, **FAST)
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


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity") or len(os.sched_getaffinity(0)) < 2,
                    reason="needs two usable cores and sched_setaffinity")
def test_same_bits_on_one_core_as_on_all(tmp_path):
    # The README's claim: the output does not depend on the core count. Each run is a
    # fresh process, so torch sizes its default thread pool to the cores it sees.
    code = """
import os, sys
import numpy as np
if sys.argv[1] == "one":
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
from imblearn_pgan import PolarityGANSampler
rng = np.random.default_rng(0)
X, y = rng.normal(size=(300, 8)), np.repeat([0, 1, 2], [200, 70, 30])
X_res, _ = PolarityGANSampler(n_iter=20, gan_params={"autoencoder_steps": 10},
                               random_state=0).fit_resample(X, y)
np.save(sys.argv[2], X_res)
"""
    for cores in ("one", "all"):
        out = subprocess.run([sys.executable, "-c", code, cores, str(tmp_path / cores)],
                             capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stderr[-3000:]
    np.testing.assert_array_equal(np.load(tmp_path / "one.npy"), np.load(tmp_path / "all.npy"))


@pytest.mark.parametrize(("gan_params", "message"), [
    ({"nope": 1}, r"gan_params of PolarityGANSampler has no setting \['nope'\]"),
    ({"latent_dim": 0}, "'latent_dim' parameter of PolarityGANSampler.gan_params"),
    ({"betas": (0.5,)}, r"gan_params\['betas'\] must be two floats"),
    ({"anchor_draw": "confident", "support": "local"}, "needs support='random'"),
])
def test_gan_params_are_checked_before_training(imbalanced, gan_params, message):
    X, y = imbalanced
    with pytest.raises(ValueError, match=message):
        PolarityGANSampler(n_iter=8, batch_size=32, hidden_dim=16, device="cpu",
                           gan_params=gan_params).fit_resample(X, y)


@pytest.mark.parametrize("n_samples, hidden_dim, width", [
    (300, "auto", 128), (1000, "auto", 256), (300, 16, 16)])
def test_hidden_dim_auto_is_narrow_below_1000_rows(n_samples, hidden_dim, width):
    from sklearn.datasets import make_classification

    X, y = make_classification(n_samples=n_samples, n_features=4, n_informative=3,
                               n_redundant=0, weights=[0.8], random_state=0)
    fast = {k: v for k, v in FAST.items() if k != "hidden_dim"}
    sampler = make_pgan(random_state=0, hidden_dim=hidden_dim, **{**fast, "n_iter": 1,
                                                                  "autoencoder_steps": 1})
    sampler.fit_resample(X, y)
    assert sampler.hidden_dim_ == width
    assert sampler.classifier_.net[0].out_features == width
    assert sampler.get_params()["hidden_dim"] == hidden_dim  # the parameter is not changed


class _CountingSampler(PolarityGANSampler):
    # At module level: a pipeline's cache pickles its steps to hash them.
    seen = []

    def _fit_resample(self, X, y):
        self.seen.append(len(y))
        return super()._fit_resample(X, y)


def test_threshold_recipe_resamples_every_inner_fold(tmp_path):
    # The user guide's recipe: the sampler inside the pipeline, the whole pipeline's
    # threshold tuned, so that each inner training fold is resampled as the outer one.
    from imblearn.pipeline import Pipeline
    from joblib import Memory
    from sklearn.datasets import make_classification
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import TunedThresholdClassifierCV

    X, y = make_classification(n_samples=200, weights=[0.85], random_state=0)
    seen = _CountingSampler.seen
    seen.clear()

    def recipe(memory=None):
        sampler = _CountingSampler(n_iter=5, batch_size=32, hidden_dim=8, random_state=0,
                      gan_params={"autoencoder_steps": 5})
        pipe = Pipeline([("sampler", sampler), ("clf", LogisticRegression())], memory=memory)
        return TunedThresholdClassifierCV(pipe, scoring="balanced_accuracy", cv=3,
                                          random_state=0).fit(X, y)

    model = recipe()
    assert sorted(seen) == sorted([133] * 2 + [134, 200]) and 0 < model.best_threshold_ < 1
    n_synthetic = sum(model.estimator_.named_steps["sampler"].sampling_strategy_.values())
    assert n_synthetic == int(np.sum(y == 0) - np.sum(y == 1))
    # A cache shares the sampler's fits among the classifiers a user compares.
    seen.clear()
    memory = Memory(tmp_path, verbose=0)
    cached = [recipe(memory) for _ in range(2)][-1]
    assert len(seen) == 4 and cached.best_threshold_ == model.best_threshold_
