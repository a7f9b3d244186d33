"""The GAN baselines: imblearn's checks, output contract, determinism, faults."""

import os
import pickle
import subprocess
import sys

import joblib
import numpy as np
import pytest
import torch
from imblearn.pipeline import make_pipeline
from scipy import sparse
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression

from imblearn_pgan import TrainingDivergedError
from imblearn_pgan._core import TrainingData, make_generator
from imblearn_pgan.baselines import ACGANSampler, BAGANSampler, CGANSampler, WGANGPSampler
from imblearn_pgan.baselines.bagan import BAGAN, ClassGaussians

from .conftest import cuda

TINY = dict(n_iter=8, batch_size=32, hidden_dim=16, latent_dim=4, device="cpu")

#: Each sampler with tiny settings, its losses in ``history_`` and its networks.
CASES = {
    "acgan": (ACGANSampler(**TINY),
              {"discriminator_source", "discriminator_class", "generator_source",
               "generator_class", "spread"},
              {"generator", "discriminator"}),
    "bagan": (BAGANSampler(autoencoder_steps=8, **TINY),
              {"discriminator", "generator", "spread"},
              {"encoder", "generator", "discriminator", "latent"}),
    "cgan": (CGANSampler(**TINY),
             {"discriminator", "generator", "spread"},
             {"generator", "discriminator"}),
    "wgangp": (WGANGPSampler(**TINY),
               {"critic", "gradient_penalty", "generator", "spread"},
               {"generator", "critic"}),
}


def make(name, **params):
    return clone(CASES[name][0]).set_params(**params)


each = pytest.mark.parametrize("name", list(CASES))


@each
def test_output_contract(imbalanced, name):
    X, y = imbalanced
    X_before = X.copy()
    X_res, y_res = make(name, random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(X_res[: len(X)], X)  # originals first, unchanged
    np.testing.assert_array_equal(y_res[: len(y)], y)
    assert np.bincount(y_res).tolist() == [60, 60, 60]
    assert np.isfinite(X_res).all()


@each
def test_dtypes_and_string_labels(imbalanced, name):
    X, y = imbalanced
    labels = np.array(["cat", "dog", "eel"])[y]
    X_res, y_res = make(name, random_state=0).fit_resample(X.astype(np.float32), labels)
    assert X_res.dtype == np.float32
    assert y_res.dtype == labels.dtype
    assert sorted(set(y_res)) == ["cat", "dog", "eel"]


@each
def test_same_seed_bit_identical_and_global_rng_untouched(imbalanced, name):
    X, y = imbalanced
    np_state, torch_state = np.random.get_state(), torch.get_rng_state()
    a = make(name, random_state=3).fit_resample(X, y)[0]
    b = make(name, random_state=3).fit_resample(X, y)[0]
    c = make(name, random_state=4).fit_resample(X, y)[0]
    make(name).fit_resample(X, y)  # random_state=None
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert np.array_equal(np.random.get_state()[1], np_state[1])
    assert torch.equal(torch.get_rng_state(), torch_state)


@each
def test_fitted_attributes_and_history(imbalanced, name):
    X, y = imbalanced
    _, losses, networks = CASES[name]
    s = make(name, random_state=0)
    s.fit_resample(X, y)
    assert s.device_ == torch.device("cpu")
    stages = {r["stage"] for r in s.history_}
    assert stages == ({"autoencoder", "latent", "gan"} if name == "bagan" else {"gan"})
    assert all(np.isfinite(r["autoencoder"]) for r in s.history_ if r["stage"] == "autoencoder")
    gan = [r for r in s.history_ if r["stage"] == "gan"]
    assert gan[-1]["step"] == TINY["n_iter"]
    for record in gan:
        assert set(record) == losses | {"stage", "step", "elapsed_s"}
        assert all(np.isfinite(record[key]) for key in losses)
    for net in networks:
        module = getattr(s, f"{net}_")
        assert all(t.device.type == "cpu" for t in [*module.parameters(), *module.buffers()])


@each
@pytest.mark.parametrize(
    "X_fn, y_fn, error, match",
    [
        (lambda X: np.where(np.arange(X.size).reshape(X.shape) == 3, np.nan, X), None,
         ValueError, "NaN"),
        (None, np.zeros_like, ValueError, "more than 1 class"),
        (sparse.csr_matrix, None, TypeError, "dense"),
    ],
    ids=["nan", "one-class", "sparse"],
)
def test_bad_input_gets_a_clear_error(imbalanced, name, X_fn, y_fn, error, match):
    X, y = imbalanced
    with pytest.raises(error, match=match):
        make(name).fit_resample(X_fn(X) if X_fn else X, y_fn(y) if y_fn else y)


@each
@pytest.mark.parametrize("params", [dict(betas=(0.5,)), dict(betas=(0.5, 1.5)),
                                    dict(learning_rate=0.0), dict(latent_dim=0)])
def test_bad_parameters(imbalanced, name, params):
    X, y = imbalanced
    with pytest.raises(ValueError):
        make(name, **params).fit_resample(X, y)


@each
def test_pipeline_with_logistic_regression(imbalanced, name):
    X, y = imbalanced
    pipe = make_pipeline(make(name, random_state=0), LogisticRegression()).fit(X, y)
    assert (pipe.predict(X) == y).mean() > 0.8


@each
def test_clone_pickle_joblib_round_trip(imbalanced, name, tmp_path):
    X, y = imbalanced
    s = make(name, random_state=0)
    s.fit_resample(X, y)
    assert clone(s).get_params() == s.get_params()
    again = pickle.loads(pickle.dumps(s))
    joblib.dump(s, tmp_path / "s.joblib")
    loaded = joblib.load(tmp_path / "s.joblib")
    expected = s.sample(10, class_label=1, random_state=0)
    assert expected.shape == (10, 2)
    np.testing.assert_array_equal(again.sample(10, class_label=1, random_state=0), expected)
    np.testing.assert_array_equal(loaded.sample(10, class_label=1, random_state=0), expected)


@each
def test_divergence_is_reported(imbalanced, name, monkeypatch):
    X, y = imbalanced
    model = type(CASES[name][0])._model
    original = model.gan_step
    monkeypatch.setattr(model, "gan_step", lambda self, step: {
        **original(self, step), "generator": torch.tensor(float("nan"))})
    with pytest.raises(TrainingDivergedError, match="generator"):
        make(name).fit_resample(X, y)


def test_single_row_class_warns_without_hull_claim(imbalanced):
    X, y = imbalanced
    with pytest.warns(UserWarning, match="single row: the GAN learns"):
        make("cgan").fit_resample(np.vstack([X, [[9.0, 9.0]]]), np.r_[y, 3])


def test_class_gaussians_fit_each_class():
    rng = np.random.default_rng(0)
    X = np.r_[rng.normal(size=(400, 2)) @ [[2.0, 0.0], [1.0, 0.5]], rng.normal(size=(50, 2)) + 5]
    y = np.repeat([0, 1], [400, 50])
    data = TrainingData(X, y, 2, np.array([0, 350]), torch.device("cpu"))
    gauss = ClassGaussians(2, 2)
    gauss.fit(torch.nn.Identity(), data)
    for k in (0, 1):
        Z = data.X[data.y == k].double()
        np.testing.assert_allclose(gauss.mean[k], Z.mean(0), atol=1e-5)
        cov = gauss.chol[k] @ gauss.chol[k].T
        np.testing.assert_allclose(cov, torch.cov(Z.T), rtol=0.02, atol=0.01)
    draws = gauss(torch.ones(20000, dtype=torch.long), make_generator(0, "cpu"))
    np.testing.assert_allclose(draws.mean(0), gauss.mean[1], atol=0.05)


def test_bagan_discriminator_starts_from_the_encoder(imbalanced):
    X, y = imbalanced
    data = TrainingData(X, y, 3, np.array([0, 40, 52]), torch.device("cpu"))
    params = {k: v for k, v in TINY.items() if k != "device"}
    model = BAGAN(data, make_generator(0, "cpu"), 0, autoencoder_steps=3,
                  learning_rate=1e-3, betas=(0.5, 0.999), **params)
    (_, n_ae, ae_step), (_, _, fit_latent), _ = model.stages()
    for step in range(n_ae):
        ae_step(step)
    fit_latent(0)
    body = model.discriminator[:-1].state_dict()
    for key, value in model.encoder[:-1].state_dict().items():
        assert torch.equal(body[key], value)
    assert model.discriminator[-1].out_features == 4  # K classes and "fake"


@cuda
@each
def test_cuda_fit_matches_contract_and_loads_on_cpu_only(imbalanced, name, tmp_path):
    X, y = imbalanced
    s = make(name, random_state=0, device="cuda")
    X_res, y_res = s.fit_resample(X, y)
    assert s.device_.type == "cuda"
    np.testing.assert_array_equal(X_res[: len(X)], X)
    assert np.bincount(y_res).tolist() == [60, 60, 60]
    path = tmp_path / "s.joblib"
    joblib.dump(s, path)
    code = (
        "import joblib, torch;"
        f"s = joblib.load({str(path)!r});"
        "assert not torch.cuda.is_available();"
        "print(s.sample(4, class_label=1, random_state=0).shape)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "CUDA_VISIBLE_DEVICES": ""})
    assert out.returncode == 0, out.stderr
    assert "(4, 2)" in out.stdout
