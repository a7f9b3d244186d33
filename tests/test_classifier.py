"""Tests for PolarityGANClassifier (Algorithm 1 with a trained F), on tiny images."""

import doctest
import pickle

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.datasets import load_digits

from imblearn_pgan import classifier as classifier_module
from imblearn_pgan.classifier import PolarityGANClassifier
from imblearn_pgan.polarity import PolarityGAN

from .conftest import cuda

FAST = dict(
    n_rounds=2, warmup_steps=3, feature_steps=1, gan_steps=1, batch_size=16,
    sampler_params=dict(autoencoder_steps=2, hidden_dim=8, latent_dim=4, pseudo_dim=4),
    device="cpu", random_state=0,
)


def make_clf(**params):
    return PolarityGANClassifier(**{**FAST, **params})


@pytest.fixture(scope="module")
def digits():
    """Imbalanced 8x8 digit images in [0, 1] with string labels: 30, 12 and 6 images."""
    data = load_digits()
    sizes = {0: 30, 1: 12, 2: 6}
    keep = np.concatenate([np.flatnonzero(data.target == d)[:n] for d, n in sizes.items()])
    labels = np.array(["zero", "one", "two"])[data.target[keep]]
    return data.images[keep] / 16.0, labels


def cpu_only(module):
    return all(t.device.type == "cpu" for t in module.state_dict().values())


def test_fit_predict_shapes_and_attributes(digits):
    images, y = digits
    clf = make_clf().fit(images, y)
    assert list(clf.classes_) == ["one", "two", "zero"]
    proba = clf.predict_proba(images)
    assert proba.shape == (len(y), 3) and np.allclose(proba.sum(1), 1, atol=1e-5)
    assert set(clf.predict(images)) <= set(clf.classes_)
    assert clf.transform(images[:5]).shape == (5, clf.n_features_out_) == (5, 128)
    assert [h["stage"] for h in clf.history_][-2:] == ["rounds", "rounds"]
    assert {"warmup", "embed", "autoencoder"} <= {h["stage"] for h in clf.history_}
    assert {"feature_extractor", "critic", "classifier"} <= set(clf.history_[-1])
    assert isinstance(clf.model_, PolarityGAN) and clf.model_.data is None
    assert clf.model_.classifier is clf.classifier_
    assert cpu_only(clf.feature_extractor_) and cpu_only(clf.classifier_)
    assert not clf.feature_extractor_.training and clf.device_.type == "cpu"


def test_transform_is_what_the_classifier_sees(digits):
    images, y = digits
    clf = make_clf().fit(images, y)
    with torch.no_grad():
        logits = clf.classifier_(torch.from_numpy(clf.transform(images)))
    np.testing.assert_allclose(torch.softmax(logits, 1).numpy(), clf.predict_proba(images),
                               atol=1e-6)


def test_image_layouts_and_dtypes_agree(digits):
    images, y = digits
    clf = make_clf().fit(images, y)
    expected = clf.predict_proba(images)
    for same in (images[:, None], images[..., None], images.astype(np.float32)):
        np.testing.assert_allclose(clf.predict_proba(same), expected, atol=1e-6)
    as_uint8 = np.round(images * 255).astype(np.uint8)
    np.testing.assert_allclose(clf.predict_proba(as_uint8), expected, atol=5e-3)  # pixel rounding


def test_resample_false_trains_f_and_c_only(digits):
    images, y = digits
    clf = make_clf(resample=False).fit(images, y)
    assert clf.model_ is None
    assert "autoencoder" not in {h["stage"] for h in clf.history_}
    assert set(clf.history_[-1]) >= {"feature_extractor", "classifier"}
    assert "critic" not in clf.history_[-1]
    assert clf.predict(images).shape == y.shape


def test_balanced_classes_still_train(digits):
    images, y = digits
    balanced = np.concatenate([np.flatnonzero(y == c)[:6] for c in np.unique(y)])
    clf = make_clf().fit(images[balanced], y[balanced])
    assert clf.predict(images).shape == y.shape


def test_resnet18_trunk():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(40, 12, 12, 3), dtype=np.uint8)
    y = np.repeat([0, 1], [28, 12])
    clf = make_clf(feature_extractor="resnet18", weights=None, image_size=32, n_rounds=3,
                   batch_size=8).fit(images, y)
    assert clf.n_features_out_ == 512 and clf.transform(images[:4]).shape == (4, 512)
    assert clf.predict(images).shape == (40,)


def test_same_seed_same_predictions_and_global_rng_untouched(digits):
    images, y = digits
    torch_state, np_state = torch.get_rng_state(), np.random.get_state()
    first = make_clf(random_state=3).fit(images, y).predict_proba(images)
    second = make_clf(random_state=3).fit(images, y).predict_proba(images)
    np.testing.assert_array_equal(first, second)
    assert torch.equal(torch.get_rng_state(), torch_state)
    assert np.array_equal(np.random.get_state()[1], np_state[1])


def test_pickle_round_trip_and_clone(digits):
    images, y = digits
    clf = make_clf().fit(images, y)
    again = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(again.predict_proba(images), clf.predict_proba(images))
    fresh = clone(clf)
    assert fresh.get_params() == clf.get_params() and not hasattr(fresh, "classes_")


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda X, y: (np.where(np.arange(X.size).reshape(X.shape) == 5, np.nan, X), y), "NaN"),
        (lambda X, y: (X.reshape(len(X), -1), y), "2-D"),
        (lambda X, y: (X[:, None, None], y), "5-D"),
        (lambda X, y: (X, y[:-1]), "labels"),
        (lambda X, y: (X, np.full(len(y), "a")), "two classes"),
    ],
)
def test_bad_input_raises(digits, change, message):
    X, y = change(*digits)
    with pytest.raises(ValueError, match=message):
        make_clf().fit(X, y)


@pytest.mark.parametrize(
    "params, message",
    [
        (dict(sampler_params={"uncertainty": None}), "sampler_params"),
        (dict(sampler_params={"hidden_dim": 0}), "hidden_dim"),
        (dict(weights="IMAGENET1K_V1"), "ResNets only"),
        (dict(feature_extractor="resnet18", image_size=16), "32"),
        (dict(n_rounds=0), "n_rounds"),
    ],
)
def test_bad_parameters_raise(digits, params, message):
    with pytest.raises(ValueError, match=message):
        make_clf(**params).fit(*digits)


def test_predict_checks_channels(digits):
    images, y = digits
    clf = make_clf().fit(images, y)
    with pytest.raises(ValueError, match="channel"):
        clf.predict(np.repeat(images[..., None], 3, axis=3))


def test_docstring_example():
    result = doctest.testmod(classifier_module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


@cuda
def test_cuda_fit_predicts_on_the_cpu(digits):
    images, y = digits
    clf = make_clf(device="cuda").fit(images, y)
    assert clf.device_.type == "cuda"
    assert cpu_only(clf.feature_extractor_) and cpu_only(clf.classifier_)
    assert all(cpu_only(net) for net in clf.model_.networks.values())
    on_gpu = clf.predict_proba(images)
    restored = pickle.loads(pickle.dumps(clf)).set_params(device="cpu")
    np.testing.assert_allclose(restored.predict_proba(images), on_gpu, atol=1e-4)
