"""Feature spaces of the benchmark, always fitted on the training split only."""

import copy

import numpy as np
import torch
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import PCA
from sklearn.utils.validation import check_is_fitted
from torch import nn

from .._core import derive_seed, make_generator, resolve_device, seeded_init
from ..classifier import small_cnn
from ..embedding import ResNetEmbedder, _as_image_batch

__all__ = ["FEATURES", "CNNEmbedder", "extract_features"]

#: Names accepted by ``features``.
FEATURES = ("pixels", "cnn", "resnet")

# Pixels with more columns than this are reduced by PCA unless told otherwise.
_DEFAULT_PCA = 64


def _images_as_float(images):
    """(N, C, H, W) float32 tensor in [0, 1] from any accepted image layout."""
    X = _as_image_batch(images)
    X = X.astype(np.float32) / 255.0 if X.dtype.kind in "ui" else X.astype(np.float32)
    return torch.from_numpy(np.ascontiguousarray(X))


class _SmallCNN(nn.Module):
    def __init__(self, channels, n_classes, embedding_dim):
        super().__init__()
        self.body = small_cnn(channels, embedding_dim)
        self.head = nn.Linear(embedding_dim, n_classes)

    def forward(self, x):
        return self.head(self.body(x))


class CNNEmbedder(TransformerMixin, BaseEstimator):
    """A small CNN trained as a classifier, then frozen: its penultimate layer.

    This is the feature extractor F of Algorithm 1 of the Polarity-GAN paper,
    trained once (with plain cross-entropy) on the imbalanced training images
    and then kept fixed, so that every oversampler works in the same space.

    Parameters
    ----------
    epochs : int, default=10
        Passes over the training images.
    embedding_dim : int, default=128
        Width of the penultimate layer, i.e. of the features.
    batch_size : int, default=64
        Images per gradient step (and 8 times that per embedding batch).
    learning_rate : float, default=1e-3
        Adam learning rate.
    device : {"auto", "cpu", "cuda"} or torch.device, default="auto"
        Where to train and embed.
    random_state : int or None, default=None
        Seeds the initialisation and the batch order (the global torch RNG
        is left alone).

    Attributes
    ----------
    model_ : torch.nn.Module
        The trained network, on the CPU, in eval mode.
    classes_ : ndarray
        Class labels seen in :meth:`fit`.

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_pgan.benchmark.features import CNNEmbedder
    >>> images = np.random.default_rng(0).random((20, 8, 8))
    >>> y = np.repeat([0, 1], 10)
    >>> CNNEmbedder(epochs=1, random_state=0).fit_transform(images, y).shape
    (20, 128)
    """

    def __init__(self, *, epochs=10, embedding_dim=128, batch_size=64, learning_rate=1e-3,
                 device="auto", random_state=None):
        self.epochs = epochs
        self.embedding_dim = embedding_dim
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.device = device
        self.random_state = random_state

    def fit(self, X, y):
        """Train the CNN to classify the images.

        Parameters
        ----------
        X : array-like of shape (N, H, W), (N, H, W, C) or (N, C, H, W)
            Images, integers in [0, 255] or floats in [0, 1].
        y : array-like of shape (N,)
            Labels.

        Returns
        -------
        self : CNNEmbedder
            Fitted embedder.
        """
        images = _images_as_float(X)
        self.classes_, y_index = np.unique(np.asarray(y), return_inverse=True)
        device = resolve_device(self.device)
        seed = derive_seed(self.random_state)
        with seeded_init(seed):
            model = _SmallCNN(images.shape[1], len(self.classes_), self.embedding_dim)
        model.to(device).train()
        gen = make_generator(seed, "cpu")
        optimizer = torch.optim.Adam(model.parameters(), lr=self.learning_rate)
        targets = torch.as_tensor(y_index, dtype=torch.long)
        for _ in range(self.epochs):
            for batch in torch.randperm(len(images), generator=gen).split(self.batch_size):
                loss = nn.functional.cross_entropy(
                    model(images[batch].to(device)), targets[batch].to(device)
                )
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
        self.model_ = model.cpu().eval().requires_grad_(False)
        return self

    def transform(self, X):
        """Embed images with the frozen network.

        Parameters
        ----------
        X : array-like of shape (N, H, W), (N, H, W, C) or (N, C, H, W)
            Images laid out as in :meth:`fit`.

        Returns
        -------
        X_new : ndarray of shape (N, embedding_dim), dtype float64
            Penultimate-layer activations.
        """
        check_is_fitted(self, "model_")
        images = _images_as_float(X)
        device = resolve_device(self.device)
        # A device copy keeps model_ on the CPU, like ResNetEmbedder.
        model = self.model_ if device.type == "cpu" else copy.deepcopy(self.model_).to(device)
        with torch.inference_mode():
            parts = [model.body(b.to(device)).cpu() for b in images.split(8 * self.batch_size)]
        return torch.cat(parts).double().numpy()


def extract_features(data, features="pixels", *, pca="auto", cnn_epochs=10,
                     resnet_arch="resnet50", resnet_weights=None, resnet_image_size=224,
                     device="auto", random_state=0):
    """Training and test features of a benchmark data set.

    Every transformation is fitted on the training split only.

    Parameters
    ----------
    data : Bunch
        From :func:`imblearn_pgan.datasets.load_benchmark_data`.
    features : {"pixels", "cnn", "resnet"}, default="pixels"
        ``"pixels"``: the flattened pixels (or tabular columns);
        ``"cnn"``: :class:`CNNEmbedder` trained on the training images;
        ``"resnet"``: :class:`~imblearn_pgan.embedding.ResNetEmbedder`.
    pca : "auto", int or None, default="auto"
        Reduce the features to this many principal components; ``"auto"``
        means 64 for pixels with more than 64 columns and no PCA otherwise.
    cnn_epochs : int, default=10
        Training epochs of the CNN.
    resnet_arch, resnet_weights, resnet_image_size
        ``arch``, ``weights`` and ``image_size`` of the ResNet embedder;
        ``weights=None`` is a random initialisation.
    device : str, default="auto"
        Device of the CNN and the ResNet.
    random_state : int, default=0
        Seeds the CNN, the ResNet initialisation and the PCA.

    Returns
    -------
    X_train, X_test : ndarray
        Features.
    description : str
        One line saying what the features are.

    Raises
    ------
    ValueError
        Unknown ``features``, or image features asked of tabular data.
    """
    if features not in FEATURES:
        raise ValueError(f"unknown features {features!r}; choose from {', '.join(FEATURES)}")
    if features != "pixels" and data.images_train is None:
        raise ValueError(f"features={features!r} needs image data; {data.name!r} is tabular")
    if features == "pixels":
        X_train, X_test = data.X_train, data.X_test
        description = "pixels" if data.images_train is not None else "tabular columns"
    elif features == "cnn":
        cnn = CNNEmbedder(epochs=cnn_epochs, device=device, random_state=random_state)
        X_train = cnn.fit(data.images_train, data.y_train).transform(data.images_train)
        X_test = cnn.transform(data.images_test)
        description = (f"small CNN trained {cnn_epochs} epoch(s) on the imbalanced training "
                       f"images, frozen, penultimate layer ({cnn.embedding_dim}-d)")
    else:
        embedder = ResNetEmbedder(arch=resnet_arch, weights=resnet_weights,
                                  image_size=resnet_image_size, device=device,
                                  random_state=random_state)
        X_train = embedder.fit_transform(data.images_train).astype(np.float64)
        X_test = embedder.transform(data.images_test).astype(np.float64)
        weights = "random init (no weights given)" if resnet_weights is None else resnet_weights
        description = f"{resnet_arch} embeddings, weights: {weights}, {resnet_image_size}px"

    if pca == "auto":
        pca = _DEFAULT_PCA if features == "pixels" and X_train.shape[1] > _DEFAULT_PCA else None
    if pca:
        n = min(int(pca), *X_train.shape)
        reducer = PCA(n_components=n, random_state=random_state).fit(X_train)
        X_train, X_test = reducer.transform(X_train), reducer.transform(X_test)
        description += f", PCA to {n} dims (fitted on train)"
    return X_train, X_test, description
