"""Tests for imblearn_pgan.ResNetEmbedder (resnet18, tiny images: fast on CPU)."""

import os
import pickle
import subprocess
import sys
import urllib.error
import warnings

import joblib
import numpy as np
import pytest
import torch
from imblearn.over_sampling import RandomOverSampler
from imblearn.pipeline import Pipeline
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from torchvision import models

from imblearn_pgan import ResNetEmbedder

# Most tests here use random weights on purpose; one checks the warning about it.
pytestmark = pytest.mark.filterwarnings("ignore:ResNetEmbedder has weights=None")

SIZE = 32


def make_embedder(**params):
    params = {"arch": "resnet18", "weights": None, "image_size": SIZE, "random_state": 0, **params}
    return ResNetEmbedder(**params)


@pytest.fixture
def rgb():
    """Four uint8 RGB images, channels-last."""
    return np.random.default_rng(0).integers(0, 256, size=(4, 20, 24, 3), dtype=np.uint8)


def all_tensors_on_cpu(estimator):
    return all(t.device.type == "cpu" for t in estimator.model_.state_dict().values())


# --------------------------------------------------------------------------- layouts


@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
@pytest.mark.parametrize(
    "shape, channels",
    [
        ((3, 20, 24), 1),  # N, H, W
        ((3, 20, 24, 1), 1),  # N, H, W, C
        ((3, 20, 24, 3), 3),
        ((3, 1, 20, 24), 1),  # N, C, H, W
        ((3, 3, 20, 24), 3),
    ],
)
def test_layouts_shape_and_dtype(shape, channels, dtype):
    X = np.random.default_rng(0).integers(0, 256, size=shape).astype(dtype)
    if dtype != np.uint8:
        X /= 255
    emb = make_embedder().fit(X)
    Xt = emb.transform(X)
    assert Xt.shape == (3, 512)
    assert Xt.dtype == np.float32
    assert np.isfinite(Xt).all()
    assert emb.n_features_out_ == 512
    assert emb.input_shape_ == (channels, 20, 24)
    assert not hasattr(emb, "n_features_in_")


def test_layouts_are_equivalent(rgb):
    """The same pixels give the same features whatever the layout and scale."""
    emb = make_embedder().fit(rgb)
    ref = emb.transform(rgb)
    np.testing.assert_array_equal(emb.transform(rgb.transpose(0, 3, 1, 2)), ref)
    np.testing.assert_allclose(emb.transform(rgb / 255.0), ref, rtol=1e-5, atol=1e-5)
    # Integer inputs of any width are read on the 0..255 scale.
    np.testing.assert_array_equal(emb.transform(rgb.astype(np.int64)), ref)

    gray = rgb[..., 0]
    emb_gray = make_embedder().fit(gray)
    ref_gray = emb_gray.transform(gray)
    np.testing.assert_array_equal(emb_gray.transform(gray[..., None]), ref_gray)
    np.testing.assert_array_equal(emb_gray.transform(gray[:, None]), ref_gray)
    # Grayscale is repeated to three channels.
    repeated = np.repeat(gray[..., None], 3, axis=-1)
    np.testing.assert_allclose(emb.transform(repeated), ref_gray, rtol=1e-5, atol=1e-5)


def test_ambiguous_layout_is_channels_first():
    X = np.random.default_rng(0).random((2, 3, 5, 3))
    assert make_embedder().fit(X).input_shape_ == (3, 5, 3)


def test_list_input_and_other_image_size_in_transform(rgb):
    emb = make_embedder().fit(list(rgb))
    assert emb.transform(list(rgb)).shape == (4, 512)
    # Only the channel count has to match fit: images are resized.
    bigger = np.random.default_rng(1).integers(0, 256, size=(2, 40, 40, 3), dtype=np.uint8)
    assert emb.transform(bigger).shape == (2, 512)


def test_read_only_input_gives_no_warning(rgb):
    rgb.setflags(write=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.filterwarnings("ignore", message="ResNetEmbedder has weights=None")
        assert make_embedder().fit_transform(rgb).shape == (4, 512)


def test_resnet50_output_dim(rgb):
    emb = make_embedder(arch="resnet50")
    Xt = emb.fit_transform(rgb[:2])
    assert Xt.shape == (2, 2048)
    assert emb.n_features_out_ == 2048


def test_feature_names_and_pandas_output(rgb):
    emb = make_embedder().fit(rgb)
    names = emb.get_feature_names_out()
    assert list(names[:3]) == ["resnetembedder0", "resnetembedder1", "resnetembedder2"]
    assert len(names) == 512
    df = emb.set_output(transform="pandas").transform(rgb)
    assert list(df.columns) == list(names)
    assert df.shape == (4, 512)


# ------------------------------------------------------------- determinism and batching


def test_determinism_and_global_rng_untouched(rgb):
    state = torch.get_rng_state()
    a = make_embedder(random_state=0).fit_transform(rgb)
    assert torch.equal(torch.get_rng_state(), state)
    b = make_embedder(random_state=0).fit_transform(rgb)
    c = make_embedder(random_state=1).fit_transform(rgb)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)


def test_batch_size_independence(rgb):
    X = np.concatenate([rgb, rgb[::-1], rgb[:1]])  # 9 images: uneven last batches
    a = make_embedder(batch_size=2).fit_transform(X)
    b = make_embedder(batch_size=7).fit_transform(X)
    np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def test_verbose_progress_bar(rgb, capsys):
    make_embedder(batch_size=2, verbose=1).fit_transform(rgb)
    assert "ResNetEmbedder" in capsys.readouterr().err


# ------------------------------------------------------------------------------ weights


def _saved_resnet18(tmp_path, name="resnet18.pt", headless=False):
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(123)
        net = models.resnet18(weights=None).eval()
    if headless:
        net.fc = torch.nn.Identity()
    path = tmp_path / name
    torch.save(net.state_dict(), path)
    return net, path


@pytest.mark.parametrize("as_str", [False, True])
def test_local_state_dict(tmp_path, as_str):
    net, path = _saved_resnet18(tmp_path)
    X = np.random.default_rng(0).integers(0, 256, size=(3, SIZE, SIZE, 3), dtype=np.uint8)
    emb = make_embedder(weights=str(path) if as_str else path, random_state=5).fit(X)

    expected = {k: v for k, v in net.state_dict().items() if not k.startswith("fc.")}
    loaded = emb.model_.state_dict()
    assert loaded.keys() == expected.keys()
    assert all(torch.equal(loaded[k], expected[k]) for k in expected)

    net.fc = torch.nn.Identity()
    x = torch.from_numpy(X).permute(0, 3, 1, 2).float() / 255
    mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
    std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
    with torch.inference_mode():
        ref = net((x - mean) / std).numpy()
    np.testing.assert_allclose(emb.transform(X), ref, rtol=1e-5, atol=1e-6)


def test_headless_state_dict_and_wrong_arch(tmp_path, rgb):
    _, path = _saved_resnet18(tmp_path, headless=True)
    make_embedder(weights=path).fit(rgb)
    # Any other ResNet: the smallest one after resnet18.
    with pytest.raises(ValueError, match="do not match arch='resnet34'"):
        make_embedder(arch="resnet34", weights=path).fit(rgb)
    not_a_dict = tmp_path / "tensor.pt"
    torch.save(torch.zeros(3), not_a_dict)
    with pytest.raises(ValueError, match="state_dict"):
        make_embedder(weights=not_a_dict).fit(rgb)


def test_bad_weights_values(tmp_path, rgb):
    with pytest.raises(ValueError, match="neither a weights name of ResNet18_Weights"):
        make_embedder(weights=str(tmp_path / "missing.pt")).fit(rgb)
    with pytest.raises(ValueError, match="do not belong to arch='resnet18'"):
        make_embedder(weights=models.ResNet50_Weights.DEFAULT).fit(rgb)


@pytest.fixture
def offline(tmp_path, monkeypatch):
    """Empty hub cache and no network."""
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch_home"))

    def no_network(url, *args, **kwargs):
        raise urllib.error.URLError("network is unreachable")

    monkeypatch.setattr(torch.hub, "load_state_dict_from_url", no_network)
    return tmp_path / "torch_home" / "hub" / "checkpoints"


@pytest.mark.parametrize(
    "weights",
    ["DEFAULT", "IMAGENET1K_V1", "ResNet18_Weights.IMAGENET1K_V1", models.ResNet18_Weights.DEFAULT],
    ids=["DEFAULT", "name", "qualified-name", "enum-member"],
)
def test_named_weights_offline_error(offline, rgb, weights):
    with pytest.raises(OSError) as excinfo:
        make_embedder(weights=weights).fit(rgb)
    message = str(excinfo.value)
    assert "resnet18-f37072fd.pth" in message
    assert str(offline) in message
    assert "weights=<path to a local state_dict file>" in message
    assert isinstance(excinfo.value.__cause__, urllib.error.URLError)


def test_named_weights_from_cache(monkeypatch, rgb):
    """Named weights are read through torch.hub with the weights' URL."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(7)
        state = models.resnet18(weights=None).state_dict()
    calls = []

    def cached(url, *args, **kwargs):
        calls.append(url)
        return state

    monkeypatch.setattr(torch.hub, "load_state_dict_from_url", cached)
    emb = make_embedder(weights="IMAGENET1K_V1").fit(rgb)
    assert calls == [models.ResNet18_Weights.IMAGENET1K_V1.url]
    assert torch.equal(emb.model_.conv1.weight, state["conv1.weight"])
    preset = models.ResNet18_Weights.IMAGENET1K_V1.transforms()
    assert emb.mean_ == tuple(preset.mean) and emb.std_ == tuple(preset.std)


# --------------------------------------------------------------------------- bad input

_rng = np.random.default_rng(0)
_nan = _rng.random((2, 8, 8))
_nan[0, 1, 1] = np.nan
_inf = _rng.random((2, 8, 8, 3))
_inf[1, 0, 0, 2] = np.inf


@pytest.mark.parametrize(
    "X, match",
    [
        (_rng.random(8), "1-D"),
        (_rng.random((2, 64)), "2-D"),
        (_rng.random((2, 1, 8, 8, 3)), "5-D"),
        (np.zeros((0, 8, 8), dtype=np.uint8), "at least one non-empty image"),
        (np.zeros((2, 0, 8)), "at least one non-empty image"),
        (_nan, "NaN or infinity"),
        (_inf, "NaN or infinity"),
        (_rng.random((2, 8, 8, 2)), "1 or 3 channels"),
        (_rng.random((2, 4, 8, 8)), "1 or 3 channels"),
        ([_rng.random((8, 8)), _rng.random((9, 9))], "same shape"),
        ([[[0.0, 1.0]], [[0.0]]], "same shape"),
        (np.array([["a", "b"]]), "numeric"),
        (np.full((2, 8, 8), 300, dtype=np.int16), r"\[0, 255\]"),
        (np.full((2, 8, 8), -1, dtype=np.int8), r"\[0, 255\]"),
    ],
)
def test_bad_input_raises(X, match):
    with pytest.raises(ValueError, match=match):
        make_embedder().fit(X)


def test_bad_input_in_transform_and_channel_mismatch(rgb):
    emb = make_embedder().fit(rgb)
    with pytest.raises(ValueError, match="NaN or infinity"):
        emb.transform(_inf)
    with pytest.raises(ValueError, match="1 channel.*fitted on images with 3"):
        emb.transform(rgb[..., 0])


def test_float_out_of_range_warns(rgb):
    with pytest.warns(UserWarning, match=r"expected in \[0, 1\]"):
        make_embedder().fit(rgb.astype(np.float32))


@pytest.mark.parametrize(
    "params",
    [{"image_size": 16}, {"arch": "vgg16"}, {"batch_size": 0}, {"device": "bogus"}, {"weights": 3}],
)
def test_bad_params_raise(params, rgb):
    with pytest.raises(ValueError):
        make_embedder(**params).fit(rgb)


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the CPU-only error")
def test_cuda_unavailable_raises(rgb):
    with pytest.raises(ValueError, match="no CUDA device"):
        make_embedder(device="cuda").fit(rgb)


def test_not_fitted(rgb):
    emb = make_embedder()
    with pytest.raises(NotFittedError):
        emb.transform(rgb)
    with pytest.raises(NotFittedError):
        emb.get_feature_names_out()


# ------------------------------------------------------------ clone, pickle, pipeline


def test_clone_pickle_joblib_round_trip(rgb, tmp_path):
    emb = make_embedder().fit(rgb)
    ref = emb.transform(rgb)

    np.testing.assert_array_equal(clone(emb).fit(rgb).transform(rgb), ref)

    unpickled = pickle.loads(pickle.dumps(emb))
    np.testing.assert_array_equal(unpickled.transform(rgb), ref)
    assert all_tensors_on_cpu(unpickled)

    joblib.dump(emb, tmp_path / "emb.joblib")
    loaded = joblib.load(tmp_path / "emb.joblib")
    np.testing.assert_array_equal(loaded.transform(rgb), ref)
    assert all_tensors_on_cpu(loaded)


def test_pipeline_with_oversampler():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, size=(30, 8, 8), dtype=np.uint8)
    y = np.array([0] * 24 + [1] * 6)
    X[y == 1] //= 2  # make the minority class darker so it is learnable
    pipe = Pipeline(
        [
            ("emb", make_embedder()),
            ("sampler", RandomOverSampler(random_state=0)),
            ("clf", LogisticRegression(max_iter=200)),
        ]
    )
    pipe.fit(X, y)
    pred = pipe.predict(X[:5])
    assert pred.shape == (5,)
    assert set(pred) <= {0, 1}


# ------------------------------------------------------------------------------- CUDA


@pytest.mark.cuda
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
@pytest.mark.parametrize("mixed_precision", [True, False])
def test_cuda_matches_cpu_and_model_stays_on_cpu(rgb, mixed_precision):
    cpu = make_embedder(device="cpu").fit_transform(rgb)
    emb = make_embedder(device="cuda", mixed_precision=mixed_precision).fit(rgb)
    gpu = emb.transform(rgb)
    assert emb.device_.type == "cuda"
    assert gpu.dtype == np.float32 and gpu.shape == cpu.shape
    if mixed_precision:
        assert np.corrcoef(gpu.ravel(), cpu.ravel())[0, 1] > 0.99
    else:  # cuDNN may use TF32
        np.testing.assert_allclose(gpu, cpu, rtol=1e-2, atol=1e-2)
    assert all_tensors_on_cpu(emb)
    assert all_tensors_on_cpu(pickle.loads(pickle.dumps(emb)))


def test_a_torchvision_that_does_not_match_torch_is_named(tmp_path):
    # What a torch/torchvision pair from different indexes gives on import.
    fake = tmp_path / "torchvision"
    fake.mkdir()
    (fake / "__init__.py").write_text(
        "raise RuntimeError('operator torchvision::nms does not exist')\n")
    code = ("import torch\ntry:\n    import imblearn_pgan.images.embedding\n"
            "except ImportError as exc:\n    print(exc)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=300, env={**os.environ, "PYTHONPATH": str(tmp_path)})
    assert out.returncode == 0, out.stderr[-3000:]
    import torch
    from importlib.metadata import version

    message = out.stdout
    assert f"torchvision {version('torchvision')} cannot be used with torch " \
           f"{torch.__version__}" in message
    assert "torchvision::nms" in message


def test_random_weights_are_said():
    with pytest.warns(UserWarning, match="randomly initialised"):
        ResNetEmbedder(arch="resnet18", image_size=32, device="cpu").fit(np.zeros((1, 8, 8)))
